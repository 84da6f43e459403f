import { HaltChanged, PolicyPublished } from './events/control';
import { DriftCleared, DriftDetected } from './events/learning';
import { DecisionProposed } from './events/decision-proposed';
import { DecisionScored } from './events/decision-scored';
import { ActionApproved, DecisionBlocked, ReviewRequested } from './events/routing-outcomes';
import { DecisionRejected, ReviewActivity } from './events/review-activity';
import { DelegationChanged } from './events/delegation';
import {
  ActionAbandoned,
  ActionExecuted,
  ActionFailed,
  ActionReversed,
  ExecutionRetryRequested,
  ReversalFailed,
  ReversalRequested,
} from './events/execution';
import { EventEnvelope } from './envelope';
import { Topic } from './topics';

/** Payload class of every event type, per schema version. Add a version here before producing it. */
export const EVENT_SCHEMAS = {
  DecisionProposed: { 1: DecisionProposed },
  DecisionScored: { 1: DecisionScored },
  ActionApproved: { 1: ActionApproved },
  ReviewRequested: { 1: ReviewRequested },
  DecisionBlocked: { 1: DecisionBlocked },
  ReviewActivity: { 1: ReviewActivity },
  DecisionRejected: { 1: DecisionRejected },
  ActionExecuted: { 1: ActionExecuted },
  ActionFailed: { 1: ActionFailed },
  ExecutionRetryRequested: { 1: ExecutionRetryRequested },
  ActionAbandoned: { 1: ActionAbandoned },
  ReversalRequested: { 1: ReversalRequested },
  ActionReversed: { 1: ActionReversed },
  ReversalFailed: { 1: ReversalFailed },
  PolicyPublished: { 1: PolicyPublished },
  HaltChanged: { 1: HaltChanged },
  DelegationChanged: { 1: DelegationChanged },
  DriftDetected: { 1: DriftDetected },
  DriftCleared: { 1: DriftCleared },
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;

/** The version producers write today; consumers accept every version listed in EVENT_SCHEMAS. */
export const CURRENT_SCHEMA_VERSION: Record<EventType, number> = {
  DecisionProposed: 1,
  DecisionScored: 1,
  ActionApproved: 1,
  ReviewRequested: 1,
  DecisionBlocked: 1,
  ReviewActivity: 1,
  DecisionRejected: 1,
  ActionExecuted: 1,
  ActionFailed: 1,
  ExecutionRetryRequested: 1,
  ActionAbandoned: 1,
  ReversalRequested: 1,
  ActionReversed: 1,
  ReversalFailed: 1,
  PolicyPublished: 1,
  HaltChanged: 1,
  DelegationChanged: 1,
  DriftDetected: 1,
  DriftCleared: 1,
};

export interface EventPayloads {
  DecisionProposed: DecisionProposed;
  DecisionScored: DecisionScored;
  ActionApproved: ActionApproved;
  ReviewRequested: ReviewRequested;
  DecisionBlocked: DecisionBlocked;
  ReviewActivity: ReviewActivity;
  DecisionRejected: DecisionRejected;
  ActionExecuted: ActionExecuted;
  ActionFailed: ActionFailed;
  ExecutionRetryRequested: ExecutionRetryRequested;
  ActionAbandoned: ActionAbandoned;
  ReversalRequested: ReversalRequested;
  ActionReversed: ActionReversed;
  ReversalFailed: ReversalFailed;
  PolicyPublished: PolicyPublished;
  HaltChanged: HaltChanged;
  DelegationChanged: DelegationChanged;
  DriftDetected: DriftDetected;
  DriftCleared: DriftCleared;
}

/** Events about one decision carry its id, which is also their Kafka key. Control events have their own keys. */
export type DecisionEventType = Exclude<EventType, ControlEventType>;
export type ControlEventType =
  | 'PolicyPublished'
  | 'HaltChanged'
  | 'DelegationChanged'
  | 'DriftDetected'
  | 'DriftCleared';

export type PlatformEvent<T extends EventType = EventType> = {
  [K in T]: K extends DecisionEventType
    ? EventEnvelope<K, EventPayloads[K]> & { decisionId: string }
    : EventEnvelope<K, EventPayloads[K]>;
}[T];

const CONTROL_KEYS: Record<ControlEventType, (payload: never) => string> = {
  PolicyPublished: (payload: PolicyPublished) => `policy/${payload.policyId}`,
  HaltChanged: (payload: HaltChanged) => `halt/${payload.scope}`,
  DelegationChanged: (payload: DelegationChanged) => `delegation/${payload.delegator}`,
  DriftDetected: (payload: DriftDetected) => `drift/${payload.businessFunction}`,
  DriftCleared: (payload: DriftCleared) => `drift/${payload.businessFunction}`,
};

export function isControlEvent(type: EventType): type is ControlEventType {
  return Object.prototype.hasOwnProperty.call(CONTROL_KEYS, type);
}

/**
 * The Kafka key of an event: the decisionId, so one decision's events stay in order on one partition; for a
 * control event, what it controls, so compaction keeps the latest per policy or per halt scope.
 */
export function eventKey(event: PlatformEvent): string {
  if (isControlEvent(event.type)) return CONTROL_KEYS[event.type](event.payload as never);
  return event.decisionId as string;
}

/**
 * Which events travel on which topic. Publishing checks the pairing at compile time
 * (`publish(Topic.DecisionProposed, event)` only takes a DecisionProposed event) and consuming checks it again
 * at run time, since bytes on a topic can come from anyone.
 */
export interface TopicEvents {
  [Topic.DecisionProposed]: PlatformEvent<'DecisionProposed'>;
  [Topic.DecisionScored]: PlatformEvent<'DecisionScored'>;
  [Topic.ActionApproved]: PlatformEvent<'ActionApproved'>;
  [Topic.ReviewRequested]: PlatformEvent<'ReviewRequested'>;
  [Topic.DecisionBlocked]: PlatformEvent<'DecisionBlocked'>;
  [Topic.ReviewActivity]: PlatformEvent<'ReviewActivity'>;
  [Topic.DecisionRejected]: PlatformEvent<'DecisionRejected'>;
  [Topic.ActionExecuted]: PlatformEvent<'ActionExecuted'>;
  [Topic.ActionFailed]: PlatformEvent<'ActionFailed'>;
  [Topic.ActionResolution]: PlatformEvent<'ExecutionRetryRequested' | 'ActionAbandoned'>;
  [Topic.ActionReversal]: PlatformEvent<'ReversalRequested' | 'ActionReversed' | 'ReversalFailed'>;
  [Topic.PolicyPublished]: PlatformEvent<'PolicyPublished'>;
  [Topic.HaltChanged]: PlatformEvent<'HaltChanged'>;
  [Topic.DelegationChanged]: PlatformEvent<'DelegationChanged'>;
  [Topic.Drift]: PlatformEvent<'DriftDetected' | 'DriftCleared'>;
}

export type EventTopic = keyof TopicEvents;

export const TOPIC_EVENT_TYPES: { [T in EventTopic]: readonly TopicEvents[T]['type'][] } = {
  [Topic.DecisionProposed]: ['DecisionProposed'],
  [Topic.DecisionScored]: ['DecisionScored'],
  [Topic.ActionApproved]: ['ActionApproved'],
  [Topic.ReviewRequested]: ['ReviewRequested'],
  [Topic.DecisionBlocked]: ['DecisionBlocked'],
  [Topic.ReviewActivity]: ['ReviewActivity'],
  [Topic.DecisionRejected]: ['DecisionRejected'],
  [Topic.ActionExecuted]: ['ActionExecuted'],
  [Topic.ActionFailed]: ['ActionFailed'],
  [Topic.ActionResolution]: ['ExecutionRetryRequested', 'ActionAbandoned'],
  [Topic.ActionReversal]: ['ReversalRequested', 'ActionReversed', 'ReversalFailed'],
  [Topic.PolicyPublished]: ['PolicyPublished'],
  [Topic.HaltChanged]: ['HaltChanged'],
  [Topic.DelegationChanged]: ['DelegationChanged'],
  [Topic.Drift]: ['DriftDetected', 'DriftCleared'],
};

/** Every topic that carries platform events (the audit trail reads them all). */
export const EVENT_TOPICS = Object.keys(TOPIC_EVENT_TYPES) as EventTopic[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, value);
}
