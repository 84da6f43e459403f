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
