/**
 * How every service connects to the store, with a MongoDB URI from its environment. Spread into mongoose's
 * or the driver's options.
 */
export const STORE_CONNECTION_OPTIONS = {
  // FerretDB and a standalone mongod have no retryable writes; the platform's writes are idempotent instead.
  retryWrites: false,
  serverSelectionTimeoutMS: 10_000,
  // Seen here: FerretDB v1 now and then leaves a request unanswered. Without a socket timeout the driver would
  // wait for ever; with it the operation fails as a network timeout, which consumers retry.
  socketTimeoutMS: 30_000,
} as const;
