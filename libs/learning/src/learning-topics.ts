import { EventTopic, Topic } from '@oversight/contracts';

/** What the learning loop reads: routing outcomes, reviewers' edits and answers, corrections, reversals, drift. */
export const LEARNING_TOPICS: readonly EventTopic[] = [
  Topic.ActionApproved,
  Topic.ReviewRequested,
  Topic.DecisionBlocked,
  Topic.ReviewActivity,
  Topic.DecisionRejected,
  Topic.ActionResolution,
  Topic.ActionReversal,
  Topic.Drift,
];
