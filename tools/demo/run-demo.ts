/**
 * The main command's job for now: runs the audit service as its own process, publishes a sample
 * DecisionProposed and a malformed message through the real broker, and shows that the event reached the
 * audit trail in the store and the malformed one reached the dead-letter topic with its reason.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Partitioners } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { exampleDecisionProposed, newEvent, Topic, TOPIC_SPECS } from '@oversight/contracts';
import {
  consoleLogger,
  createKafka,
  createProducer,
  ensureTopics,
  EventPublisher,
  readDeadLetter,
} from '@oversight/messaging';
import { LocalInfra } from '@oversight/testing';
import { randomUUID } from 'node:crypto';

const ROOT = path.resolve(__dirname, '../..');

/** The fields of an audit record the demo prints; the audit app owns the full schema. */
interface StoredAuditRecord {
  _id: string;
  type: string;
  decisionId: string;
  source: { topic: string; partition: number; offset: string };
  recordedAt: Date;
}
const say = (line: string) => console.log(`demo: ${line}`);

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function startAudit(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps/audit/main.js')], {
    env: { ...process.env, ...env, LOG_FORMAT: 'text', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      say(`audit service exited unexpectedly (code ${code}, signal ${signal})`);
  });
  return child;
}

async function main() {
  const infra = new LocalInfra();
  const connection = infra.connection;
  say(
    `Kafka ${infra.config.kafka.version} at ${connection.KAFKA_BROKERS}, FerretDB at ${connection.MONGODB_URI}`,
  );

  const kafka = createKafka({ brokers: [connection.KAFKA_BROKERS], clientId: 'demo', logger: consoleLogger });
  await ensureTopics(kafka, TOPIC_SPECS);
  const audit = startAudit(connection);
  say(`audit service started as process ${audit.pid}`);

  const producer = createProducer(kafka);
  const publisher = new EventPublisher(producer);
  const rawProducer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const deadLetters = kafka.consumer({ groupId: `demo-${randomUUID()}` });
  const mongo = new MongoClient(connection.MONGODB_URI);
  try {
    await Promise.all([producer.connect(), rawProducer.connect(), mongo.connect()]);

    const decisionId = `demo-${randomUUID().slice(0, 8)}`;
    const event = newEvent('DecisionProposed', {
      decisionId,
      producer: 'demo',
      payload: exampleDecisionProposed(),
    });
    await publisher.publish(Topic.DecisionProposed, event);
    say(
      `published ${event.type} ${event.eventId} for decision ${decisionId}: ${event.payload.context.summary}`,
    );

    const badKey = `${decisionId}-malformed`;
    const [bad] = await rawProducer.send({
      topic: Topic.DecisionProposed,
      messages: [{ key: badKey, value: '{"type":"DecisionProposed","payload":{"confidence":7}' }],
    });
    say(`published a malformed message at ${Topic.DecisionProposed}/${bad.partition}@${bad.baseOffset}`);

    const started = Date.now();
    const stored = await waitFor(
      'the audit record',
      async () =>
        (await mongo.db().collection<StoredAuditRecord>('audit_events').findOne({ _id: event.eventId })) ??
        undefined,
    );
    say(
      `audit trail stored it after ${Date.now() - started} ms: ${stored.type} of ${stored.decisionId} ` +
        `from ${stored.source.topic}/${stored.source.partition}@${stored.source.offset}, recorded ${stored.recordedAt.toISOString()}`,
    );

    let letter: ReturnType<typeof readDeadLetter> | undefined;
    await deadLetters.connect();
    await deadLetters.subscribe({ topic: Topic.DeadLetter, fromBeginning: true });
    await deadLetters.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === badKey) letter = readDeadLetter(message);
      },
    });
    const found = await waitFor('the dead letter', async () => letter);
    say(
      `dead-letter topic holds the malformed message: reason ${found.reason}, from ` +
        `${found.source.topic}/${found.source.partition}@${found.source.offset}: ${found.errors.join('; ')}`,
    );
    say('round trip through real Kafka and FerretDB complete');
    say('the broker and store keep running; stop them with: npm run infra -- down');
  } finally {
    await Promise.allSettled([
      producer.disconnect(),
      rawProducer.disconnect(),
      deadLetters.disconnect(),
      mongo.close(),
    ]);
    audit.kill('SIGTERM');
    await new Promise((resolve) => audit.once('exit', resolve));
  }
}

main().catch((error: Error) => {
  console.error(`demo: failed: ${error.message}`);
  process.exit(1);
});
