import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEvent } from '@oversight/contracts';
import { changedFields, Label, labelFrom, LEARNING_TOPICS, observationFrom } from '@oversight/learning';
import { DriftEpisodes, OversightRecords, ReviewEdit } from '@oversight/learning-store';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { LearningEnvironment } from './config/learning-environment';
import { DriftWatch } from './drift-watch';
import { editsOf } from './edits-of';

/** What a reviewer's edit is recorded as when the decision's routing was never seen (e.g. before this service). */
const UNKNOWN_FIELDS = ['parameters'];

/**
 * Turns the event stream into the learning loop's records: every routing outcome an observation, every
 * reviewer's edit the fields it changed, every human answer a label against the AI's proposal. Each is written
 * once, so a redelivered batch changes nothing; functions with new records are handed to the drift watch.
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
    await this.recordEdits(events);
    const labels = await this.labelsOf(events);
    await this.records.recordLabels(labels);
    for (const event of events) {
      if (event.type === 'DriftCleared') await this.episodes.recordClear(event);
    }
    this.drift.touched([
      ...observations.map((observation) => observation.businessFunction),
      ...labels.map(({ label }) => label.businessFunction),
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

  private async labelsOf(events: PlatformEvent[]): Promise<{ id: string; label: Label }[]> {
    // Which events are answers does not depend on the context looked up for them.
    const answers = events.filter(
      (event) => event.decisionId !== undefined && labelFrom(event) !== undefined,
    );
    if (answers.length === 0) return [];
    const ids = answers.map((event) => event.decisionId as string);
    const [routed, edited] = await Promise.all([
      this.records.decisionsById(ids),
      this.records.editedFields(ids),
    ]);
    return answers.flatMap((event) => {
      const decisionId = event.decisionId as string;
      const observation = routed.get(decisionId);
      const label = labelFrom(event, {
        edits: editsOf(event, observation, edited.get(decisionId)),
        ...(observation?.route === 'review'
          ? { review: { requestedAt: observation.routedAt, dueAt: observation.dueAt } }
          : {}),
      });
      return label ? [{ id: `${decisionId}#${event.eventId}`, label }] : [];
    });
  }
}
