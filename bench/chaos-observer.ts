import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { decodeEvent, EVENT_TOPICS, EventTopic, Topic } from '@oversight/contracts';
import { readDeadLetter } from '@oversight/messaging';
import { SeenEvent } from './chaos-verdict';

export interface SeenDeadLetter {
  key: string;
  sourceTopic: string;
  reason: string;
  consumerGroup: string;
}

const FINAL = new Set(['ActionApproved', 'DecisionBlocked', 'DecisionRejected']);

/**
 * Reads every event topic and the dead letters, from where its group was placed (the end, before the run),
 * and keeps what concerns the run's decisions (keys starting with its prefix): each event, and each dead
 * letter. Read committed, as every consumer of the platform reads.
 */
export class ChaosObserver {
  private readonly consumer: Consumer;
  readonly events: SeenEvent[] = [];
  readonly deadLetters: SeenDeadLetter[] = [];
  private readonly finals = new Set<string>();
  private readonly executions = new Set<string>();
  /** Approved decisions whose action the run's executor carries out. */
  private readonly toExecute = new Set<string>();

  constructor(
    kafka: Kafka,
    readonly groupId: string,
    private readonly prefix: string,
    private readonly executable: ReadonlySet<string>,
  ) {
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  }

  static readonly TOPICS: readonly string[] = [...EVENT_TOPICS, Topic.DeadLetter];

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...ChaosObserver.TOPICS], fromBeginning: true });
    await this.consumer.run({ partitionsConsumedConcurrently: 4, eachBatch: (batch) => this.read(batch) });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** Decisions with a final outcome so far. */
  get decided(): number {
    return this.finals.size;
  }

  /** Approved actions the run's executor has yet to carry out (or fail for good). */
  get toCarryOut(): number {
    let open = 0;
    for (const decisionId of this.toExecute) if (!this.executions.has(decisionId)) open++;
    return open;
  }

  private async read({ batch }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      const key = message.key?.toString() ?? '';
      if (!key.startsWith(this.prefix)) continue;
      if (batch.topic === Topic.DeadLetter) {
        const letter = readDeadLetter(message);
        this.deadLetters.push({
          key,
          sourceTopic: letter.source.topic,
          reason: letter.reason,
          consumerGroup: letter.consumerGroup,
        });
        continue;
      }
      const decoded = decodeEvent(batch.topic as EventTopic, message.value);
      if (!decoded.ok || !decoded.value.decisionId) continue;
      const event = decoded.value;
      const decisionId = event.decisionId as string;
      const seen: SeenEvent = { eventId: event.eventId, type: event.type, decisionId };
      if (event.type === 'ActionFailed') seen.willRetry = (event.payload as { willRetry: boolean }).willRetry;
      if (event.type === 'ActionApproved') {
        seen.actionType = (event.payload as { proposal: { actionType: string } }).proposal.actionType;
        if (this.executable.has(seen.actionType)) this.toExecute.add(decisionId);
      }
      this.events.push(seen);
      if (FINAL.has(event.type)) this.finals.add(decisionId);
      if (event.type === 'ActionExecuted' || (event.type === 'ActionFailed' && seen.willRetry === false)) {
        this.executions.add(decisionId);
      }
    }
  }
}
