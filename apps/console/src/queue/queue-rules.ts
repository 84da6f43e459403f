import type { ReviewTaskView } from '../api/types';

// What the queue shows and in which order: plain functions, so the rules are tested without a browser.

export const TIER_ORDER = ['low', 'medium', 'high', 'critical'] as const;

export type QueueSort = 'sla' | 'amount' | 'tier';

export interface QueueFilter {
  businessFunction: string;
  tier: string;
  /** Matched against the decision id, action type, subject and agent. */
  text: string;
  /** Hide tasks someone else holds a claim on. */
  onlyAvailable: boolean;
}

export const NO_FILTER: QueueFilter = { businessFunction: '', tier: '', text: '', onlyAvailable: false };

export interface SlaClock {
  label: string;
  /** `overdue` past the SLA, `soon` within a fifth of it, else `ok`. */
  tone: 'ok' | 'soon' | 'overdue';
}

function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** The SLA countdown of a task at `now`: time left, or how long it is overdue. */
export function slaClock(requestedAt: string, dueAt: string, now: number): SlaClock {
  const due = Date.parse(dueAt);
  const left = due - now;
  if (left <= 0) return { label: `overdue ${duration(-left)}`, tone: 'overdue' };
  const period = due - Date.parse(requestedAt);
  return { label: `${duration(left)} left`, tone: left <= period / 5 ? 'soon' : 'ok' };
}

export function formatAmount(amount: { value: number; currency?: string } | undefined): string {
  if (!amount) return '—';
  if (!amount.currency) return amount.value.toLocaleString('en-US');
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: amount.currency,
    maximumFractionDigits: amount.value % 1 === 0 ? 0 : 2,
  }).format(amount.value);
}

export function quorumLabel(quorum: { given: number; required: number }): string {
  return `${quorum.given} of ${quorum.required}`;
}

function matches(task: ReviewTaskView, filter: QueueFilter, me: string, now: number): boolean {
  if (filter.businessFunction && task.proposal.businessFunction !== filter.businessFunction) return false;
  if (filter.tier && task.tier !== filter.tier) return false;
  if (filter.onlyAvailable && task.claim && task.claim.by !== me && Date.parse(task.claim.until) > now) {
    return false;
  }
  const text = filter.text.trim().toLowerCase();
  if (!text) return true;
  const { proposal } = task;
  return [task.decisionId, proposal.actionType, proposal.subject?.id, proposal.agent.id]
    .filter((field): field is string => Boolean(field))
    .some((field) => field.toLowerCase().includes(text));
}

const tierRank = (tier: string) => TIER_ORDER.indexOf(tier as (typeof TIER_ORDER)[number]);

/** The tasks that pass the filter, in the chosen order; ties fall back to the nearest SLA. */
export function arrangeQueue(
  tasks: ReviewTaskView[],
  filter: QueueFilter,
  sort: QueueSort,
  me: string,
  now: number,
): ReviewTaskView[] {
  const bySla = (a: ReviewTaskView, b: ReviewTaskView) => Date.parse(a.dueAt) - Date.parse(b.dueAt);
  const order: Record<QueueSort, (a: ReviewTaskView, b: ReviewTaskView) => number> = {
    sla: bySla,
    amount: (a, b) => (b.proposal.amount?.value ?? 0) - (a.proposal.amount?.value ?? 0) || bySla(a, b),
    tier: (a, b) => tierRank(b.tier) - tierRank(a.tier) || bySla(a, b),
  };
  return tasks.filter((task) => matches(task, filter, me, now)).sort(order[sort]);
}

/** The distinct business functions of the tasks, for the filter's choices. */
export function functionsOf(tasks: ReviewTaskView[]): string[] {
  return [...new Set(tasks.map((task) => task.proposal.businessFunction))].sort();
}
