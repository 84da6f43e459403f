import { ReviewActivity } from '@oversight/contracts';
import { ReviewTask } from '../review/review-task';

export const NOTIFICATION_SCHEMA = 'oversight.review-notification.v1';

export type NotificationKind = 'task-created' | 'task-claimed' | 'sla-warning' | 'task-escalated';

/**
 * What a webhook receives as its JSON body (and an email says in words). Versioned by `schema`; fields are only
 * ever added. A chat bridge needs `text` and `link`; the rest is for routing and display.
 */
export interface ReviewNotification {
  schema: typeof NOTIFICATION_SCHEMA;
  /** Unique per notification; the same on every retry of it, so a receiver can drop repeats. */
  deliveryId: string;
  kind: NotificationKind;
  decisionId: string;
  occurredAt: string;
  /** One line for a chat message or an email subject. */
  text: string;
  link: string;
  /** The roles being told. */
  roles: string[];
  task: {
    businessFunction: string;
    actionType: string;
    summary: string;
    tier: string;
    score: number;
    amount?: { value: number; currency: string };
    dueAt: string;
    expiresAt: string;
    quorum: { given: number; required: number };
    eligibleRoles: string[];
    escalationLevel: number;
  };
  actor?: { id: string };
}

/**
 * The notification an activity calls for, if any: a new task, a task claimed or handed to someone (so the
 * others know not to start on it), the SLA near, an escalation (told to the step's roles). Decided tasks and
 * the other acts notify nobody.
 */
export function notificationFor(
  activity: ReviewActivity,
  task: ReviewTask,
  meta: { eventId: string; occurredAt: string; consoleUrl: string },
): ReviewNotification | undefined {
  const kind = notificationKind(activity);
  if (!kind) return undefined;
  const p = task.proposal;
  const what = `${p.businessFunction}/${p.actionType}${p.amount ? ` of ${p.amount.value.toLocaleString('en-US')} ${p.amount.currency}` : ''}`;
  const due = `due ${task.dueAt.toISOString()}`;
  const texts: Record<NotificationKind, string> = {
    'task-created': `Review needed: ${what} (${task.tier} tier, ${activity.quorum.required} approval${activity.quorum.required > 1 ? 's' : ''}, ${due})`,
    'task-claimed': `${activity.assignee ?? activity.actor.id} is now working on ${what}`,
    'sla-warning': `SLA nearly over: ${what} is still waiting for ${activity.quorum.required - activity.quorum.given} approval(s), ${due}`,
    'task-escalated': `Escalated to you: ${what} was not decided in time (level ${activity.escalation?.level ?? 1})`,
  };
  const roles = kind === 'task-escalated' ? (activity.escalation?.notifyRoles ?? []) : task.eligibleRoles;
  return {
    schema: NOTIFICATION_SCHEMA,
    deliveryId: meta.eventId,
    kind,
    decisionId: task.decisionId,
    occurredAt: meta.occurredAt,
    text: texts[kind],
    link: `${meta.consoleUrl.replace(/\/$/, '')}/tasks/${encodeURIComponent(task.decisionId)}`,
    roles,
    task: {
      businessFunction: p.businessFunction,
      actionType: p.actionType,
      summary: p.context.summary,
      tier: task.tier,
      score: task.score,
      ...(p.amount ? { amount: p.amount } : {}),
      dueAt: task.dueAt.toISOString(),
      expiresAt: task.expiresAt.toISOString(),
      quorum: activity.quorum,
      eligibleRoles: task.eligibleRoles,
      escalationLevel: task.escalationLevel,
    },
    ...(activity.actor.kind === 'user' ? { actor: { id: activity.actor.id } } : {}),
  };
}

/** Which notification an act calls for, if any (cheap: decided before anything is read from the store). */
export function notificationKind(activity: ReviewActivity): NotificationKind | undefined {
  switch (activity.act) {
    case 'opened':
      return 'task-created';
    case 'claimed':
    case 'reassigned':
      return 'task-claimed';
    case 'sla-warning':
      return 'sla-warning';
    case 'escalated':
      return 'task-escalated';
    default:
      return undefined;
  }
}
