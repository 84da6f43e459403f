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
  parseBrokerList,
  readDeadLetter,
} from '@oversight/messaging';
import { eventually, LocalInfra } from '@oversight/testing';
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

  const kafka = createKafka({
    brokers: parseBrokerList(connection.KAFKA_BROKERS),
    clientId: 'demo',
    logger: consoleLogger,
  });
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
    const records = mongo.db().collection<StoredAuditRecord>('audit_events');
    const stored = await eventually(async () => {
      const record = await records.findOne({ _id: event.eventId });
      if (!record) throw new Error(`the audit trail has no record of ${event.eventId} after 20 s`);
      return record;
    });
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
    const found = await eventually(() => {
      if (!letter) throw new Error(`no dead letter for ${badKey} after 20 s`);
      return letter;
    });
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
    if (audit.exitCode === null && audit.signalCode === null) {
      const exited = new Promise((resolve) => audit.once('exit', resolve));
      audit.kill('SIGTERM');
      await exited;
    }
  }
}

main().catch((error: Error) => {
  console.error(`demo: failed: ${error.message}`);
  process.exit(1);
});
