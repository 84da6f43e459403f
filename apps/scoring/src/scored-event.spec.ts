import { exampleDecisionProposed, newEvent, Topic, validateEventOn } from '@oversight/contracts';
import { loadPolicyFile, REFERENCE_POLICY_FILE, SAFE_DEFAULT_POLICY } from '@oversight/policy';
import { scoredEventFor } from './scored-event';

const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
const usd = (value: number) => ({ value, currency: 'USD' });
const proposed = (fields: Parameters<typeof exampleDecisionProposed>[0]) =>
  newEvent('DecisionProposed', {
    decisionId: 'dec-score-1',
    producer: 'agent',
    payload: exampleDecisionProposed(fields),
  });

// Scoring publishes these without validating them again (the hot path's schema pass): this is the check.
describe('scoredEventFor: the DecisionScored scoring publishes is valid on its topic', () => {
  it.each([
    ['a $12 refund under the reference policy', proposed({ amount: usd(12) }), reference],
    [
      'a $9,000 invoice under the reference policy',
      proposed({ businessFunction: 'finance-ap', actionType: 'invoice-posting', amount: usd(9_000) }),
      reference,
    ],
    ['a refund under the built-in safe default', proposed({ amount: usd(12) }), SAFE_DEFAULT_POLICY],
  ])('%s', (_name, event, policy) => {
    const scored = scoredEventFor(event, policy);
    const check = validateEventOn(Topic.DecisionScored, scored);
    expect(check.ok ? [] : check.errors).toEqual([]);
    expect(scored).toMatchObject({ decisionId: event.decisionId, causationId: event.eventId });
    expect(scored.payload.proposal).toBe(event.payload);
  });

  it('derives its eventId from the proposal, so a redelivered proposal is scored as the same event', () => {
    const event = proposed({ amount: usd(12) });
    expect(scoredEventFor(event, reference).eventId).toBe(scoredEventFor(event, reference).eventId);
  });
});
