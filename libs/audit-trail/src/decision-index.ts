import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PlatformEvent, Topic, TOPIC_SPECS } from '@oversight/contracts';

/**
 * Lists of decisions the read side walks newest first: per day, per business function and day, and per subject
 * (a customer, an account, a site). FerretDB v1 serves only exact _id lookups without scanning the collection
 * (a scan of a day's trail takes seconds, and under load minutes), so each list is a run of insert-only records
 * `_id: <list key>#<seq>`, seq 1, 2, 3… without gaps, read by _id from its last seq down. Every list is kept per
 * Kafka partition of decision.proposed.v1, whose events one audit instance at a time writes: instances never
 * contend for a list's next seq, and a reader merges a list's partitions by time.
 */
@Schema({ collection: 'audit_index', versionKey: false })
export class DecisionIndexEntry {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  list!: string;

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: String, required: true })
  decisionId!: string;

  /** When the decision was proposed: the order lists are merged in. */
  @Prop({ type: Date, required: true })
  at!: Date;
}

export const DecisionIndexSchema = SchemaFactory.createForClass(DecisionIndexEntry);

/** Every list is kept once per partition of the proposals' topic. */
export const INDEX_PARTITIONS =
  TOPIC_SPECS.find((spec) => spec.name === Topic.DecisionProposed)?.partitions ?? 1;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export const dayList = (day: string, partition: number) => `day/${day}/p${partition}`;
export const functionDayList = (businessFunction: string, day: string, partition: number) =>
  `function/${businessFunction}/${day}/p${partition}`;
export const subjectList = (subject: { kind: string; id: string }, partition: number) =>
  `subject/${subject.kind}/${subject.id}/p${partition}`;

export const routeDayList = (route: string, day: string, partition: number) =>
  `route/${route}/${day}/p${partition}`;
export const functionRouteDayList = (fn: string, route: string, day: string, partition: number) =>
  `function/${fn}/route/${route}/${day}/p${partition}`;
export const functionTierDayList = (fn: string, tier: string, day: string, partition: number) =>
  `function/${fn}/tier/${tier}/${day}/p${partition}`;
export const tierDayList = (tier: string, day: string, partition: number) =>
  `tier/${tier}/${day}/p${partition}`;

/**
 * The lists a decision's later events enter it in: by tier once scored, by route once routed (a post-hoc
 * sample's request is not a route), each also per business function, on the day of that event. So a list filtered by route or tier walks only
 * the decisions that match, not every decision of the days.
 */
export function outcomeListsFor(event: PlatformEvent, partition: number): string[] {
  const day = dayOf(new Date(event.occurredAt));
  const route = routeOf(event);
  if (route) {
    const { businessFunction } = (event.payload as { proposal: { businessFunction: string } }).proposal;
    return [
      routeDayList(route, day, partition),
      functionRouteDayList(businessFunction, route, day, partition),
    ];
  }
  if (event.type === 'DecisionScored') {
    const { tier, proposal } = event.payload;
    return [
      tierDayList(tier, day, partition),
      functionTierDayList(proposal.businessFunction, tier, day, partition),
    ];
  }
  return [];
}

/** The route an event settles, if it is a routing outcome (a post-hoc sample's request is not one). */
function routeOf(event: PlatformEvent): string | undefined {
  switch (event.type) {
    case 'ActionApproved':
      return event.payload.mode === 'auto' ? 'auto' : undefined;
    case 'ReviewRequested':
      return event.payload.kind === 'post-hoc-sample' ? undefined : 'review';
    case 'DecisionBlocked':
      return 'block';
    default:
      return undefined;
  }
}

/** The lists a proposal is entered in. */
export function listsFor(
  proposal: { businessFunction: string; subject?: { kind: string; id: string } },
  at: Date,
  partition: number,
): string[] {
  const day = dayOf(at);
  return [
    dayList(day, partition),
    functionDayList(proposal.businessFunction, day, partition),
    ...(proposal.subject ? [subjectList(proposal.subject, partition)] : []),
  ];
}

/**
 * The entries one event adds to the lists, read from `partition` of its topic: a proposal's (listsFor) and a
 * scoring or routing outcome's (outcomeListsFor), each stamped with the event's time. The audit service enters
 * events with it as it consumes them, and the rebuild from the trail (`audit rebuild-index`) with the same.
 */
export function indexEntriesFor(
  event: PlatformEvent,
  partition: number,
): { list: string; decisionId: string; at: Date }[] {
  if (!event.decisionId) return [];
  const decisionId = event.decisionId;
  const at = new Date(event.occurredAt);
  const lists =
    event.type === 'DecisionProposed'
      ? listsFor(event.payload, at, partition)
      : outcomeListsFor(event, partition);
  return lists.map((list) => ({ list, decisionId, at }));
}

/** The same list in every partition. */
export const acrossPartitions = (list: (partition: number) => string): string[] =>
  Array.from({ length: INDEX_PARTITIONS }, (_, partition) => list(partition));

export interface ListedDecision {
  decisionId: string;
  at: Date;
}

/** The UTC days from `to` back to `from`, newest first. */
export function daysBack(from: Date, to: Date): string[] {
  const days: string[] = [];
  const day = new Date(`${dayOf(to)}T00:00:00.000Z`);
  const first = dayOf(from);
  while (dayOf(day) >= first) {
    days.push(dayOf(day));
    day.setUTCDate(day.getUTCDate() - 1);
  }
  return days;
}
