import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { DecisionObservation } from '@oversight/learning';
import { editsOf } from './edits-of';

const proposal = exampleDecisionProposed();
const observation: DecisionObservation = {
  decisionId: 'dec-1',
  businessFunction: proposal.businessFunction,
  actionType: proposal.actionType,
  modelId: proposal.agent.modelId,
  modelVersion: proposal.agent.modelVersion,
  confidence: proposal.confidence,
  route: 'review',
  tier: 'medium',
  routedAt: '2026-11-27T09:00:00.000Z',
  parameters: proposal.parameters,
  ...(proposal.amount ? { amount: proposal.amount } : {}),
};
const approval = (parameters: Record<string, unknown>) =>
  newEvent('ActionApproved', {
    decisionId: 'dec-1',
    producer: 'escalation',
    payload: {
      proposal: { ...proposal, parameters },
      score: 30,
      tier: 'medium',
      riskReasons: [],
      routingReasons: ['reviewed'],
      policy: { policyId: 'reference', policyVersion: 1 },
      mode: 'human',
      approvers: [],
    },
  }) as PlatformEvent;

describe('editsOf', () => {
  it.each<
    [string, PlatformEvent, DecisionObservation | undefined, string[] | undefined, string[] | undefined]
  >([
    ['approved as routed', approval(proposal.parameters), observation, ['accountId'], []],
    [
      'approved with a changed parameter',
      approval({ ...proposal.parameters, accountId: 'ACC-2' }),
      observation,
      undefined,
      ['accountId'],
    ],
    [
      'routing never seen: the recorded edits',
      approval(proposal.parameters),
      undefined,
      ['parameters'],
      ['parameters'],
    ],
    [
      'routing never seen and no edits recorded',
      approval(proposal.parameters),
      undefined,
      undefined,
      undefined,
    ],
    [
      'not an approval',
      newEvent('DecisionBlocked', {
        decisionId: 'dec-1',
        producer: 'routing',
        payload: {
          proposal,
          score: 90,
          tier: 'critical',
          riskReasons: [],
          routingReasons: ['blocked'],
          policy: { policyId: 'reference', policyVersion: 1 },
        },
      }) as PlatformEvent,
      observation,
      ['accountId'],
      undefined,
    ],
  ])('%s', (_name, event, routed, recorded, expected) => {
    expect(editsOf(event, routed, recorded)).toEqual(expected);
  });
});
