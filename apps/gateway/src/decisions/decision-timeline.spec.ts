import { AuditEventRecord } from '@oversight/audit-trail';
import { toTimelineRecord } from './decision-timeline';

describe('toTimelineRecord', () => {
  it('keeps the event and its chain link, and leaves out where the audit service read it', () => {
    const occurredAt = new Date('2026-11-26T10:00:00.000Z');
    const event = { eventId: 'e-2', type: 'DecisionScored', payload: { score: 5 } };
    const record: AuditEventRecord = {
      _id: 'dec-1#2',
      eventId: 'e-2',
      chainKey: 'dec-1',
      decisionId: 'dec-1',
      type: 'DecisionScored',
      schemaVersion: 1,
      producer: 'scoring',
      occurredAt,
      recordedAt: new Date('2026-11-26T10:00:00.050Z'),
      source: { topic: 'decision.scored.v1', partition: 3, offset: '17' },
      chain: { seq: 2, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) },
      event,
    };
    expect(toTimelineRecord(record)).toEqual({
      eventId: 'e-2',
      type: 'DecisionScored',
      occurredAt,
      chain: { seq: 2, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) },
      event,
    });
  });
});
