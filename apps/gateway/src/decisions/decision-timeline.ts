import { AuditEventRecord, ChainLink } from '@oversight/audit-trail';

/** One event of a decision as `GET /v1/decisions/:decisionId/timeline` shows it, with its link in the chain. */
export interface TimelineRecord {
  eventId: string;
  type: string;
  occurredAt: Date;
  chain: ChainLink;
  /** The event verbatim, as the chain hashes it. */
  event: Record<string, unknown>;
}

export function toTimelineRecord(record: AuditEventRecord): TimelineRecord {
  const { seq, prevHash, hash } = record.chain;
  return {
    eventId: record.eventId,
    type: record.type,
    occurredAt: record.occurredAt,
    chain: { seq, prevHash, hash },
    event: record.event,
  };
}

/** GET /v1/decisions/:decisionId/timeline as JSON, for the OpenAPI document. */
export const DECISION_TIMELINE_SCHEMA = {
  type: 'object',
  required: ['decisionId', 'records'],
  properties: {
    decisionId: { type: 'string' },
    records: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'type', 'occurredAt', 'chain', 'event'],
        properties: {
          eventId: { type: 'string' },
          type: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          chain: {
            type: 'object',
            required: ['seq', 'prevHash', 'hash'],
            properties: {
              seq: { type: 'integer', minimum: 0 },
              prevHash: { type: 'string' },
              hash: { type: 'string' },
            },
          },
          event: { type: 'object' },
        },
      },
    },
  },
};
