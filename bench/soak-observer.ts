import { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { EVENT_TOPICS, Topic } from '@oversight/contracts';
import { readDeadLetter } from '@oversight/messaging';
import { OutcomeType, RunTally } from './demo-parts';
import { partitionKey, topicEnds } from './kafka-positions';

const OUTCOME_TYPES = new Set<string>(['ActionApproved', 'ReviewRequested', 'DecisionBlocked']);

/** Seconds of delay of a consumer group: how old the oldest message it has not committed is. */
export interface GroupDelay {
  seconds: number;
  /** Messages not yet committed, all partitions together. */
  messages: number;
  /** Committed offsets summed: it grows while the group works (a stall shows as a flat total). */
  committed: bigint;
  /** Committed offset per `topic/partition`. */
  positions: Map<string, number>;
}

/**
 * Reads every event topic (and the dead letters) with a group of its own, for two things:
 * - this run's decisions, keyed by its prefix, feed the tally of the phase that sent them (sent → scored →
 *   routed, executors' reports, dead letters), so decisions in flight are counted from the topics, never from
 *   the store; every event of the run is kept for the final check of the trail, whichever phase sent it;
 * - every message's offset and producer timestamp per partition, so a service group's committed offsets
 *   turn into seconds of lag (the age of the oldest message it has not committed). The audit service and the
 *   executor commit only after the record is stored or the action carried out, so that is exactly how far
 *   behind production they are.
 */
export class SoakObserver {
  private readonly consumer: Consumer;
  /** Offsets and timestamps seen per partition, oldest first; trimmed below what every watched group committed. */
  private readonly seen = new Map<string, { offsets: number[]; times: number[] }>();
  /** Every distinct event of the run's keys (eventId → what it was)... */
  private readonly events = new Map<string, { type: string; decisionId: string }>();
  /** ...of which proposals count only once scored: a malformed one the audit dead-letters is never stored. */
  private readonly scored = new Set<string>();
  unreadable = 0;
  /** Executors' reports on the run's actions, every phase together: the executor's progress between commits. */
  executionReports = 0;
  /**
   * The run's latest routed decisions, for reads an upstream system makes about its own decisions, with where
   * their outcome was read: a decision is offered only once the audit service has stored that outcome, since
   * before that the API answers 404 (quickly), which would flatter the read figures.
   */
  private readonly recent: { decisionId: string; partition: string; offset: number }[] = [];
  /** The audit group's committed offsets, as of the last gauges read. */
  private auditPositions = new Map<string, number>();
  /** Keys of the run seen on the proposal topic, well-formed or not: what was really published. */
  private readonly proposals = new Set<string>();
  /** Dead letters of the run's messages per consumer group, every phase together. */
  private readonly letters = new Map<string, number>();

  /** The caller positions `groupId` at the end of the topics before `start` (see startGroupsAtEnd). */
  constructor(
    kafka: Kafka,
    readonly groupId: string,
    private readonly admin: Admin,
    private readonly runPrefix: string,
    private tally: RunTally,
  ) {
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  }

  static readonly TOPICS: readonly string[] = [...EVENT_TOPICS, Topic.DeadLetter];

  /** The tally of the phase being run: seeding and each level count their own decisions. */
  countInto(tally: RunTally): void {
    this.tally = tally;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...SoakObserver.TOPICS], fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async (payload) => this.handleBatch(payload),
    });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }

  /**
   * How far behind a group is on the topics, in seconds: 0 where it committed everything; where it did not,
   * now minus the producer timestamp of the first message it has not committed. Where the bench has not read
   * that message yet either, the newest timestamp the bench has read on the partition stands in (a lower bound).
   */
  async delay(groupId: string, topics: readonly string[]): Promise<GroupDelay> {
    const now = Date.now();
    const ends = await topicEnds(this.admin, topics);
    const offsets = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    let seconds = 0;
    let messages = 0;
    let committed = 0n;
    const positions = new Map<string, number>();
    for (const { topic, partitions } of offsets) {
      for (const { partition, offset } of partitions) {
        const key = partitionKey(topic, partition);
        const end = Number(ends.get(key) ?? 0n);
        // -1: never committed; the bench positioned every group at the end, so nothing of the run is pending.
        if (offset === '-1') continue;
        const at = Number(offset);
        committed += BigInt(offset);
        positions.set(key, at);
        if (at >= end) continue;
        messages += end - at;
        const producedAt = this.timestampAtOrAfter(key, at);
        if (producedAt !== undefined) seconds = Math.max(seconds, (now - producedAt) / 1000);
      }
    }
    return { seconds, messages, committed, positions };
  }

  /**
   * Forgets what every group the bench asks about has committed (the lowest position given per partition);
   * on partitions no such group reads, only the newest entry is kept.
   */
  trim(...groups: Map<string, number>[]): void {
    for (const [key, entry] of this.seen) {
      const floors = groups.flatMap((positions) => positions.get(key) ?? []);
      const floor = floors.length ? Math.min(...floors) : Infinity;
      let drop = 0;
      while (drop < entry.offsets.length - 1 && entry.offsets[drop] < floor) drop++;
      if (drop > 0) {
        entry.offsets.splice(0, drop);
        entry.times.splice(0, drop);
      }
    }
  }

  /** Messages of a phase (keys starting with `prefix`) read on the proposal topic. */
  proposalsSeen(prefix: string): number {
    let count = 0;
    for (const key of this.proposals) if (key.startsWith(prefix)) count++;
    return count;
  }

  /** Dead letters a group wrote for the run's messages (the audit service stores no record for those). */
  deadLettersOf(groupId: string): number {
    return this.letters.get(groupId) ?? 0;
  }

  /** Tells the reader how far the audit service has stored (its group's committed offsets). */
  auditStoredUpTo(positions: Map<string, number>): void {
    this.auditPositions = positions;
  }

  recentDecision(): string | undefined {
    const stored = this.recent.filter((r) => r.offset < (this.auditPositions.get(r.partition) ?? 0));
    return stored[Math.floor(Math.random() * stored.length)]?.decisionId;
  }

  /** Events of the run's decisions seen so far (proposals only once scored): the records they will add. */
  get auditRecordsSeen(): number {
    let count = 0;
    for (const { type, decisionId } of this.events.values()) {
      if (type !== 'DecisionProposed' || this.scored.has(decisionId)) count++;
    }
    return count;
  }

  /** What the audit trail must hold for the run, eventId → a line naming it. */
  /** By decision: each event's id and a description of it. */
  expectedAuditRecords(): Map<string, Map<string, string>> {
    const expected = new Map<string, Map<string, string>>();
    for (const [eventId, { type, decisionId }] of this.events) {
      if (type === 'DecisionProposed' && !this.scored.has(decisionId)) continue;
      const events = expected.get(decisionId) ?? new Map<string, string>();
      events.set(eventId, `${type} of ${decisionId} (${eventId})`);
      expected.set(decisionId, events);
    }
    return expected;
  }

  private timestampAtOrAfter(key: string, offset: number): number | undefined {
    const entry = this.seen.get(key);
    if (!entry || entry.offsets.length === 0) return undefined;
    // Binary search: the first offset at or after the one asked for (compacted topics have holes).
    let low = 0;
    let high = entry.offsets.length - 1;
    if (entry.offsets[high] < offset) return entry.times[high];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (entry.offsets[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return entry.times[low];
  }

  private async handleBatch({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const key = partitionKey(batch.topic, batch.partition);
    const entry = this.seen.get(key) ?? { offsets: [], times: [] };
    this.seen.set(key, entry);
    for (const message of batch.messages) {
      entry.offsets.push(Number(message.offset));
      entry.times.push(Number(message.timestamp));
      this.read(batch.topic, batch.partition, message);
    }
    await heartbeat();
  }

  private read(topic: string, partition: number, message: KafkaMessage): void {
    const key = message.key?.toString();
    // Other traffic on a shared broker, and the control topics: skipped before anything is parsed.
    if (key === undefined || !key.startsWith(this.runPrefix)) return;
    if (topic === Topic.DecisionProposed) this.proposals.add(key);
    // An event of an earlier phase is still kept for the trail check, but counts in no phase's tally.
    const counted = this.tally.knows(key);
    if (topic === Topic.DeadLetter) {
      const letter = readDeadLetter(message);
      this.letters.set(letter.consumerGroup, (this.letters.get(letter.consumerGroup) ?? 0) + 1);
      if (counted) this.tally.deadLetter({ key, reason: letter.reason, consumerGroup: letter.consumerGroup });
      return;
    }
    try {
      const event = JSON.parse(message.value?.toString() ?? '');
      if (typeof event?.eventId !== 'string' || typeof event?.type !== 'string') return;
      this.events.set(event.eventId, { type: event.type, decisionId: event.decisionId });
      if (event.type === 'DecisionScored') this.scored.add(event.decisionId);
      if (event.type === 'ActionExecuted' || event.type === 'ActionFailed') this.executionReports++;
      if (!counted) return;
      if (event.type === 'DecisionScored') {
        this.tally.scored(event.decisionId);
      } else if (event.type === 'ActionExecuted' || event.type === 'ActionFailed') {
        this.tally.execution({
          eventId: event.eventId,
          decisionId: event.decisionId,
          type: event.type,
          willRetry: event.payload?.willRetry,
        });
      }
      if (OUTCOME_TYPES.has(event.type)) {
        const at = { decisionId: event.decisionId, partition: partitionKey(topic, partition) };
        if (this.recent.push({ ...at, offset: Number(message.offset) }) > 200) {
          this.recent.shift();
        }
        this.tally.outcome({
          type: event.type as OutcomeType,
          decisionId: event.decisionId,
          tier: event.payload.tier,
          kind: event.payload.kind,
          mode: event.payload.mode,
        });
      }
    } catch {
      // A malformed proposal sent on purpose is not JSON; it is counted by its dead letters instead.
      if (topic !== Topic.DecisionProposed) this.unreadable++;
    }
  }
}
