import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { QueryFilter, Model } from 'mongoose';
import { PlatformEvent } from '@oversight/contracts';
import { DecisionObservation, Label, LabelSource, Verdict } from '@oversight/learning';
import { findByIds, GapFreeLists, insertNew, mapByIds } from '@oversight/persistence';
import {
  DecisionObservationRecord,
  LabelRecord,
  LabelWaitRecord,
  ReviewEditRecord,
} from './oversight-records.schema';

/** Which decisions a query is about; every field optional. */
export interface OversightFilter {
  businessFunction?: string;
  actionType?: string;
  modelId?: string;
  modelVersion?: string;
}

/** An answer waiting for its decision's routing, and the key of the label it makes. */
export interface LabelWait {
  labelId: string;
  event: PlatformEvent;
}

/** A reviewer's edit: which fields changed, under the id of the activity that recorded it. */
export interface ReviewEdit {
  id: string;
  decisionId: string;
  fields: string[];
}

/** The learning loop's records (see oversight-records.schema.ts): written once each, read by time range. */
@Injectable()
export class OversightRecords {
  private readonly edits: GapFreeLists<ReviewEditRecord>;

  constructor(
    @InjectModel(DecisionObservationRecord.name)
    private readonly decisions: Model<DecisionObservationRecord>,
    @InjectModel(LabelRecord.name) private readonly labels: Model<LabelRecord>,
    @InjectModel(ReviewEditRecord.name) edits: Model<ReviewEditRecord>,
    @InjectModel(LabelWaitRecord.name) private readonly waits: Model<LabelWaitRecord>,
  ) {
    this.edits = new GapFreeLists(edits.collection as never);
  }

  /** Writes the observations not stored yet; a redelivered routing outcome changes nothing. */
  async recordDecisions(observations: DecisionObservation[]): Promise<number> {
    const { inserted } = await insertNew(this.decisions, observations.map(toObservationRecord));
    return inserted;
  }

  /** Lists each edit under its decision (see ReviewEditRecord). */
  async recordEdits(edits: ReviewEdit[]): Promise<void> {
    const at = new Date();
    await this.edits.append(
      edits.map(({ id, decisionId, fields }) => ({ list: decisionId, at, key: id, fields })),
    );
  }

  /** Labels keyed `<decisionId>#<eventId>` of their answer; returns how many were new. */
  async recordLabels(labels: { id: string; label: Label }[]): Promise<number> {
    const { inserted } = await insertNew(
      this.labels,
      labels.map(({ id, label }) => ({ _id: id, ...toLabelFields(label) })),
    );
    return inserted;
  }

  /** Answers whose decisions' routing has not arrived yet (see LabelWaitRecord). */
  async recordWaits(waits: LabelWait[]): Promise<void> {
    await insertNew(
      this.waits,
      waits.map(({ labelId, event }) => ({
        _id: `${event.decisionId}#${event.eventId}`,
        decisionId: event.decisionId ?? '',
        labelId,
        event: JSON.stringify(event),
      })),
    );
  }

  async waitsFor(decisionIds: string[]): Promise<LabelWait[]> {
    if (decisionIds.length === 0) return [];
    const records = await this.waits
      .find({ decisionId: { $in: [...new Set(decisionIds)] } })
      .lean<LabelWaitRecord[]>()
      .exec();
    return records.map((record) => ({
      labelId: record.labelId,
      event: JSON.parse(record.event) as PlatformEvent,
    }));
  }

  /** Writes a waiting answer's label again, complete (when it makes one), then lets the wait go. */
  async settleWait({ labelId, event }: LabelWait, label: Label | undefined): Promise<void> {
    if (label) {
      await this.labels
        .replaceOne({ _id: labelId }, toLabelFields(label), { upsert: true })
        .comment('debt:label-rewrite')
        .exec();
    }
    await this.waits.deleteOne({ _id: `${event.decisionId}#${event.eventId}` }).exec();
  }

  /** The routing of each decision, looked up by exact `_id` (see findByIds). */
  async decisionsById(decisionIds: string[]): Promise<Map<string, DecisionObservation>> {
    const records = await mapByIds(decisionIds, (id) =>
      this.decisions.findById(id).lean<DecisionObservationRecord>().exec(),
    );
    return new Map([...records].map(([id, record]) => [id, fromObservationRecord(record)]));
  }

  /** The fields reviewers edited per decision, all edits of a decision together. */
  async editedFields(decisionIds: string[]): Promise<Map<string, string[]>> {
    const unique = [...new Set(decisionIds)];
    const listed = await findByIds(unique, async (decisionId) => {
      const fields = new Set<string>();
      for await (const edit of this.edits.newestFirstIn(decisionId))
        edit.fields.forEach((f) => fields.add(f));
      return fields.size ? [...fields].sort() : undefined;
    });
    return new Map(unique.flatMap((decisionId, at) => (listed[at] ? [[decisionId, listed[at]]] : [])));
  }

