import {
  ActionApproved,
  Actor,
  Approver,
  DecisionProposed,
  DecisionRejected,
  EscalationStep,
  MonetaryAmount,
  QuorumProgress,
  RejectionRule,
  Rescore,
  ReviewActivity,
  ReviewKind,
  ReviewRejectionReason,
  ReviewRequested,
  ReviewTaskStatus,
  RiskReason,
  Tier,
  TimeoutAction,
} from '@oversight/contracts';
import { rolesWithAuthority } from '@oversight/policy';

/** One person's vote on a task, with the roles their token carried when they cast it. */
export interface Vote {
  id: string;
  roles: string[];
  at: Date;
  onBehalfOf?: string;
  reasonCode?: ReviewRejectionReason;
  comment?: string;
}

/**
 * A decision waiting for people: what they are asked to approve (the proposal, after any edits), who may
 * approve it, how many must, by when, and the votes so far. Every change is a pure function below that either
 * refuses with a reason a person understands or returns the next version of the task and what happened.
 */
export interface ReviewTask {
  decisionId: string;
  /** Optimistic concurrency: every accepted act writes version + 1 over the version it read. */
  version: number;
  kind: ReviewKind;
  status: ReviewTaskStatus;
  /** The ReviewRequested event's id and trace: the task's outcome events are derived from it. */
  requestEventId: string;
  correlationId: string;
  /**
   * The review request's W3C trace context (tiny, bounded): the outcome, published when people decide, continues
   * the decision's trace from here, so no span stays open while the task waits.
   */
  trace?: { traceparent: string; tracestate?: string };

  proposal: DecisionProposed;
  score: number;
  tier: Tier;
  riskReasons: RiskReason[];
  routingReasons: string[];
  policy: { policyId: string; policyVersion: number };

  approvalsRequired: number;
  /** Roles that may approve now: the requirement's roles with authority for the amount, plus escalations. */
  eligibleRoles: string[];
  excludedApprovers: string[];
  seniorRole?: string;
  rejectWhen: RejectionRule;
  /** Role → the most it may approve, in `currency`: the requirement's and the escalation steps' roles. */
  authority: Record<string, number>;
  currency?: string;
  escalation: EscalationStep[];
  onTimeout: TimeoutAction;

  requestedAt: Date;
  /** The SLA: when the first group should have decided. */
  dueAt: Date;
  /** When the policy's default applies if still nobody has decided. */
  expiresAt: Date;
  /** How many escalation steps have fired. */
  escalationLevel: number;
  /** Set once the reviewers have been warned that the SLA is near (see slaWarningAt). */
  slaWarned?: boolean;
  /** The earliest moment a timer is due (escalation or expiry); absent once decided. */
  nextTimerAt?: Date;

  approvals: Vote[];
  rejections: Vote[];
  claim?: { by: string; until: Date };
  edits: number;
  decidedAt?: Date;
}

/** Why an act was refused: `forbidden` (the person may not act here at all) or `conflict` (not now, not so). */
export interface Refusal {
  kind: 'forbidden' | 'conflict';
  code: string;
  message: string;
}

/** What an accepted act leaves behind: the task's next version, its activity, and at most one outcome. */
export interface ActResult {
  task: ReviewTask;
  activities: ReviewActivity[];
  outcome?:
    | { type: 'ActionApproved'; payload: ActionApproved }
    | { type: 'DecisionRejected'; payload: DecisionRejected };
}

export type Acted = { ok: true; result: ActResult } | { ok: false; refusal: Refusal };

/** Timers act as the platform itself. */
export const PLATFORM_ACTOR: Actor = { kind: 'system', id: 'escalation', roles: [] };

export const TERMINAL_STATUSES: readonly ReviewTaskStatus[] = ['approved', 'rejected', 'expired'];

export function isDecided(task: ReviewTask): boolean {
  return TERMINAL_STATUSES.includes(task.status);
}

