import { newEvent } from '@oversight/contracts';
import { toReviewChange } from './review-feed';

describe('toReviewChange', () => {
  it('tells a screen which task changed and how far its quorum is, nothing more', () => {
    const event = newEvent('ReviewActivity', {
      decisionId: 'dec-1',
      producer: 'escalation',
      occurredAt: new Date('2026-11-26T10:00:00.000Z'),
      payload: {
        act: 'approved',
        actor: { kind: 'user', id: 'sue', roles: ['reviewer', 'billing-supervisor'] },
        taskVersion: 3,
        status: 'open',
        quorum: { given: 1, required: 2 },
        comment: 'checked the invoice',
      },
    });
    expect(toReviewChange(event)).toEqual({
      decisionId: 'dec-1',
      act: 'approved',
      status: 'open',
      quorum: { given: 1, required: 2 },
      occurredAt: '2026-11-26T10:00:00.000Z',
    });
  });
});
