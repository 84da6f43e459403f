/** Bounds on what the platform accepts, so one oversized or deeply nested event cannot starve a service. */
export const Limits = {
  /** Largest serialized event accepted from Kafka or HTTP, in bytes. */
  maxEventBytes: 256 * 1024,
  /** Deepest nesting accepted anywhere in an event (policy documents reach 11 levels). */
  maxObjectDepth: 16,
  /** Most keys accepted in one free-form object. */
  maxObjectKeys: 200,
  maxIdLength: 128,
  maxShortTextLength: 256,
  maxSummaryLength: 4000,
  maxLinks: 20,
} as const;