/** A claim whose lease has run out no longer holds anyone off. */
export function liveClaim(task: ReviewTask, now: Date): ReviewTask['claim'] {
  return task.claim && task.claim.until.getTime() > now.getTime() ? task.claim : undefined;
}

export function quorum(task: ReviewTask): QuorumProgress {
  return { given: task.approvals.length, required: task.approvalsRequired };
}

// ---------------------------------------------------------------------------------------------------------
// Opening and timing

/**
 * The final deadline: the SLA when there is no escalation; otherwise one more SLA period after the later of
 * the SLA and the last escalation step, so the last group notified has as long as the first had.
 */
export function finalDeadline(requestedAt: Date, dueAt: Date, steps: EscalationStep[]): Date {
  if (steps.length === 0) return dueAt;
  const sla = dueAt.getTime() - requestedAt.getTime();
  const lastStep = requestedAt.getTime() + Math.max(...steps.map((step) => step.afterMinutes)) * 60_000;
  return new Date(Math.max(dueAt.getTime(), lastStep) + sla);
}

function stepAt(task: ReviewTask, index: number): Date {
  return new Date(task.requestedAt.getTime() + task.escalation[index].afterMinutes * 60_000);
}

/** Steps in firing order; a policy may list them in any order. */
function orderSteps(steps: EscalationStep[]): EscalationStep[] {
  return [...steps].sort((a, b) => a.afterMinutes - b.afterMinutes);
}

/** Reviewers are warned when four fifths of the SLA have passed. */
export function slaWarningAt(task: Pick<ReviewTask, 'requestedAt' | 'dueAt'>): Date {
  const sla = task.dueAt.getTime() - task.requestedAt.getTime();
  return new Date(task.requestedAt.getTime() + Math.floor(sla * 0.8));
}

function nextTimer(task: ReviewTask): Date | undefined {
  if (isDecided(task)) return undefined;
  const candidates = [task.expiresAt];
  if (task.escalationLevel < task.escalation.length) candidates.push(stepAt(task, task.escalationLevel));
  if (!task.slaWarned) candidates.push(slaWarningAt(task));
  return new Date(Math.min(...candidates.map((at) => at.getTime())));
}

export interface ReviewRequestedEvent {
  eventId: string;
  correlationId: string;
  occurredAt: string;
  decisionId: string;
  payload: ReviewRequested;
}

/** A new task for a review request: open, nobody's yet, its timers set from the request time. */
export function openTask(request: ReviewRequestedEvent): ActResult {
  const p = request.payload;
  const requestedAt = new Date(request.occurredAt);
  const dueAt = new Date(p.dueAt);
  const escalation = orderSteps(p.escalation);
  const task: ReviewTask = {
    decisionId: request.decisionId,
    version: 1,
    kind: p.kind,
    status: 'open',
    requestEventId: request.eventId,
    correlationId: request.correlationId,
    proposal: p.proposal,
    score: p.score,
    tier: p.tier,
    riskReasons: p.riskReasons,
    routingReasons: p.routingReasons,
    policy: p.policy,
    approvalsRequired: p.approvals,
    eligibleRoles: p.eligibleRoles,
    excludedApprovers: p.excludedApprovers,
    ...(p.seniorRole ? { seniorRole: p.seniorRole } : {}),
    rejectWhen: p.rejectWhen ?? 'first',
    authority: p.authority ?? {},
    ...(p.currency ? { currency: p.currency } : {}),
    escalation,
    onTimeout: p.onTimeout,
    requestedAt,
    dueAt,
    expiresAt: finalDeadline(requestedAt, dueAt, escalation),
    escalationLevel: 0,
    approvals: [],
    rejections: [],
    edits: 0,
  };
  task.nextTimerAt = nextTimer(task);
  return { task, activities: [activity(task, 'opened', PLATFORM_ACTOR)] };
}

/**
 * Fires every timer due at `now`: escalation steps whose time has come, then the final timeout, which applies
 * the policy's default. Never approves money by silence: a timeout-approve of an action with an amount is
 * turned into a rejection that says so.
 */
