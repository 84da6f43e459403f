import { Kafka, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import {
  exampleDecisionProposed,
  Limits,
  newEvent,
  PlatformEvent,
  Topic,
  TOPIC_SPECS,
  TopicEvents,
} from '@oversight/contracts';
import { eventually, testKafka, TopicRecorder, uniqueName } from '@oversight/testing';
import {
  createProducer,
  DeadLetterPublisher,
  ensureTopics,
  EventConsumer,
  EventHandler,
  EventPublisher,
  InvalidEventError,
  MessagingLogger,
  PermanentFailure,
  readDeadLetter,
} from '../src';

type Proposed = TopicEvents[typeof Topic.DecisionProposed];

const quietLogger: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('messaging on a real Kafka broker', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let deadLetters: DeadLetterPublisher;
  let producer: Producer;
  let rawProducer: Producer;
  let dlq: TopicRecorder;
  const consumers: EventConsumer<typeof Topic.DecisionProposed>[] = [];

  const proposal = (
    decisionId: string,
    overrides: Parameters<typeof exampleDecisionProposed>[0] = {},
  ): Proposed =>
    newEvent('DecisionProposed', {
      decisionId,
      producer: 'messaging-e2e',
      payload: exampleDecisionProposed(overrides),
    });

  async function consume(
    handler: EventHandler<typeof Topic.DecisionProposed>,
    groupId = uniqueName('group'),
  ) {
    const consumer = new EventConsumer(kafka, deadLetters, {
      groupId,
      topics: [Topic.DecisionProposed],
      handler,
      retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      logger: quietLogger,
    });
    await consumer.start();
    consumers.push(consumer);
    return consumer;
  }

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    rawProducer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([producer.connect(), rawProducer.connect()]);
    publisher = new EventPublisher(producer);
    deadLetters = new DeadLetterPublisher(producer);
    dlq = await new TopicRecorder(kafka, Topic.DeadLetter).start();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await dlq.stop();
    await Promise.all([producer.disconnect(), rawProducer.disconnect()]);
  });

  it('creates every contract topic with its partitions and a leader for each', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: TOPIC_SPECS.map((s) => s.name) });
    await admin.disconnect();
    for (const spec of TOPIC_SPECS) {
      const topic = topics.find((t) => t.name === spec.name)!;
      expect(topic.partitions).toHaveLength(spec.partitions);
      expect(topic.partitions.every((p) => p.leader >= 0)).toBe(true);
    }
    // Idempotent: a second service starting up changes nothing and does not fail.
    await expect(ensureTopics(kafka, TOPIC_SPECS)).resolves.toBeUndefined();
  });

  it('delivers every event once, keeps each decision on one partition and in publish order', async () => {
    const decisions = Array.from({ length: 12 }, () => uniqueName('dec'));
    const published: Proposed[] = [];
    for (let step = 0; step < 5; step++) {
      const batch = decisions.map((id) => proposal(id, { parameters: { step } }));
      published.push(...batch);
      await publisher.publish(Topic.DecisionProposed, ...batch);
    }
    const ours = new Set(decisions);
    const seen: { event: PlatformEvent<'DecisionProposed'>; partition: number }[] = [];
    await consume(async (event, context) => {
      if (ours.has(event.decisionId)) seen.push({ event, partition: context.partition });
    });

    await eventually(() => expect(seen).toHaveLength(published.length), { timeoutMs: 30_000 });
    expect(new Set(seen.map((s) => s.event.eventId)).size).toBe(published.length);
    for (const decisionId of decisions) {
      const mine = seen.filter((s) => s.event.decisionId === decisionId);
      expect(new Set(mine.map((s) => s.partition)).size).toBe(1);
      expect(mine.map((s) => s.event.payload.parameters.step)).toEqual([0, 1, 2, 3, 4]);
    }
    // Twelve keys over six partitions: the load is spread, not funnelled into one partition.
    expect(new Set(seen.map((s) => s.partition)).size).toBeGreaterThan(1);
  });

  it('dead-letters malformed and invalid messages with reason and source offset, and goes on', async () => {
    const key = uniqueName('dec');
    const sent = async (value: Buffer | string) =>
      (
        await rawProducer.send({ topic: Topic.DecisionProposed, messages: [{ key, value }] })
      )[0] as RecordMetadata;

    const notJson = await sent('{"eventId": "oops"');
    const invalid = await sent(
      JSON.stringify({ ...proposal(key), payload: { ...exampleDecisionProposed(), confidence: 7 } }),
    );
    const unsafe = await sent(
      JSON.stringify({
        ...proposal(key),
        payload: { ...exampleDecisionProposed(), parameters: { $where: '1' } },
      }),
    );
    const good = proposal(key);
    await publisher.publish(Topic.DecisionProposed, good);

    const handled: string[] = [];
    const groupId = uniqueName('group');
    await consume(async (event) => {
      if (event.decisionId === key) handled.push(event.eventId);
    }, groupId);

    await eventually(() => expect(handled).toEqual([good.eventId]));
    await eventually(() => expect(dlq.withKey(key)).toHaveLength(3));

    const letters = dlq.withKey(key).map((m) => readDeadLetter(m.message));
    expect(letters.map((l) => l.reason)).toEqual(['not-json', 'invalid-payload', 'unsafe-structure']);
    expect(letters.map((l) => l.source.offset)).toEqual([
      notJson.baseOffset,
      invalid.baseOffset,
      unsafe.baseOffset,
    ]);
    expect(
      letters.every(
        (l) => l.source.topic === Topic.DecisionProposed && l.source.partition === notJson.partition,
      ),
    ).toBe(true);
    expect(letters.every((l) => l.consumerGroup === groupId && l.attempts === 0)).toBe(true);
    expect(letters[0].value?.toString()).toBe('{"eventId": "oops"'); // original bytes, untouched
    expect(letters[1].errors).toContain('payload.confidence: confidence must not be greater than 1');
  });

  it('retries a failing handler, then dead-letters the event with the error and the number of attempts', async () => {
    const key = uniqueName('dec');
    const flaky = proposal(key, { actionType: 'flaky' });
    const broken = proposal(key, { actionType: 'broken' });
    const rejected = proposal(key, { actionType: 'rejected' });
    await publisher.publish(Topic.DecisionProposed, flaky, broken, rejected);

    const attempts = new Map<string, number>();
    const done: string[] = [];
    await consume(async (event, context) => {
      if (event.decisionId !== key) return;
      attempts.set(event.payload.actionType, context.attempt);
      if (event.payload.actionType === 'flaky' && context.attempt < 2)
        throw new Error('store briefly unavailable');
      if (event.payload.actionType === 'broken') throw new Error('store rejected the write');
      if (event.payload.actionType === 'rejected')
        throw new PermanentFailure('policy forbids this action', 'policy-violation');
      done.push(event.eventId);
    });

    await eventually(() => expect(dlq.withKey(key)).toHaveLength(2));
    expect(done).toEqual([flaky.eventId]);
    expect(attempts.get('flaky')).toBe(2);
    const [brokenLetter, rejectedLetter] = dlq.withKey(key).map((m) => readDeadLetter(m.message));
    expect(brokenLetter).toMatchObject({
      reason: 'handler-failed',
      attempts: 3,
      errors: ['Error: store rejected the write'],
    });
    expect(JSON.parse(brokenLetter.value!.toString()).eventId).toBe(broken.eventId);
    expect(rejectedLetter).toMatchObject({ reason: 'policy-violation', attempts: 1 });
  });

  it('waits out an outage of the store instead of dead-lettering, and loses nothing', async () => {
    const key = uniqueName('dec');
    const during = proposal(key, { actionType: 'during-outage' });
    const after = proposal(key, { actionType: 'after-outage' });
    await publisher.publish(Topic.DecisionProposed, during, after);

    let calls = 0;
    const handled: string[] = [];
    await consume(async (event) => {
      if (event.decisionId !== key) return;
      // Twice the consumer's own retry budget: the batch must be fetched again, not given up on.
      if (event.eventId === during.eventId && ++calls <= 6) {
        throw Object.assign(new Error('connection to the store refused'), { name: 'MongoNetworkError' });
      }
      handled.push(event.eventId);
    });

    await eventually(() => expect(handled).toEqual([during.eventId, after.eventId]), { timeoutMs: 45_000 });
    expect(calls).toBe(7);
    expect(dlq.withKey(key)).toHaveLength(0);
  });

  it('commits offsets only for handled messages, so a restarted consumer resumes where it stopped', async () => {
    const key = uniqueName('dec');
    const groupId = uniqueName('group');
    const first = [proposal(key), proposal(key)];
    await publisher.publish(Topic.DecisionProposed, ...first);

    const firstRun: string[] = [];
    const consumer = await consume(async (event) => {
      if (event.decisionId === key) firstRun.push(event.eventId);
    }, groupId);
    await eventually(() => expect(firstRun).toEqual(first.map((e) => e.eventId)));
    await consumer.stop();
    consumers.splice(consumers.indexOf(consumer), 1);

    const second = [proposal(key)];
    await publisher.publish(Topic.DecisionProposed, ...second);
    const secondRun: string[] = [];
    await consume(async (event) => {
      if (event.decisionId === key) secondRun.push(event.eventId);
    }, groupId);
    await eventually(() => expect(secondRun).toEqual(second.map((e) => e.eventId)));
  });

  it('refuses to publish an event that consumers would reject', async () => {
    const bad = proposal(uniqueName('dec'), { confidence: 2 });
    await expect(publisher.publish(Topic.DecisionProposed, bad)).rejects.toThrow(InvalidEventError);
    await expect(publisher.publish(Topic.DecisionProposed, bad)).rejects.toThrow(
      'payload.confidence: confidence must not be greater than 1',
    );
  });

  it('refuses to publish an event larger than consumers accept', async () => {
    const huge = proposal(uniqueName('dec'), { parameters: { blob: 'x'.repeat(Limits.maxEventBytes) } });
    await expect(publisher.publish(Topic.DecisionProposed, huge)).rejects.toThrow(`-byte limit`);
  });
});