  /** A function's latest answers given after `since`, newest first. */
  async latestLabels(businessFunction: string, since: Date, limit: number): Promise<Label[]> {
    const records = await this.labels
      .find({ businessFunction, answeredAt: { $gt: since } })
      .sort({ answeredAt: -1, _id: -1 })
      .limit(limit)
      .comment('debt:drift-window')
      .lean<LabelRecord[]>()
      .exec();
    return records.map(fromLabelRecord);
  }

  /** A function's latest routed decisions after `since`, newest first, without their proposals' parameters. */
  async latestDecisions(
    businessFunction: string,
    since: Date,
    limit: number,
  ): Promise<DecisionObservation[]> {
    const records = await this.decisions
      .find({ businessFunction, routedAt: { $gt: since } }, { parameters: 0 })
      .sort({ routedAt: -1, _id: -1 })
      .limit(limit)
      .comment('debt:drift-window')
      .lean<DecisionObservationRecord[]>()
      .exec();
    return records.map(fromObservationRecord);
  }

  /**
   * Every decision routed and every answer given in [from, to) that matches the filter; the decisions without
   * their proposals' parameters, which no metric reads.
   */
  async window(
    filter: OversightFilter,
    from: Date,
    to: Date,
  ): Promise<{ observations: DecisionObservation[]; labels: Label[] }> {
    const match = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
    const [observations, labels] = await Promise.all([
      this.decisions
        .find({ ...match, routedAt: { $gte: from, $lt: to } } as QueryFilter<DecisionObservationRecord>, {
          parameters: 0,
        })
        .comment('debt:oversight-window')
        .lean<DecisionObservationRecord[]>()
        .exec(),
      this.labels
        .find({ ...match, answeredAt: { $gte: from, $lt: to } } as QueryFilter<LabelRecord>)
        .comment('debt:oversight-window')
        .lean<LabelRecord[]>()
        .exec(),
    ]);
    return { observations: observations.map(fromObservationRecord), labels: labels.map(fromLabelRecord) };
  }
}

function toObservationRecord(observation: DecisionObservation): DecisionObservationRecord {
  const { decisionId, parameters, amount, routedAt, dueAt, ...fields } = observation;
  return {
    _id: decisionId,
    ...fields,
    routedAt: new Date(routedAt),
    ...(dueAt ? { dueAt: new Date(dueAt) } : {}),
    ...(amount ? { amountValue: amount.value, currency: amount.currency } : {}),
    parameters: JSON.stringify(parameters),
  };
}

function toLabelFields(label: Label): Omit<LabelRecord, '_id'> {
  const { amount, answeredAt, ...fields } = label;
  return {
    ...fields,
    answeredAt: new Date(answeredAt),
    ...(amount ? { amountValue: amount.value, currency: amount.currency } : {}),
  };
}

/** The amount kept beside a record, when the record has one. */
function amountOf(record: { amountValue?: number | null; currency?: string | null }) {
  return typeof record.amountValue === 'number' && record.currency
    ? { amount: { value: record.amountValue, currency: record.currency } }
    : {};
}

function fromObservationRecord(record: DecisionObservationRecord): DecisionObservation {
  return {
    decisionId: record._id,
    businessFunction: record.businessFunction,
    actionType: record.actionType,
    modelId: record.modelId,
    modelVersion: record.modelVersion,
    confidence: record.confidence,
    route: record.route as DecisionObservation['route'],
    tier: record.tier as DecisionObservation['tier'],
    routedAt: new Date(record.routedAt).toISOString(),
    ...(record.dueAt ? { dueAt: new Date(record.dueAt).toISOString() } : {}),
    // Reads for metrics and drift leave the parameters out (see window).
    parameters: record.parameters ? (JSON.parse(record.parameters) as Record<string, unknown>) : {},
    ...amountOf(record),
  };
}

function fromLabelRecord(record: LabelRecord): Label {
  return {
    decisionId: record.decisionId,
    modelId: record.modelId,
    modelVersion: record.modelVersion,
    businessFunction: record.businessFunction,
    actionType: record.actionType,
    confidence: record.confidence,
    ...amountOf(record),
    verdict: record.verdict as Verdict,
    source: record.source as LabelSource,
    answeredAt: new Date(record.answeredAt).toISOString(),
    ...(record.edits?.length ? { edits: record.edits } : {}),
    ...(record.latencyMinutes !== undefined && record.latencyMinutes !== null
      ? { latencyMinutes: record.latencyMinutes }
      : {}),
    ...(record.withinSla !== undefined && record.withinSla !== null ? { withinSla: record.withinSla } : {}),
  };
}
