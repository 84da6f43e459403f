import {
  AbandonReason,
  Actor,
  DecisionProposed,
  MonetaryAmount,
  newEvent,
  PartyKind,
  PlatformEvent,
  Topic,
  TIERS,
} from '@oversight/contracts';
import { OutgoingEvent } from '@oversight/messaging';
import {
  assessRisk,
  excludedApprovers,
  PolicyDocument,
  resolveActionRule,
  rolesWithAuthority,
} from '@oversight/policy';

export const RESOLVE_STATUSES = ['open', 'retrying', 'resolved', 'abandoned'] as const;
export type ResolveStatus = (typeof RESOLVE_STATUSES)[number];

export type ResolveAct = 'failed' | 'retry-requested' | 'resubmitted' | 'abandoned' | 'executed';

/** One thing that happened to a resolve task, for the person who opens it next. */
export interface ResolveStep {
  act: ResolveAct;
  at: Date;
  by?: string;
  attempt?: number;
  code?: string;
  comment?: string;
  resubmittedAs?: string;
}

/**
 * An approved action that failed for good, waiting for a person: correct it and try again, or give up. Opened
 * from the executor's ActionFailed with the context it saw; opened again if the corrected try fails too.
 */
export interface ResolveTask {
  decisionId: string;
  executor: string;
  status: ResolveStatus;
  /** The last try that failed for good. */
  failedAttempt: number;
  error: { message: string; code?: string };
  context: Record<string, unknown>;
  /** The action as that try ran it. */
  proposal: DecisionProposed;
  history: ResolveStep[];
  /** Bumped by every write; a write expecting an older version is refused (optimistic concurrency). */
  version: number;
  openedAt: Date;
  updatedAt: Date;
}

export interface ResolveRefusal {
  kind: 'forbidden' | 'conflict';
  code: 'not-eligible' | 'own-request' | 'not-open' | 'over-authority' | 'no-change';
  message: string;
}

export type ResolveResult =
  | { ok: true; task: ResolveTask; events: OutgoingEvent[]; resubmittedAs?: string }
  | { ok: false; refusal: ResolveRefusal };

export interface Correction {
  parameters?: Record<string, unknown>;
  amount?: MonetaryAmount;
  comment: string;
}

const PRODUCER = 'escalation';
/** Besides the function's reviewers, supervisors may resolve any failed action. */
const SUPERVISOR = 'supervisor';

/**
 * The task an ActionFailed leaves for people, or undefined when it leaves none: the executor still retries on
 * its own, the report is a redelivery of one already seen, or the task was already settled.
 */
export function taskFromFailure(
  event: PlatformEvent<'ActionFailed'>,
  existing: ResolveTask | undefined,
  now: Date,
): ResolveTask | undefined {
  const failed = event.payload;
  if (failed.willRetry || !failed.proposal) return undefined;
  // A settled task stays settled: nothing runs after a resolved or abandoned action, so a failure reported now
  // is an old report read late.
  if (
    existing &&
    (existing.failedAttempt >= failed.attempt ||
      existing.status === 'abandoned' ||
      existing.status === 'resolved')
  )
    return undefined;
  const step: ResolveStep = {
    act: 'failed',
    at: now,
    attempt: failed.attempt,
    ...(failed.error.code ? { code: failed.error.code } : {}),
  };
  return {
    decisionId: event.decisionId,
    executor: failed.executor,
    status: 'open',
    failedAttempt: failed.attempt,
    error: failed.error,
    context: failed.context,
    proposal: failed.proposal,
    history: [...(existing?.history ?? []), step],
    version: (existing?.version ?? 0) + 1,
    openedAt: existing?.openedAt ?? now,
    updatedAt: now,
  };
}

/** A person's retry carried the action out: the task is resolved. */
export function taskAfterExecuted(
  task: ResolveTask,
  event: PlatformEvent<'ActionExecuted'>,
  now: Date,
): ResolveTask | undefined {
  if (task.status !== 'retrying' || event.payload.attempt <= task.failedAttempt) return undefined;
  return {
    ...task,
    status: 'resolved',
    history: [...task.history, { act: 'executed', at: now, attempt: event.payload.attempt }],
    version: task.version + 1,
    updatedAt: now,
  };
}

/** Why this person may not resolve this task now, if they may not. */
export function refusalFor(
  task: ResolveTask,
  actor: Actor,
  policy: PolicyDocument,
): ResolveRefusal | undefined {
  const { proposal } = task;
  const rule = resolveActionRule(policy, proposal.businessFunction, proposal.actionType);
  if (!actor.roles.includes(SUPERVISOR) && !actor.roles.some((role) => rule.review.roles.includes(role))) {
    return {
      kind: 'forbidden',
      code: 'not-eligible',
      message: `failed ${proposal.businessFunction}/${proposal.actionType} actions are resolved by ${[...rule.review.roles, SUPERVISOR].join(', ')}; you are ${actor.roles.join(', ')}`,
    };
  }
  const excluded = excludedApprovers({
    requesterId: proposal.requester.id,
    agentOwnerId: proposal.agent.ownerId,
    subjectId: proposal.subject?.id,
  });
  if (excluded.includes(actor.id)) {
    return {
      kind: 'conflict',
      code: 'own-request',
      message: `you requested this action, own its agent or are its subject: someone else must resolve it`,
    };
  }
  if (task.status !== 'open') {
    const why = {
      retrying: 'a corrected try is already with the executor',
      resolved: 'a corrected try was carried out',
      abandoned: 'it was abandoned',
      open: '',
    }[task.status];
    return { kind: 'conflict', code: 'not-open', message: `this failure is no longer open: ${why}` };
  }
  return undefined;
}

