import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getModelToken } from '@nestjs/mongoose';
import { Kafka, Producer } from 'kafkajs';
import { Model } from 'mongoose';
import { exampleDecisionProposed, newEvent, Topic } from '@oversight/contracts';
import { createProducer, EventPublisher } from '@oversight/messaging';
import { dropTestDatabase, eventually, testDatabaseUri, testKafka, uniqueName } from '@oversight/testing';
import { AppModule } from '../src/app.module';
import { AuditEventRecord } from '../src/audit-event.schema';
import { AuditTrailRepository } from '../src/audit-trail.repository';

describe('audit service on real Kafka and the real store', () => {
  const databaseUri = testDatabaseUri('audit-e2e');
  let app: INestApplicationContext | undefined;
  let kafka: Kafka;
  let producer: Producer;
  let publisher: EventPublisher;

  const proposal = (decisionId: string, step = 0) =>
    newEvent('DecisionProposed', {
      decisionId,
      producer: 'audit-e2e',
      payload: exampleDecisionProposed({ parameters: { step } }),
    });

  async function startAudit(): Promise<INestApplicationContext> {
    const started = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    started.enableShutdownHooks();
    return started;
  }

  beforeAll(async () => {
    process.env.MONGODB_URI = databaseUri;
    process.env.AUDIT_CONSUMER_GROUP = uniqueName('audit');
    kafka = testKafka();
    app = await startAudit();
    producer = createProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer);
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await dropTestDatabase(databaseUri);
  });

  it("stores each decision's events as a timeline, in order", async () => {
    const decisionId = uniqueName('dec');
    const events = [0, 1, 2].map((step) => proposal(decisionId, step));
    await publisher.publish(Topic.DecisionProposed, ...events);

    const trail = app!.get(AuditTrailRepository);
    const timeline = await eventually(async () => {
      const records = await trail.timeline(decisionId);
      expect(records).toHaveLength(3);
      return records;
    });
    expect(timeline.map((r) => r._id)).toEqual(events.map((e) => e.eventId));
    expect(timeline[0]).toMatchObject({
      decisionId,
      type: 'DecisionProposed',
      schemaVersion: 1,
      producer: 'audit-e2e',
      source: { topic: Topic.DecisionProposed },
    });
    expect(timeline[0].event).toMatchObject({
      eventId: events[0].eventId,
      payload: { amount: { value: 12, currency: 'USD' } },
    });
    expect(timeline[0].recordedAt.getTime()).toBeGreaterThanOrEqual(new Date(events[0].occurredAt).getTime());
  });

  it('stores a redelivered event once: the eventId is the record key', async () => {
    const decisionId = uniqueName('dec');
    const event = proposal(decisionId);
    await publisher.publish(Topic.DecisionProposed, event);
    await publisher.publish(Topic.DecisionProposed, event);
    const marker = proposal(decisionId, 1);
    await publisher.publish(Topic.DecisionProposed, marker);

    const records = app!.get<Model<AuditEventRecord>>(getModelToken(AuditEventRecord.name));
    await eventually(async () => expect(await records.countDocuments({ _id: marker.eventId })).toBe(1));
    expect(await records.countDocuments({ _id: event.eventId })).toBe(1);
    await expect(
      records.create({ ...(await records.findOne({ _id: event.eventId }).lean())! }),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it('picks up events published while it was down, once restarted', async () => {
    await app!.close();
    app = undefined;
    const decisionId = uniqueName('dec');
    const whileDown = proposal(decisionId);
    await publisher.publish(Topic.DecisionProposed, whileDown);

    app = await startAudit();
    const trail = app.get(AuditTrailRepository);
    await eventually(async () =>
      expect((await trail.timeline(decisionId)).map((r) => r._id)).toEqual([whileDown.eventId]),
    );
  });
});
