import { exampleDecisionProposed, newEvent, PlatformEvent, Reversibility } from '@oversight/contracts';
import { projectDecision } from '@oversight/audit-trail';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { checkReversal } from './reversal';

const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
const ranAt = new Date('2026-11-27T08:00:00.000Z');
const minutes = (n: number) => new Date(ranAt.getTime() + n * 60_000);

function journey(
  mode: 'auto' | 'human',
  reversibility = Reversibility.Reversible,
  extra: PlatformEvent[] = [],
): PlatformEvent[] {
  const proposal = exampleDecisionProposed({ reversibility });
  const approved = newEvent('ActionApproved', {
    decisionId: 'dec-1',
    producer: mode === 'auto' ? 'routing' : 'escalation',
    payload: {
      proposal,
      score: 5,
      tier: 'low',
      riskReasons: [],
      routingReasons: ['low-tier refunds run on their own'],
      policy: { policyId: 'reference', policyVersion: 1 },
      mode,
    },
  });
  const executed = newEvent('ActionExecuted', {
    decisionId: 'dec-1',
    producer: 'ledger',
    occurredAt: ranAt,
    payload: {
      executor: 'ledger',
      attempt: 1,
      idempotencyKey: 'ledger/dec-1#1',
      durationMs: 4,
      result: { ledgerEntry: 'L-1' },
    },
  });
  return [approved, executed, ...extra];
}

const requested = newEvent('ReversalRequested', {
  decisionId: 'dec-1',
  producer: 'gateway',
  payload: {
    executor: 'ledger',
    attempt: 1,
    proposal: exampleDecisionProposed(),
    requestedBy: { kind: 'user', id: 'vera', roles: ['supervisor'] },
    comment: 'fraud',
  },
});

describe('checkReversal', () => {
  it('lets a supervisor reverse what ran on its own, naming the executor, the try and what it reported', () => {
    const events = journey('auto');
    expect(
      checkReversal('dec-1', projectDecision('dec-1', events), events, policy, minutes(30)),
    ).toMatchObject({
      ok: true,
      executor: 'ledger',
      attempt: 1,
      result: { ledgerEntry: 'L-1' },
      proposal: { actionType: 'refund' },
    });
  });

  it.each<[string, PlatformEvent[], Date, string]>([
    ['a decision people approved', journey('human'), minutes(1), 'not-auto'],
    ['an irreversible action', journey('auto', Reversibility.Irreversible), minutes(1), 'irreversible'],
    [
      'one already asked for',
      journey('auto', Reversibility.Reversible, [requested]),
      minutes(1),
      'already-requested',
    ],
    ['one past the policy window (a day)', journey('auto'), minutes(24 * 60 + 1), 'window-closed'],
    ['one not carried out yet', journey('auto').slice(0, 1), minutes(1), 'not-executed'],
  ])('refuses %s', (_name, events, now, code) => {
    expect(checkReversal('dec-1', projectDecision('dec-1', events), events, policy, now)).toMatchObject({
      ok: false,
      status: 409,
      code,
    });
  });

  it('refuses where the policy allows no reversal, and answers 404 for an unknown decision', () => {
    const events = journey('auto');
    const strict = JSON.parse(JSON.stringify(policy));
    strict.defaults.reversalWindowMinutes = 0;
    expect(
      checkReversal('dec-1', projectDecision('dec-1', events), events, strict, minutes(1)),
    ).toMatchObject({
      code: 'not-reversible',
    });
    expect(checkReversal('dec-9', undefined, [], policy, minutes(1))).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});
