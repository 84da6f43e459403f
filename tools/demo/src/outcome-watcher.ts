/**
 * Reads what comes out of the pipeline, scoring verdicts, routing outcomes, executors' reports and dead letters, with a throw-away group positioned at
 * the end of the topics before the stream starts, and feeds this run's part of it to the tally.
 */
import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { Topic } from '@oversight/contracts';
import { readDeadLetter } from '@oversight/messaging';
import { withTimeout } from './consumer-groups';
import { OutcomeType, RunTally } from './run-tally';

export const OUTCOME_TOPICS = [Topic.ActionApproved, Topic.ReviewRequested, Topic.DecisionBlocked] as const;
export const EXECUTION_TOPICS = [Topic.ActionExecuted, Topic.ActionFailed] as const;
export const WATCHED_TOPICS: readonly string[] = [
  Topic.DecisionScored,
  ...OUTCOME_TOPICS,
  ...EXECUTION_TOPICS,
  Topic.DeadLetter,
];

export class OutcomeWatcher {
  private readonly consumer: Consumer;
  /** Messages on the watched topics that were this run's but could not be read (should stay 0). */
  unreadable = 0;

  constructor(
    kafka: Kafka,
    readonly groupId: string,
    private readonly tally: RunTally,
  ) {
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  }

  /** Resolves once the consumer has joined its group and been given the partitions. */
  async start(): Promise<void> {
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...WATCHED_TOPICS], fromBeginning: false });
    await this.consumer.run({
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ topic, message }) => this.read(topic, message),
    });
    await withTimeout(joined, 30_000, 'the outcome watcher did not join its group');
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }

  private read(topic: string, message: KafkaMessage): void {
    const key = message.key?.toString();
    // Other people's traffic on a shared broker: skipped before anything is parsed.
    if (key === undefined || !this.tally.knows(key)) return;
    if (topic === Topic.DeadLetter) {
      const letter = readDeadLetter(message);
      this.tally.deadLetter({ key, reason: letter.reason, consumerGroup: letter.consumerGroup });
      return;
    }
    try {
      const event = JSON.parse(message.value?.toString() ?? '');
      if (topic === Topic.DecisionScored) {
        this.tally.scored(event.decisionId);
        return;
      }
      if (topic === Topic.ActionExecuted || topic === Topic.ActionFailed) {
        this.tally.execution({
          eventId: event.eventId,
          decisionId: event.decisionId,
          type: event.type,
          willRetry: event.payload.willRetry,
        });
        return;
      }
      this.tally.outcome({
        type: event.type as OutcomeType,
        decisionId: event.decisionId,
        tier: event.payload.tier,
        kind: event.payload.kind,
        mode: event.payload.mode,
      });
    } catch {
      this.unreadable++;
    }
  }
}
