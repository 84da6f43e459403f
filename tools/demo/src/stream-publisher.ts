/**
 * Publishes the demo stream at a steady rate: well-formed proposals through the EventPublisher (validated,
 * keyed by decisionId), malformed ones straight through the producer, as a buggy upstream would send them.
 */
import { Producer } from 'kafkajs';
import { newEvent, Topic } from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { DemoMessage } from './demo-stream';
import { RunTally } from './run-tally';

const TICK_MS = 100;

export class StreamPublisher {
  private running = false;
  private loop?: Promise<void>;
  private startedAt = 0;
  private published = 0;
  /** The last send failure, if the broker refused something; sending goes on. */
  lastError?: string;

  constructor(
    private readonly producer: Producer,
    private readonly stream: Iterator<DemoMessage>,
    private readonly tally: RunTally,
    private readonly rate: number,
    private readonly agentName = 'demo-agents',
  ) {}

  start(): void {
    this.running = true;
    this.startedAt = Date.now();
    this.loop = this.run();
  }

  /** Stops after the batch in hand has been acknowledged (or after `timeoutMs`, if the broker is away). */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.running = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const publisher = new EventPublisher(this.producer);
    while (this.running) {
      const due = Math.floor(((Date.now() - this.startedAt) / 1000) * this.rate) - this.published;
      // After a stall (a broker hiccup), catch up gradually rather than in one burst.
      const batch = Array.from({ length: Math.min(Math.max(due, 0), Math.ceil(this.rate)) }, () =>
        this.next(),
      );
      if (batch.length) await this.send(publisher, batch);
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
  }

  private next(): DemoMessage {
    return this.stream.next().value as DemoMessage;
  }

  private async send(publisher: EventPublisher, batch: DemoMessage[]): Promise<void> {
    // Known before they are sent, so an outcome can never arrive for a decision the tally has not seen.
    for (const message of batch) this.tally.sent(message);
    const decisions = batch.flatMap((message) => (message.kind === 'decision' ? [message] : []));
    const malformed = batch.flatMap((message) => (message.kind === 'malformed' ? [message] : []));
    try {
      if (decisions.length) {
        const events = decisions.map((message) =>
          newEvent('DecisionProposed', {
            decisionId: message.decisionId,
            producer: this.agentName,
            payload: message.proposal,
          }),
        );
        await publisher.publish(Topic.DecisionProposed, ...events);
      }
    } catch (error) {
      // EventPublisher sends nothing of a batch with an invalid event: none of it counts as sent.
      this.failed(decisions, error as Error);
    }
    try {
      if (malformed.length) {
        await this.producer.send({
          topic: Topic.DecisionProposed,
          messages: malformed.map((message) => ({ key: message.key, value: message.value })),
        });
      }
    } catch (error) {
      this.failed(malformed, error as Error);
    }
    this.published += batch.length;
  }

  private failed(messages: DemoMessage[], error: Error): void {
    for (const message of messages) this.tally.unsent(message);
    this.lastError = error.message;
  }
}