export function fireTimers(current: ReviewTask, now: Date): Acted {
  if (isDecided(current))
    return refuse('conflict', 'already-decided', `the review is already ${current.status}`);
  let task = { ...current };
  const activities: ReviewActivity[] = [];
  if (!task.slaWarned && slaWarningAt(task) <= now) {
    task = { ...task, slaWarned: true };
    // Past the SLA the escalation says more than a warning would.
    if (now < task.dueAt) {
      activities.push(
        activity(task, 'sla-warning', PLATFORM_ACTOR, {
          comment: `the SLA ends at ${task.dueAt.toISOString()}`,
        }),
      );
    }
  }
  while (task.escalationLevel < task.escalation.length && stepAt(task, task.escalationLevel) <= now) {
    const escalated = escalate(task, PLATFORM_ACTOR);
    task = escalated.task;
    activities.push(...escalated.activities);
  }
  if (task.expiresAt > now) {
    const changed = activities.length > 0 || task.slaWarned !== current.slaWarned;
    if (!changed) return refuse('conflict', 'not-due', 'no timer of this review is due yet');
    return accepted({ task: advance(task), activities });
  }

  task = { ...task, status: 'expired', decidedAt: now, claim: undefined };
  if (task.kind === 'post-hoc-sample') {
    // The action already ran: an unanswered sample just closes.
    activities.push(
      activity(task, 'expired', PLATFORM_ACTOR, { comment: 'nobody checked this sample in time' }),
    );
    return accepted({ task: advance(task), activities });
  }
  const silenceApproves = task.onTimeout === 'approve' && !task.proposal.amount;
  const comment =
    task.onTimeout === 'approve' && task.proposal.amount
      ? `nobody decided by ${task.expiresAt.toISOString()}; the policy's default is approve, but money is never approved by silence`
      : `nobody decided by ${task.expiresAt.toISOString()}; the policy's default is ${task.onTimeout}`;
  activities.push(activity(task, 'expired', PLATFORM_ACTOR, { comment }));
  return accepted({
    task: advance(task),
    activities,
    outcome: silenceApproves
      ? { type: 'ActionApproved', payload: { ...routed(task), mode: 'timeout-default' } }
      : {
          type: 'DecisionRejected',
          payload: {
            ...routed(task),
            mode: 'timeout-default',
            rejectedBy: [],
            reasonCode: 'timeout',
            comment,
          },
        },
  });
}

/** A reviewer (or the platform) sends the task to the next escalation step's roles now. */
export function escalateNow(task: ReviewTask, actor: Actor, now: Date, comment?: string): Acted {
  const closed = refuseIfClosed(task, now);
  if (closed) return closed;
  const who = mayAct(task, actor, 'escalate');
  if (who) return { ok: false, refusal: who };
  if (task.escalationLevel >= task.escalation.length) {
    return refuse('conflict', 'no-escalation-left', 'every escalation step of this review has already fired');
  }
  const escalated = escalate(task, actor, comment);
  return accepted({ task: advance(escalated.task), activities: escalated.activities });
}

