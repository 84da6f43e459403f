import type {
  DecisionProposed,
  EscalationStep,
  ReviewKind,
  ReviewRejectionReason,
  ReviewTaskStatus,
  RiskReason,
  Tier,
} from '@oversight/contracts';

// The gateway's answers as the console reads them (JSON: dates arrive as ISO strings). Event payloads are the
// contracts' own types; the views around them are the gateway's and escalation's response shapes.

export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export interface SignedIn {
  token: string;
  user: { id: string; roles: string[] };
  expiresAt: string;
}

/** What the caller may do now: `true`, or the reason they may not, in words. */
export type Permission = true | string;

export interface Vote {
  id: string;
  roles: string[];
  at: string;
  onBehalfOf?: string;
  reasonCode?: ReviewRejectionReason;
  comment?: string;
}

/** A review task as escalation shows it to the caller (GET /v1/review-tasks). */
export interface ReviewTaskView {
  decisionId: string;
  version: number;
  kind: ReviewKind;
  status: ReviewTaskStatus;
  correlationId: string;
  proposal: Json<DecisionProposed>;
  score: number;
  tier: Tier;
  riskReasons: RiskReason[];
  routingReasons: string[];
  policy: { policyId: string; policyVersion: number };
  approvalsRequired: number;
  eligibleRoles: string[];
  excludedApprovers: string[];
  seniorRole?: string;
  authority: Record<string, number>;
  currency?: string;
  escalation: EscalationStep[];
  requestedAt: string;
  dueAt: string;
  expiresAt: string;
  escalationLevel: number;
  approvals: Vote[];
  rejections: Vote[];
  claim?: { by: string; until: string };
  edits: number;
  decidedAt?: string;
  quorum: { given: number; required: number };
  youMay: {
    claim: Permission;
    release: Permission;
    approve: Permission;
    reject: Permission;
    edit: Permission;
  };
}

export interface TimelineEntry {
  occurredAt: string;
  seq: number;
  event: { type: string; eventId: string; payload: Record<string, unknown>; producer?: string };
}

/** A decision folded from the audit trail (GET /v1/decisions/:id, and each item of GET /v1/decisions). */
export interface DecisionStatus {
  decisionId: string;
  status: string;
  events: number;
  proposal: {
    businessFunction?: string;
    actionType?: string;
    agentId?: string;
    modelVersion?: string;
    requesterId?: string;
    amount?: { value: number; currency?: string };
    confidence?: number;
    proposedAt?: string;
  };
  risk?: { score?: number; tier?: string; scoredAt?: string };
  outcome?: {
    route?: string;
    reasons?: string[];
    policy: { policyId?: string; policyVersion?: number };
    review?: { eligibleRoles?: string[]; dueAt?: string };
    sampledForAudit: boolean;
    routedAt?: string;
  };
}

/** The latest decisions about the same subject, as the audit trail folds them. */
export interface SubjectDecision {
  _id: string;
  state?: string;
  actionType?: string;
  amount?: number;
  currency?: string;
  route?: string;
  proposedAt?: string;
}

export interface TaskDetail {
  task: ReviewTaskView;
  timeline: TimelineEntry[];
  subjectHistory: SubjectDecision[];
}

/** One live change to a review task (event `review` of /v1/review-events). */
export interface ReviewChange {
  decisionId: string;
  act: string;
  status: string;
  quorum: { given: number; required: number };
  occurredAt: string;
}

/** One routed outcome as it happens (event `decision` of /v1/decision-events). */
export interface DecisionEvent {
  decisionId: string;
  type: string;
  occurredAt: string;
  businessFunction?: string;
  actionType?: string;
  tier?: string;
  score?: number;
  amount?: number;
  currency?: string;
  route: 'auto' | 'review' | 'block';
  mode?: string;
  kind?: string;
  sampled: boolean;
  reasons?: string[];
}

export interface HaltInForce {
  scope: string;
  reason: string;
  by: string;
  since: string;
}

export interface ChainRecord {
  eventId: string;
  type: string;
  occurredAt: string;
  chain: { seq: number; prevHash: string; hash: string };
  event: TimelineEntry['event'];
}

export interface Verification {
  verifiedAt: string;
  chains: number;
  records: number;
  intact: boolean;
  broken?: { chainKey: string; seq: number; problem: string; eventId?: string };
}

