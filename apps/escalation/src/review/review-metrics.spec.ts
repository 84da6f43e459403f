import { ReviewActivity } from '@oversight/contracts';
import { actMetricsOf, queueGaugesOf } from './review-metrics';
import { ReviewTask } from './review-task';

const requestedAt = new Date('2026-01-01T10:00:00Z');
const dueAt = new Date('2026-01-01T11:00:00Z');

function task(overrides: Partial<ReviewTask>): ReviewTask {
  return {
    status: 'open',
    requestedAt,
    dueAt,
    proposal: { businessFunction: 'refunds' },
    ...overrides,
  } as ReviewTask;
}

const act = (name: ReviewActivity['act']) => ({ act: name }) as ReviewActivity;

describe('actMetricsOf', () => {
  it('times a person’s decision from the request and sees no breach within the SLA', () => {
    const after = task({ status: 'approved', decidedAt: new Date('2026-01-01T10:05:00Z') });
    expect(actMetricsOf(task({}), after, [act('approved')])).toEqual({
      businessFunction: 'refunds',
      escalations: 0,
      decision: { decidedBy: 'person', seconds: 300, breachedSla: false },
    });
  });

  it('counts a timeout default after the SLA as a breach, with the escalations of the same pass', () => {
    const after = task({ status: 'expired', decidedAt: new Date('2026-01-01T13:00:00Z') });
    const metrics = actMetricsOf(task({}), after, [act('escalated'), act('escalated'), act('expired')]);
    expect(metrics.escalations).toBe(2);
    expect(metrics.decision).toEqual({ decidedBy: 'timeout_default', seconds: 3 * 3600, breachedSla: true });
  });

  it('records no decision for an act on a task that stays open, or was already decided', () => {
    expect(actMetricsOf(task({}), task({ status: 'claimed' }), [act('claimed')]).decision).toBeUndefined();
    const decided = task({ status: 'approved', decidedAt: dueAt });
    expect(actMetricsOf(decided, decided, [act('commented')]).decision).toBeUndefined();
  });
});

describe('queueGaugesOf', () => {
  const now = new Date('2026-01-01T10:50:00Z');

  it('counts open tasks per function with the oldest age, the SLA and those past 80 % of it', () => {
    const gauges = queueGaugesOf(
      [
        { businessFunction: 'refunds', status: 'open', requestedAt, dueAt },
        {
          businessFunction: 'refunds',
          status: 'claimed',
          requestedAt: new Date('2026-01-01T10:40:00Z'),
          dueAt: new Date('2026-01-01T11:40:00Z'),
        },
        { businessFunction: 'refunds', status: 'approved', requestedAt, dueAt },
        {
          businessFunction: 'payments',
          status: 'open',
          requestedAt: new Date('2026-01-01T10:49:00Z'),
          dueAt: new Date('2026-01-01T14:49:00Z'),
        },
      ],
      now,
    );
    expect(gauges.get('refunds')).toEqual({
      depth: 2,
      oldestPendingAgeSeconds: 3000,
      slaSeconds: 3600,
      atRisk: 1,
    });
    expect(gauges.get('payments')).toEqual({
      depth: 1,
      oldestPendingAgeSeconds: 60,
      slaSeconds: 14400,
      atRisk: 0,
    });
  });

  it('still counts a head that does not say when it was requested, at risk once past its SLA', () => {
    const gauges = queueGaugesOf([{ businessFunction: 'refunds', status: 'open', dueAt: requestedAt }], now);
    expect(gauges.get('refunds')).toEqual({ depth: 1, oldestPendingAgeSeconds: 0, slaSeconds: 0, atRisk: 1 });
  });
});
