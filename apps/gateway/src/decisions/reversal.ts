import { DecisionProjection } from '@oversight/audit-trail';
import { DecisionProposed, PlatformEvent, Reversibility } from '@oversight/contracts';
import { PolicyDocument, resolveActionRule } from '@oversight/policy';

export type ReversalCheck =
  | {
      ok: true;
      executor: string;
      attempt: number;
      proposal: DecisionProposed;
      result?: Record<string, unknown>;
    }
  | { ok: false; status: 404 | 409; code: string; message: string };

/**
 * Whether a supervisor may reverse this decision now: it ran on its own (on the loop, not a person's approval),
 * its executor carried it out, it is not irreversible, nobody asked already, and the policy's window is open.
 * `events` are the decision's audit records in chain order.
 */
export function checkReversal(
  decisionId: string,
  projection: DecisionProjection | undefined,
  events: PlatformEvent[],
  policy: PolicyDocument,
  now: Date,
): ReversalCheck {
  const refuse = (code: string, message: string): ReversalCheck => ({
    ok: false,
    status: 409,
    code,
    message,
  });
  if (!projection)
    return {
      ok: false,
      status: 404,
      code: 'not-found',
      message: `no decision ${decisionId} in the audit trail`,
    };
  if (projection.route !== 'auto') {
    return refuse(
      'not-auto',
      `${decisionId} did not run on its own (${projection.state ?? 'unknown'}): reversal after the fact is for what automation did`,
    );
  }
  if (projection.state === 'reversed')
    return refuse('already-reversed', `${decisionId} was reversed already`);
  if (projection.reversalRequestedBy) {
    return refuse(
      'already-requested',
      `${projection.reversalRequestedBy} already asked to reverse ${decisionId}`,
    );
  }
  const executed = [...events]
    .reverse()
    .find((event): event is PlatformEvent<'ActionExecuted'> => event.type === 'ActionExecuted');
  if (!executed || (projection.state !== 'executed' && projection.state !== 'resolved')) {
    return refuse(
      'not-executed',
      `${decisionId} has not been carried out (${projection.state ?? 'unknown'}): there is nothing to undo`,
    );
  }
  const retried = events.find(
    (event): event is PlatformEvent<'ExecutionRetryRequested'> =>
      event.type === 'ExecutionRetryRequested' && event.payload.attempt === executed.payload.attempt,
  );
  const approved = events.find(
    (event): event is PlatformEvent<'ActionApproved'> => event.type === 'ActionApproved',
  );
  const proposal = retried?.payload.proposal ?? approved?.payload.proposal;
  if (!proposal) return refuse('not-executed', `the audit trail holds no approval for ${decisionId}`);
  if (proposal.reversibility === Reversibility.Irreversible) {
    return refuse(
      'irreversible',
      `${proposal.actionType} ${decisionId} was proposed as irreversible: it cannot be undone`,
    );
  }
  const { reversalWindowMinutes } = resolveActionRule(policy, proposal.businessFunction, proposal.actionType);
  if (reversalWindowMinutes === 0) {
    return refuse(
      'not-reversible',
      `policy ${policy.policyId} v${policy.version} allows no reversal of ${proposal.businessFunction}/${proposal.actionType}`,
    );
  }
  const closesAt = Date.parse(executed.occurredAt) + reversalWindowMinutes * 60_000;
  if (now.getTime() > closesAt) {
    return refuse(
      'window-closed',
      `${decisionId} ran at ${executed.occurredAt}; policy ${policy.policyId} v${policy.version} allows reversal for ${reversalWindowMinutes} minutes, until ${new Date(closesAt).toISOString()}`,
    );
  }
  return {
    ok: true,
    executor: executed.payload.executor,
    attempt: executed.payload.attempt,
    proposal,
    ...(executed.payload.result ? { result: executed.payload.result } : {}),
  };
}