/** An approved action that failed for good, as GET /v1/resolve-tasks shows it. */
export interface ResolveTaskView {
  decisionId: string;
  executor: string;
  status: 'open' | 'retrying' | 'resolved' | 'abandoned';
  failedAttempt: number;
  error: { message: string; code?: string };
  context: Record<string, unknown>;
  proposal: {
    businessFunction: string;
    actionType: string;
    parameters: Record<string, unknown>;
    amount?: { value: number; currency: string };
    context: { summary: string };
  };
  history: {
    act: string;
    at: string;
    by?: string;
    attempt?: number;
    code?: string;
    comment?: string;
    resubmittedAs?: string;
  }[];
  openedAt: string;
  youMay: { resolve: boolean; reason?: string };
}

/** The rates of labelled decisions (people's answers): each undefined while there is no label to rate. */
export interface LabelRates {
  labels: number;
  agreementRate?: number;
  overrideRate?: number;
  editRate?: number;
}

/** How many decisions took each route, and the share of them routed to people (absent when there were none). */
export interface RouteCounts {
  decisions: number;
  auto: number;
  review: number;
  block: number;
  humanShare?: number;
}

/** One confidence bucket of the reliability diagram: how often people agreed with decisions this confident. */
export interface CalibrationBucketView {
  from: number;
  to: number;
  labels: number;
  meanConfidence: number;
  agreementRate: number;
}

/** One time bucket of GET /v1/oversight/metrics (`start` is the bucket's start). */
export interface MetricsBucket extends RouteCounts, LabelRates {
  start: string;
}

/** One model version's labels in the window. */
export interface ModelMetrics extends LabelRates {
  modelId: string;
  modelVersion: string;
  businessFunction: string;
  actionType: string;
  meanConfidence?: number;
}

/** GET /v1/oversight/metrics: the window's totals, its time buckets and one row per model version. */
export interface OversightMetrics {
  from: string;
  to: string;
  bucketMinutes: number;
  totals: RouteCounts &
    LabelRates & {
      /** What reviewers edited, by field. */
      edits: { field: string; count: number }[];
      reviewerLatency: {
        answered: number;
        medianMinutes?: number;
        p90Minutes?: number;
        withinSlaShare?: number;
      };
      calibration: { buckets: CalibrationBucketView[]; expectedCalibrationError?: number };
      driftAlerts: number;
    };
  series: MetricsBucket[];
  byModel: ModelMetrics[];
}

/** One drift episode of a function (GET /v1/oversight/drift); an open one has no `clearedAt`. */
export interface DriftEpisode {
  businessFunction: string;
  episode: number;
  detectedAt: string;
  reasons: string[];
  baseline: { labels: number; overrideRate?: number };
  current: { labels: number; overrideRate?: number };
  /** Population stability index of the confidence distribution, current against baseline. */
  psi?: number;
  /** Whether the function's auto decisions go to review until someone clears the episode. */
  tightened: boolean;
  clearedAt?: string;
  clearedBy?: string;
  clearReason?: string;
}

/** The answer (202) to POST /v1/oversight/drift/:businessFunction/clear. */
export interface DriftCleared {
  businessFunction: string;
  episode: number;
  cleared: true;
}

/**
 * A confidence threshold the labelled history suggests for one function and action (GET
 * /v1/oversight/threshold-suggestions). Applied only by publishing a new policy version.
 */
export interface ThresholdSuggestionView {
  businessFunction: string;
  actionType: string;
  /** confidence: the action runs on its own from this confidence up; amount: below this amount. */
  kind?: 'confidence' | 'amount';
  /** Amount suggestions: the policy's currency. */
  currency?: string;
  policy: { policyId: string; version: number };
  current?: number;
  suggested: number;
  targetOverrideRate: number;
  overrideRateAtCurrent?: number;
  overrideRateAtSuggested?: number;
  /** Labelled decisions the suggestion would have moved from review to auto, and from auto to review. */
  toAuto: number;
  toReview: number;
  labels: number;
  /** The change in words, e.g. "raise the confidence threshold for auto from 0.80 to 0.92". */
  change: string;
}

/** GET /v1/operations/overview: the platform's running state, from Prometheus (OperationsOverview, gateway). */
export interface OperationsOverview {
  at: string;
  lag: { group: string; topic: string; lag: number; members: number | null }[];
  deadLetters: { service: string; topic: string; reason: string; total: number; perSecond: number }[];
  reviews: {
    function: string;
    queueDepth: number | null;
    oldestPendingAgeSeconds: number | null;
    slaSeconds: number | null;
    atRisk: number | null;
  }[];
  haltsInForce: number | null;
  services: { job: string; instance: string; up: boolean }[];
  alerts: {
    name: string;
    state: 'firing' | 'pending';
    severity: string | null;
    summary: string | null;
    activeAt: string | null;
    labels: Record<string, string>;
  }[];
}