/**
 * Corrects the action and asks its executor to try again. A correction the policy scores riskier than the
 * action that was approved does not run on that approval: it is proposed again as a new decision
 * (`<decisionId>.r<try>`, this person as requester) and goes through scoring, routing and review.
 */
export function requestRetry(
  task: ResolveTask,
  actor: Actor,
  correction: Correction,
  policy: PolicyDocument,
  now: Date,
): ResolveResult {
  const refusal = refusalFor(task, actor, policy);
  if (refusal) return { ok: false, refusal };
  const corrected: DecisionProposed = {
    ...task.proposal,
    parameters: correction.parameters ?? task.proposal.parameters,
    ...(correction.amount ? { amount: correction.amount } : {}),
  };
  const changed = changedFields(task.proposal, corrected);
  const rule = resolveActionRule(policy, corrected.businessFunction, corrected.actionType);
  const ownReviewRoles = actor.roles.filter((role) => rule.review.roles.includes(role));
  if (
    corrected.amount &&
    !rolesWithAuthority(ownReviewRoles, rule.authority, rule.currency, corrected.amount).roles.length
  ) {
    return {
      ok: false,
      refusal: {
        kind: 'conflict',
        code: 'over-authority',
        message: `${corrected.amount.value} ${corrected.amount.currency} is over your authority for ${corrected.businessFunction}/${corrected.actionType}`,
      },
    };
  }
  const attempt = task.failedAttempt + 1;
  const riskier =
    TIERS.indexOf(assessRisk(corrected, policy).tier) > TIERS.indexOf(assessRisk(task.proposal, policy).tier);
  if (riskier) {
    const resubmittedAs = `${task.decisionId.slice(0, 120)}.r${attempt}`;
    const proposed = newEvent('DecisionProposed', {
      decisionId: resubmittedAs,
      correlationId: task.decisionId,
      producer: PRODUCER,
      payload: { ...corrected, requester: { kind: PartyKind.User, id: actor.id } },
    });
    const abandoned = abandonedEvent(
      task,
      actor,
      'resubmitted-for-review',
      correction.comment,
      resubmittedAs,
    );
    return {
      ok: true,
      resubmittedAs,
      task: settle(task, 'abandoned', {
        act: 'resubmitted',
        at: now,
        by: actor.id,
        comment: correction.comment,
        resubmittedAs,
      }),
      events: [
        { topic: Topic.DecisionProposed, event: proposed },
        { topic: Topic.ActionResolution, event: abandoned },
      ],
    };
  }
  const retry = newEvent('ExecutionRetryRequested', {
    decisionId: task.decisionId,
    producer: PRODUCER,
    payload: {
      executor: task.executor,
      attempt,
      proposal: corrected,
      requestedBy: actor,
      changed,
      comment: correction.comment,
    },
  });
  return {
    ok: true,
    task: settle(task, 'retrying', {
      act: 'retry-requested',
      at: now,
      by: actor.id,
      attempt,
      comment: correction.comment,
    }),
    events: [{ topic: Topic.ActionResolution, event: retry }],
  };
}

/** Gives up on the action: it will not run, and the audit trail says who decided so and why. */
export function abandon(
  task: ResolveTask,
  actor: Actor,
  reasonCode: AbandonReason,
  comment: string,
  policy: PolicyDocument,
  now: Date,
): ResolveResult {
  const refusal = refusalFor(task, actor, policy);
  if (refusal) return { ok: false, refusal };
  return {
    ok: true,
    task: settle(task, 'abandoned', { act: 'abandoned', at: now, by: actor.id, code: reasonCode, comment }),
    events: [{ topic: Topic.ActionResolution, event: abandonedEvent(task, actor, reasonCode, comment) }],
  };
}

function settle(task: ResolveTask, status: ResolveStatus, step: ResolveStep): ResolveTask {
  return { ...task, status, history: [...task.history, step], version: task.version + 1, updatedAt: step.at };
}

function abandonedEvent(
  task: ResolveTask,
  actor: Actor,
  reasonCode: AbandonReason,
  comment: string,
  resubmittedAs?: string,
) {
  return newEvent('ActionAbandoned', {
    decisionId: task.decisionId,
    producer: PRODUCER,
    payload: {
      executor: task.executor,
      abandonedBy: actor,
      reasonCode,
      comment,
      ...(resubmittedAs ? { resubmittedAs } : {}),
    },
  });
}

/** The parameter names whose values differ, and `amount` when it changed. */
function changedFields(before: DecisionProposed, after: DecisionProposed): string[] {
  const names = new Set([...Object.keys(before.parameters), ...Object.keys(after.parameters)]);
  const changed = [...names].filter(
    (name) => JSON.stringify(before.parameters[name]) !== JSON.stringify(after.parameters[name]),
  );
  if (JSON.stringify(before.amount) !== JSON.stringify(after.amount)) changed.push('amount');
  return changed.map((name) => name.slice(0, 200));
}
