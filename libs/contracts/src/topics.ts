/**
 * Every Kafka topic of the platform. Names follow `<domain>.<event>.v<schema major>`; a breaking change to an
 * event's shape gets a new topic version, never an in-place change.
 */
export const Topic = {
  DecisionProposed: 'decision.proposed.v1',
  DecisionScored: 'decision.scored.v1',
  ActionApproved: 'action.approved.v1',
  ReviewRequested: 'review.requested.v1',
  DecisionBlocked: 'decision.blocked.v1',
  ReviewActivity: 'review.activity.v1',
  DecisionRejected: 'decision.rejected.v1',
  ActionExecuted: 'action.executed.v1',
  ActionFailed: 'action.failed.v1',
  /** People resolving an action that failed for good: a corrected retry, or giving up. */
  ActionResolution: 'action.resolution.v1',
  /** Undoing an action that ran on its own: the supervisor's request and the executor's answer. */
  ActionReversal: 'action.reversal.v1',
  DelegationChanged: 'review.delegation.v1',
  PolicyPublished: 'control.policy.v1',
  HaltChanged: 'control.halt.v1',
  /** A function's AI drifting beyond its policy's bounds, and people clearing it. */
  Drift: 'learning.drift.v1',
  DeadLetter: 'platform.dead-letter.v1',
} as const;

export type TopicName = (typeof Topic)[keyof typeof Topic];

export interface TopicSpec {
  name: TopicName;
  partitions: number;
  /** Kafka topic configs, e.g. cleanup.policy=compact for control topics. */
  config?: Record<string, string>;
}

/** Control topics keep the latest event per key forever: a service reads them whole at start-up. */
const COMPACTED = { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0' };

/**
 * Partition counts are the unit of scale-out: a consumer group can use at most this many instances. Changing a
 * count re-maps keys to partitions, so per-decision ordering only holds for events produced after the change.
 * Every decision topic has the same count, so a decision's events share a partition number across topics (see
 * CoPartitionedAssigner).
 */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: Topic.DecisionProposed, partitions: 6 },
  { name: Topic.DecisionScored, partitions: 6 },
  { name: Topic.ActionApproved, partitions: 6 },
  { name: Topic.ReviewRequested, partitions: 6 },
  { name: Topic.DecisionBlocked, partitions: 6 },
  { name: Topic.ReviewActivity, partitions: 6 },
  { name: Topic.DecisionRejected, partitions: 6 },
  { name: Topic.ActionExecuted, partitions: 6 },
  { name: Topic.ActionFailed, partitions: 6 },
  { name: Topic.ActionResolution, partitions: 6 },
  { name: Topic.ActionReversal, partitions: 6 },
  // Every grant and revocation is kept: the audit trail shows who could act for whom, when.
  { name: Topic.DelegationChanged, partitions: 1 },
  { name: Topic.PolicyPublished, partitions: 1, config: COMPACTED },
  { name: Topic.HaltChanged, partitions: 1, config: COMPACTED },
  // Every episode is kept (not compacted): the metrics count alerts and the console lists past ones.
  { name: Topic.Drift, partitions: 1 },
  // Dead letters are kept a month so an operator can inspect and replay them, and may be larger than any
  // source message: the original bytes travel with the headers that explain them.
  {
    name: Topic.DeadLetter,
    partitions: 3,
    config: { 'retention.ms': String(30 * 24 * 3600 * 1000), 'max.message.bytes': String(2 * 1024 * 1024) },
  },
];
