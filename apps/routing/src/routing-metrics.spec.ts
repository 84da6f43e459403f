import { PlatformEvent } from '@oversight/contracts';
import { routedDecisionOf } from './routing-metrics';

const scored = (businessFunction: string) =>
  ({
    payload: { tier: 'high', proposal: { businessFunction } },
  }) as unknown as PlatformEvent<'DecisionScored'>;

describe('routedDecisionOf', () => {
  it('labels a routed decision by route, function and tier, a block as "blocked"', () => {
    expect(routedDecisionOf(scored('refunds'), { route: 'block', reasons: [] })).toEqual({
      route: 'blocked',
      function: 'refunds',
      tier: 'high',
    });
    expect(
      routedDecisionOf(scored('refunds'), { route: 'auto', reasons: [], postHocSample: false }).route,
    ).toBe('auto');
  });

  it('never takes free text as a function label', () => {
    expect(routedDecisionOf(scored('refunds for user 42!'), { route: 'block', reasons: [] }).function).toBe(
      'other',
    );
  });
});
