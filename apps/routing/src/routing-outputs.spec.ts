import { exampleDecisionProposed, newEvent, PlatformEvent, validateEventOn } from '@oversight/contracts';
import {
  assessRisk,
  loadPolicyFile,
  REFERENCE_POLICY_FILE,
  RoutingOutcome,
  toAppliedRule,
} from '@oversight/policy';
import { outputsFor, routeOf } from './routing-outputs';

const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
const usd = (value: number) => ({ value, currency: 'USD' });

/** A DecisionScored as scoring builds it for this proposal under the reference policy. */
function scored(fields: Parameters<typeof exampleDecisionProposed>[0]): PlatformEvent<'DecisionScored'> {
  const proposal = exampleDecisionProposed(fields);
  const { score, tier, reasons, rule } = assessRisk(proposal, policy);
  return newEvent('DecisionScored', {
    decisionId: 'dec-outputs-1',
    producer: 'scoring',
    payload: { proposal, score, tier, reasons, rule: toAppliedRule(rule) },
  });
}

// Routing publishes these without validating them again (the hot path's schema pass): this is the check.
describe('outputsFor: what routing publishes for each outcome is valid on its topic', () => {
  const refund = scored({ amount: usd(12) });
  const postHoc: RoutingOutcome = { route: 'auto', reasons: ['sampled'], postHocSample: true };
  it.each<[string, PlatformEvent<'DecisionScored'>, RoutingOutcome, string[]]>([
    ['a $12 refund, auto', refund, routeOf(refund, undefined), ['ActionApproved']],
    ['an auto decision drawn for a post-hoc sample', refund, postHoc, ['ActionApproved', 'ReviewRequested']],
    [
      'a disputed $150 credit, review',
      scored({ actionType: 'dispute-credit', amount: usd(150) }),
      routeOf(scored({ actionType: 'dispute-credit', amount: usd(150) }), undefined),
      ['ReviewRequested'],
    ],
    ['a blocked decision', refund, { route: 'block', reasons: ['halted'] }, ['DecisionBlocked']],
  ])('%s', (_name, event, outcome, types) => {
    const outputs = outputsFor(event, outcome);
    expect(outputs.map((o) => o.event.type)).toEqual(types);
    for (const { topic, event: output } of outputs) {
      const check = validateEventOn(topic, output);
      expect(check.ok ? [] : check.errors).toEqual([]);
      expect(output.decisionId).toBe(event.decisionId);
    }
  });

  it('derives the same eventIds from the same scored event, so a retried transaction repeats them', () => {
    const first = outputsFor(refund, postHoc).map((o) => o.event.eventId);
    const again = outputsFor(refund, postHoc).map((o) => o.event.eventId);
    expect(again).toEqual(first);
  });
});