function escalate(
  task: ReviewTask,
  actor: Actor,
  comment?: string,
): { task: ReviewTask; activities: ReviewActivity[] } {
  const step = task.escalation[task.escalationLevel];
  const { roles } = rolesWithAuthority(
    step.notifyRoles,
    task.authority,
    task.currency ?? '',
    task.proposal.amount,
  );
  const next: ReviewTask = {
    ...task,
    escalationLevel: task.escalationLevel + 1,
    eligibleRoles: [...new Set([...task.eligibleRoles, ...roles])],
  };
  return {
    task: next,
    activities: [
      activity(next, 'escalated', actor, {
        escalation: { level: next.escalationLevel, notifyRoles: step.notifyRoles },
        ...(comment ? { comment } : {}),
      }),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Who may act

type Intent = 'claim' | 'approve' | 'reject' | 'edit' | 'escalate' | 'comment';

function describeAmount(amount: MonetaryAmount): string {
  return `${amount.value.toLocaleString('en-US')} ${amount.currency}`;
}

/**
 * Segregation of duties, then role, then authority: returns the refusal for a person who may not do `intent`
 * on this task, or undefined when they may.
 */
export function mayAct(task: ReviewTask, actor: Actor, intent: Intent): Refusal | undefined {
  const p = task.proposal;
  if (actor.kind === 'user' && intent !== 'comment' && actor.onBehalfOf) {
    // Whoever may not act on it may not act on it through a delegate either.
    const forDelegator = mayAct(task, { kind: 'user', id: actor.onBehalfOf, roles: actor.roles }, intent);
    if (forDelegator && forDelegator.kind === 'conflict' && forDelegator.code !== 'over-authority') {
      return {
        ...forDelegator,
        message: `on behalf of ${actor.onBehalfOf}: ${forDelegator.message.replace(/^you /, 'they ')}`,
      };
    }
  }
  if (actor.kind === 'user' && intent !== 'comment') {
    if (p.requester.id === actor.id) {
      return {
        kind: 'conflict',
        code: 'own-request',
        message: `you requested this action, so you may not ${intent} it: someone else must review it (segregation of duties)`,
      };
    }
    if (p.agent.ownerId === actor.id) {
      return {
        kind: 'conflict',
        code: 'agent-owner',
        message: `you own agent ${p.agent.id}, which proposed this action, so you may not ${intent} it (segregation of duties)`,
      };
    }
    if (p.subject?.id === actor.id || task.excludedApprovers.includes(actor.id)) {
      return {
        kind: 'conflict',
        code: 'excluded',
        message: `you are a party to this action (${p.subject?.id === actor.id ? 'its subject' : 'excluded by the policy'}), so you may not ${intent} it`,
      };
    }
  }
  if (actor.kind === 'system') return undefined;
  if (intent === 'comment' && actor.roles.includes('supervisor')) return undefined;
  if (actor.roles.some((role) => task.eligibleRoles.includes(role)))
    return delegateOverAuthority(task, actor);
  const knownRoles = actor.roles.filter((role) => role in task.authority);
  if (knownRoles.length > 0 && p.amount) {
    const limits = knownRoles
      .map((role) =>
        `${role} may approve up to ${task.authority[role].toLocaleString('en-US')} ${task.currency ?? ''}`.trim(),
      )
      .join('; ');
    return {
      kind: 'conflict',
      code: 'over-authority',
      message: `this action moves ${describeAmount(p.amount)}, over your authority (${limits})`,
    };
  }
  return {
    kind: 'forbidden',
    code: 'not-eligible',
    message: `only ${task.eligibleRoles.join(' or ')} may ${intent} this review; your roles are ${actor.roles.join(', ') || 'none'}`,
  };
}

/**
 * A delegate acts with the delegator's roles but never with more authority than their own roles give them: the
 * lower of the two limits applies.
 */
function delegateOverAuthority(
  task: ReviewTask,
  actor: Actor & { ownRoles?: string[] },
): Refusal | undefined {
  const amount = task.proposal.amount;
  if (!actor.onBehalfOf || !amount) return undefined;
  const own = actor.ownRoles ?? [];
  const cap = Math.max(0, ...own.map((role) => task.authority[role] ?? 0));
  if (amount.currency === task.currency && amount.value <= cap) return undefined;
  return {
    kind: 'conflict',
    code: 'over-authority',
    message: `as delegate of ${actor.onBehalfOf} you may approve only up to your own limit (${describeAmount({ value: cap, currency: task.currency ?? amount.currency })}); this action moves ${describeAmount(amount)}`,
  };
}

function refuseIfClosed(task: ReviewTask, now: Date): Acted | undefined {
  if (isDecided(task)) {
    return refuse(
      'conflict',
      'already-decided',
      `the review is already ${task.status}${task.decidedAt ? ` (since ${task.decidedAt.toISOString()})` : ''}`,
    );
  }
  if (task.expiresAt <= now) {
    return refuse(
      'conflict',
      'expired',
      `the review closed at ${task.expiresAt.toISOString()}; the policy's default (${task.onTimeout}) applies`,
    );
  }
  return undefined;
}

function refuseIfClaimedByOther(task: ReviewTask, actor: Actor, now: Date): Acted | undefined {
  const claim = liveClaim(task, now);
  if (claim && claim.by !== actor.id) {
    return refuse(
      'conflict',
      'claimed',
      `${claim.by} is working on this review until ${claim.until.toISOString()}`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Reviewer acts

export function claim(task: ReviewTask, actor: Actor, now: Date, leaseMs: number): Acted {
  const refused = refuseIfClosed(task, now) ?? refuseIfClaimedByOther(task, actor, now);
  if (refused) return refused;
  const who = mayAct(task, actor, 'claim');
  if (who) return { ok: false, refusal: who };
  const until = new Date(now.getTime() + leaseMs);
  const next = advance({ ...task, status: 'claimed', claim: { by: actor.id, until } });
  return accepted({
    task: next,
    activities: [activity(next, 'claimed', actor, { claimUntil: until.toISOString() })],
  });
}

export function release(task: ReviewTask, actor: Actor, now: Date): Acted {
  const refused = refuseIfClosed(task, now);
  if (refused) return refused;
  const current = liveClaim(task, now);
  if (!current) return refuse('conflict', 'not-claimed', 'nobody is working on this review');
  if (current.by !== actor.id && !actor.roles.includes('supervisor')) {
    return refuse('conflict', 'claimed', `only ${current.by} or a supervisor may release this review`);
  }
  const next = advance({ ...task, status: 'open', claim: undefined });
  return accepted({ task: next, activities: [activity(next, 'released', actor)] });
}

/** A supervisor hands the task to someone else, who holds it for one lease. */
export function reassign(
  task: ReviewTask,
  actor: Actor,
  assignee: string,
  now: Date,
  leaseMs: number,
): Acted {
  const refused = refuseIfClosed(task, now);
  if (refused) return refused;
  if (!actor.roles.includes('supervisor')) {
    return refuse('forbidden', 'not-supervisor', 'only a supervisor may reassign a review');
  }
  if (assignee === task.proposal.requester.id || task.excludedApprovers.includes(assignee)) {
    return refuse('conflict', 'excluded', `${assignee} is a party to this action and may not review it`);
  }
  const until = new Date(now.getTime() + leaseMs);
  const next = advance({ ...task, status: 'claimed', claim: { by: assignee, until } });
  return accepted({
    task: next,
    activities: [activity(next, 'reassigned', actor, { assignee, claimUntil: until.toISOString() })],
  });
}

export function comment(task: ReviewTask, actor: Actor, text: string): Acted {
  const who = mayAct(task, actor, 'comment');
  if (who) return { ok: false, refusal: who };
  const next = advance({ ...task });
  return accepted({ task: next, activities: [activity(next, 'commented', actor, { comment: text })] });
}

/**
 * One approval. Counts once per person; when the quorum is met the task is approved and the one ActionApproved
 * of this decision is the outcome. The last approval of a critical-tier decision must come from the senior
 * role when the policy names one.
 */
export function approve(task: ReviewTask, actor: Actor, now: Date, note?: string): Acted {
  const refused = refuseIfClosed(task, now) ?? refuseIfClaimedByOther(task, actor, now);
  if (refused) return refused;
  const who = mayAct(task, actor, 'approve');
  if (who) return { ok: false, refusal: who };
  if (task.approvals.some((vote) => sameVoter(vote, actor))) {
    return refuse(
      'conflict',
      'already-approved',
      'you have already approved this review; another person must give the next approval',
    );
  }
  const approvals = [...task.approvals, vote(actor, now, { comment: note })];
  const senior = task.seniorRole;
  if (
    senior &&
    approvals.length >= task.approvalsRequired &&
    !approvals.some((v) => v.roles.includes(senior))
  ) {
    return refuse(
      'conflict',
      'senior-required',
      `this is a ${task.tier}-tier decision: one of its ${task.approvalsRequired} approvals must come from a ${senior}`,
    );
  }
  return accepted(settle({ ...task, approvals }, actor, now, note));
}

/** A rejection with its reason; by default the first one by an eligible reviewer ends the review. */
export function reject(
  task: ReviewTask,
  actor: Actor,
  now: Date,
  reasonCode: ReviewRejectionReason,
  note: string,
): Acted {
  const refused = refuseIfClosed(task, now) ?? refuseIfClaimedByOther(task, actor, now);
  if (refused) return refused;
  const who = mayAct(task, actor, 'reject');
  if (who) return { ok: false, refusal: who };
  if (task.rejections.some((v) => sameVoter(v, actor))) {
    return refuse('conflict', 'already-rejected', 'you have already rejected this review');
  }
  const rejections = [...task.rejections, vote(actor, now, { reasonCode, comment: note })];
  const needed = task.rejectWhen === 'first' ? 1 : task.approvalsRequired;
  const ends = rejections.length >= needed;
  const next = advance({
    ...task,
    rejections,
    ...(ends ? { status: 'rejected' as const, decidedAt: now, claim: undefined } : {}),
  });
  const activities = [activity(next, 'rejected', actor, { reasonCode, comment: note })];
  if (!ends) return accepted({ task: next, activities });
  return accepted({
    task: next,
    activities,
    outcome: {
      type: 'DecisionRejected',
      payload: {
        ...routed(next),
        mode: 'human',
        rejectedBy: rejections.map(approver),
        reasonCode,
        comment: note,
      },
    },
  });
}

/** The re-scoring of an edited action, computed by the caller against the policy in force. */
export interface EditAssessment {
  rescore: Rescore;
  /** Set when the policy would block the edited action outright. */
  blockedBecause?: string;
  seniorRole?: string;
}

/**
 * Edit-then-approve: the reviewer changes the action's parameters (and amount) and approves the result. The
 * edited action was re-scored; the quorum only ever rises, eligibility follows the new amount, and approvals
 * given to the old parameters no longer count.
 */
export function editAndApprove(
  task: ReviewTask,
  actor: Actor,
  now: Date,
  edit: { parameters: Record<string, unknown>; amount?: MonetaryAmount; comment: string },
  assessment: EditAssessment,
): Acted {
  const refused = refuseIfClosed(task, now) ?? refuseIfClaimedByOther(task, actor, now);
  if (refused) return refused;
  if (task.kind !== 'blocking') {
    return refuse(
      'conflict',
      'not-editable',
      'an after-the-fact sample reviews an action that already ran; it cannot be edited',
    );
  }
  const who = mayAct(task, actor, 'edit');
  if (who) return { ok: false, refusal: who };
  if (assessment.blockedBecause) {
    return refuse(
      'conflict',
      'edit-blocked',
      `the policy would block the edited action: ${assessment.blockedBecause}`,
    );
  }
  const { rescore } = assessment;
  const edited: ReviewTask = {
    ...task,
    proposal: {
      ...task.proposal,
      parameters: edit.parameters,
      ...(edit.amount ? { amount: edit.amount } : {}),
    },
    score: rescore.score,
    tier: rescore.tier,
    riskReasons: rescore.reasons,
    approvalsRequired: Math.max(task.approvalsRequired, rescore.approvalsRequired),
    eligibleRoles: rescore.eligibleRoles,
    ...(assessment.seniorRole ? { seniorRole: assessment.seniorRole } : {}),
    approvals: [],
    edits: task.edits + 1,
  };
  const stillMay = mayAct(edited, actor, 'approve');
  if (stillMay)
    return { ok: false, refusal: { ...stillMay, message: `after your edit, ${stillMay.message}` } };
  const senior = edited.seniorRole;
  const approvals = [vote(actor, now, { comment: edit.comment })];
  if (senior && edited.approvalsRequired === 1 && !actor.roles.includes(senior)) {
    return refuse(
      'conflict',
      'senior-required',
      `the edited action is ${rescore.tier}-tier: a ${senior} must approve it`,
    );
  }
  const editedActivity = activity(edited, 'edited', actor, {
    parameters: edit.parameters,
    ...(edit.amount ? { amount: edit.amount } : {}),
    rescore: { ...rescore, approvalsRequired: edited.approvalsRequired },
    comment: edit.comment,
  });
  const settled = settle({ ...edited, approvals }, actor, now, edit.comment);
  return accepted({ ...settled, activities: [editedActivity, ...settled.activities] });
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** Records an approval that is already in `task.approvals`, approving the action once the quorum is met. */
function settle(task: ReviewTask, actor: Actor, now: Date, note?: string): ActResult {
  const met = task.approvals.length >= task.approvalsRequired;
  // The approver's part is done: their claim, if any, ends so the next approver can work.
  const next = advance({
    ...task,
    ...(met ? { status: 'approved' as const, decidedAt: now } : { status: 'open' as const }),
    claim: undefined,
  });
  const activities = [activity(next, 'approved', actor, note ? { comment: note } : {})];
  if (!met || next.kind === 'post-hoc-sample') return { task: next, activities };
  return {
    task: next,
    activities,
    outcome: {
      type: 'ActionApproved',
      payload: { ...routed(next), mode: 'human', approvers: next.approvals.map(approver) },
    },
  };
}

/** One natural person's authority counts once: in their own right or through one delegation. */
function sameVoter(vote: Vote, actor: Actor): boolean {
  const people = [actor.id, actor.onBehalfOf].filter(Boolean);
  return people.includes(vote.id) || (vote.onBehalfOf !== undefined && people.includes(vote.onBehalfOf));
}

function advance(task: ReviewTask): ReviewTask {
  const next = { ...task, version: task.version + 1 };
  const timer = nextTimer(next);
  if (timer) next.nextTimerAt = timer;
  else delete next.nextTimerAt;
  return next;
}

function vote(actor: Actor, at: Date, extra: Partial<Vote>): Vote {
  const v: Vote = { id: actor.id, roles: actor.roles, at };
  if (actor.onBehalfOf) v.onBehalfOf = actor.onBehalfOf;
  if (extra.reasonCode) v.reasonCode = extra.reasonCode;
  if (extra.comment) v.comment = extra.comment;
  return v;
}

function approver(v: Vote): Approver {
  return {
    id: v.id,
    roles: v.roles,
    at: v.at.toISOString(),
    ...(v.onBehalfOf ? { onBehalfOf: v.onBehalfOf } : {}),
  };
}

function routed(task: ReviewTask) {
  return {
    proposal: task.proposal,
    score: task.score,
    tier: task.tier,
    riskReasons: task.riskReasons,
    routingReasons: task.routingReasons,
    policy: task.policy,
  };
}

function activity(
  task: ReviewTask,
  act: ReviewActivity['act'],
  actor: Actor,
  extra: Partial<ReviewActivity> = {},
): ReviewActivity {
  // Only the contract's fields: a delegate's own roles stay out of the event.
  const { kind, id, roles, onBehalfOf } = actor;
  return {
    act,
    actor: { kind, id, roles, ...(onBehalfOf ? { onBehalfOf } : {}) },
    taskVersion: task.version,
    status: task.status,
    quorum: quorum(task),
    ...extra,
  };
}

/** Every activity written together carries the version of the write that recorded it. */
function accepted(result: ActResult): Acted {
  const taskVersion = result.task.version;
  return {
    ok: true,
    result: { ...result, activities: result.activities.map((a) => ({ ...a, taskVersion })) },
  };
}

function refuse(kind: Refusal['kind'], code: string, message: string): Acted {
  return { ok: false, refusal: { kind, code, message } };
}
