import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEvent } from '@oversight/contracts';
import {
  changedFields,
  DecisionObservation,
  isReviewApproval,
  Label,
  labelFrom,
  labelKey,
  LEARNING_TOPICS,
  observationFrom,
  sampleApprovalLabel,
} from '@oversight/learning';
import { DriftEpisodes, LabelWait, OversightRecords, ReviewEdit } from '@oversight/learning-store';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { LearningEnvironment } from './config/learning-environment';
import { DriftWatch } from './drift-watch';
import { editsOf } from './edits-of';

/** What a reviewer's edit is recorded as when the decision's routing was never seen (e.g. before this service). */
const UNKNOWN_FIELDS = ['parameters'];

/**
 * Turns the event stream into the learning loop's records: every routing outcome an observation, every
 * reviewer's edit the fields it changed, every human answer a label against the AI's proposal. Each is written
 * once, so a redelivered batch changes nothing; an answer read before its decision's routing is labelled again
 * when the routing arrives. Functions with new records are handed to the drift watch.
 */
@Injectable()
export class OversightEventsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly records: OversightRecords,
    private readonly episodes: DriftEpisodes,
    private readonly drift: DriftWatch,
    private readonly config: ConfigService<LearningEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('LEARNING_CONSUMER_GROUP', { infer: true }),
      topics: [...LEARNING_TOPICS],
      maxBatchSize: 500,
      batchHandler: (events) => this.record(events.map(({ event }) => event)),
    });
  }

  async record(events: PlatformEvent[]): Promise<void> {
    const observations = events.flatMap((event) => observationFrom(event) ?? []);
    await this.records.recordDecisions(observations);
    const settled = await this.settleWaits(observations.map((observation) => observation.decisionId));
    await this.recordEdits(events);
    const labels = await this.labelsOf(events);
    await this.records.recordLabels(labels);
    for (const event of events) {
      if (event.type === 'DriftCleared') await this.episodes.recordClear(event);
    }
    this.drift.touched([
      ...observations.map((observation) => observation.businessFunction),
      ...[...labels, ...settled].map(({ label }) => label.businessFunction),
    ]);
  }

  private async recordEdits(events: PlatformEvent[]): Promise<void> {
    const edits = events.flatMap((event) =>
      event.type === 'ReviewActivity' && event.payload.act === 'edited' ? [event] : [],
    );
    if (edits.length === 0) return;
    const originals = await this.records.decisionsById(edits.map((event) => event.decisionId));
    await this.records.recordEdits(
      edits.flatMap((event): ReviewEdit[] => {
        const original = originals.get(event.decisionId);
        const fields = original ? changedFields(original, event.payload) : UNKNOWN_FIELDS;
        return fields.length
          ? [{ id: `${event.decisionId}#${event.eventId}`, decisionId: event.decisionId, fields }]
          : [];
      }),
    );
  }

  /**
   * The labels of the batch's answers. An answer whose decision's routing is not stored yet is labelled with
   * what is known (no edits or latency; a sample's approval not at all) and left waiting for it.
   */
  private async labelsOf(events: PlatformEvent[]): Promise<{ id: string; label: Label }[]> {
    // Which events are answers does not depend on the context looked up for them.
    const answers = events.filter(
      (event) =>
        event.decisionId !== undefined && (labelFrom(event) !== undefined || isReviewApproval(event)),
    );
    if (answers.length === 0) return [];
    const ids = answers.map((event) => event.decisionId as string);
    const { routed, edited } = await this.contextOf(ids);
    const waits: LabelWait[] = [];
    const labels = answers.flatMap((event) => {
      const observation = routed.get(event.decisionId as string);
      const label = labelOf(event, observation, edited.get(event.decisionId as string));
      // A sample's approval makes a review label once its routing shows the decision ran on its own.
      const id = label ? labelKey(label, event.eventId) : `${event.decisionId}#review`;
      if (!observation && (label?.source === 'review' || isReviewApproval(event)))
        waits.push({ labelId: id, event });
      return label ? [{ id, label }] : [];
    });
    // The wait first: a crash after it redelivers the batch, whose label insert then finds nothing to redo.
    await this.records.recordWaits(waits);
    return labels;
  }

  /**
   * What the store knows of the answers' decisions: their routing, and the recorded edits where the routing is
   * unknown (only there do they matter, see editsOf).
   */
  private async contextOf(
    decisionIds: string[],
  ): Promise<{ routed: Map<string, DecisionObservation>; edited: Map<string, string[]> }> {
    const routed = await this.records.decisionsById(decisionIds);
    const edited = await this.records.editedFields(decisionIds.filter((id) => !routed.has(id)));
    return { routed, edited };
  }

  /** Labels again, complete, the answers that were waiting for these decisions' routing. */
  private async settleWaits(decisionIds: string[]): Promise<{ id: string; label: Label }[]> {
    const waiting = await this.records.waitsFor(decisionIds);
    if (waiting.length === 0) return [];
    const ids = waiting.map(({ event }) => event.decisionId as string);
    const { routed, edited } = await this.contextOf(ids);
    const settled: { id: string; label: Label }[] = [];
    for (const wait of waiting) {
      const decisionId = wait.event.decisionId as string;
      const label = labelOf(wait.event, routed.get(decisionId), edited.get(decisionId));
      await this.records.settleWait(wait, label);
      if (label) settled.push({ id: wait.labelId, label });
    }
    return settled;
  }
}

/** An answer's label from what the store knows of its decision. */
function labelOf(
  event: PlatformEvent,
  observation: DecisionObservation | undefined,
  recordedEdits: string[] | undefined,
): Label | undefined {
  if (isReviewApproval(event)) return sampleApprovalLabel(event, observation);
  return labelFrom(event, {
    edits: editsOf(event, observation, recordedEdits),
    ...(observation?.route === 'review'
      ? { review: { requestedAt: observation.routedAt, dueAt: observation.dueAt } }
      : {}),
  });
}
