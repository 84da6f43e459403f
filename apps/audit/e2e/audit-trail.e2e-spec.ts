import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getModelToken } from '@nestjs/mongoose';
import { Kafka, Producer } from 'kafkajs';
import { Model } from 'mongoose';
import { MongoClient } from 'mongodb';
import { exampleDecisionProposed, newEvent, PlatformEvent, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { createProducer, ensureTopics, EventPublisher, OutgoingEvent } from '@oversight/messaging';
import { dropTestDatabase, eventually, testDatabaseUri, testKafka, uniqueName } from '@oversight/testing';
import { AuditEventRecord, AuditQueries, DecisionIndexEntry, verifyChains } from '@oversight/audit-trail';
import { AuditTrailRepository } from '../src/audit-trail.repository';
import { refundJourney } from './refund-journey';

const CLI = path.resolve(__dirname, '../../../dist/apps/audit/cli.js');
describe('audit service on real Kafka and the real store', () => {
  const databaseUri = testDatabaseUri('audit-e2e');
  let app: INestApplicationContext | undefined;
  let kafka: Kafka;
  let producer: Producer;
  let publisher: EventPublisher;
  let mongo: MongoClient;

  async function startAudit(): Promise<INestApplicationContext> {
    // Loaded here, not imported at the top: its ConfigModule reads the environment when the module loads, which
    // must be after beforeAll has pointed MONGODB_URI at this suite's own database.
    const { AppModule } = await import('../src/app.module');
    const started = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    started.enableShutdownHooks();
    return started;
  }

  const publishJourney = async ({ proposed, scored, approved }: ReturnType<typeof refundJourney>) => {
    await publisher.publish(Topic.DecisionProposed, proposed);
    await publisher.publish(Topic.DecisionScored, scored);
    await publisher.publish(Topic.ActionApproved, approved);
  };

  // A new audit group reads every topic from the beginning; on a long-lived dev broker that history is large.
  const timelineOf = (decisionId: string, length: number) =>
    eventually(
      async () => {
        const records = await app!.get(AuditQueries).timeline(decisionId);
        expect(records).toHaveLength(length);
        return records;
      },
      { timeoutMs: 90_000 },
    );

  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, MONGODB_URI: databaseUri },
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    process.env.MONGODB_URI = databaseUri;
    process.env.AUDIT_CONSUMER_GROUP = uniqueName('audit');
    kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer);
    mongo = new MongoClient(databaseUri);
    await mongo.connect();
    app = await startAudit();
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await mongo?.close();
    await dropTestDatabase(databaseUri);
  });

  it("chains each decision's events in order, each link hashing the one before", async () => {
    const decisionId = uniqueName('dec');
    const journey = refundJourney(decisionId);
    await publishJourney(journey);

    const timeline = await timelineOf(decisionId, 3);
    expect(timeline.map((r) => r.type)).toEqual(['DecisionProposed', 'DecisionScored', 'ActionApproved']);
    expect(timeline.map((r) => r.eventId)).toEqual([
      journey.proposed.eventId,
      journey.scored.eventId,
      journey.approved.eventId,
    ]);
    // The chain runs in the order the audit service read the events, which across topics may differ.
    const links = timeline.map((r) => r.chain).sort((a, b) => a.seq - b.seq);
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(links[0].prevHash).toBe('0'.repeat(64));
    expect(links[1].prevHash).toBe(links[0].hash);
    expect(links[2].prevHash).toBe(links[1].hash);
    expect(timeline[0]).toMatchObject({ chainKey: decisionId, source: { topic: Topic.DecisionProposed } });
  });

  it("ends a decision's projection in what its executor reported", async () => {
    const decisionId = uniqueName('dec');
    const journey = refundJourney(decisionId);
    await publishJourney(journey);
    const report = { executor: 'billing-credits', durationMs: 30 };
    await publisher.publish(
      Topic.ActionFailed,
      newEvent('ActionFailed', {
        decisionId,
        producer: 'billing-credits',
        causedBy: journey.approved,
        payload: {
          ...report,
          attempt: 1,
          idempotencyKey: `${decisionId}#1`,
          error: { message: 'the billing API timed out', code: 'timeout' },
          retryable: true,
          willRetry: true,
          context: { accountId: 'ACC-10442' },
        },
      }),
    );
    await publisher.publish(
      Topic.ActionExecuted,
      newEvent('ActionExecuted', {
        decisionId,
        producer: 'billing-credits',
        causedBy: journey.approved,
        payload: { ...report, attempt: 2, idempotencyKey: `${decisionId}#2`, result: { creditId: 'CR-1' } },
      }),
    );
    const timeline = await timelineOf(decisionId, 5);
    expect(timeline.map((r) => r.type).slice(3)).toEqual(['ActionFailed', 'ActionExecuted']);
    expect(await app!.get(AuditQueries).decision(decisionId)).toMatchObject({
      state: 'executed',
      executor: 'billing-credits',
      executionAttempts: 2,
      lastExecutionError: 'timeout',
    });
  });

  it('stores an event with empty objects exactly as it was, so its chain still verifies', async () => {
    const decisionId = uniqueName('dec');
    const proposed = newEvent('DecisionProposed', {
      decisionId,
      producer: 'agent',
      payload: exampleDecisionProposed({ parameters: {} }),
    });
    await publisher.publish(Topic.DecisionProposed, proposed);
    const [record] = await timelineOf(decisionId, 1);
    expect(record.event).toEqual(JSON.parse(JSON.stringify(proposed)));
    const chain = await app!.get(AuditQueries).chain(decisionId);
    expect(
      await verifyChains(
        (async function* () {
          yield* chain;
        })(),
      ),
    ).toEqual({ chains: 1, records: 1 });
  });

  it('stores a redelivered event once and does not extend the chain with it', async () => {
    const decisionId = uniqueName('dec');
    const { proposed, scored } = refundJourney(decisionId);
    await publisher.publish(Topic.DecisionProposed, proposed);
    await publisher.publish(Topic.DecisionProposed, proposed);
    await publisher.publish(Topic.DecisionScored, scored);
    const timeline = await timelineOf(decisionId, 2);
    expect(timeline.map((r) => r.chain.seq).sort()).toEqual([1, 2]);
  });

  it('keeps a per-decision projection that answers queries by function, route, tier and time', async () => {
    const from = new Date(Date.now() - 5_000);
    const billing = uniqueName('dec');
    const ap = uniqueName('dec');
    await publishJourney(refundJourney(billing));
    await publishJourney(refundJourney(ap, 12, 'finance-ap'));
    const queries = app!.get(AuditQueries);

    const found = await eventually(async () => {
      const { decisions } = await queries.findDecisions({
        businessFunction: 'telecom-billing',
        route: 'auto',
        tier: 'low',
        from,
      });
      // Listed once its proposal is stored; folded whole once all three of its events are.
      expect(decisions.find((d) => d._id === billing)?.seq).toBe(3);
      return decisions;
    });
    expect(found.map((d) => d._id)).not.toContain(ap);
    expect(found.find((d) => d._id === billing)).toMatchObject({
      state: 'approved',
      actionType: 'refund',
      amount: 12,
      currency: 'USD',
      score: 5,
      policyId: 'reference',
      policyVersion: 1,
      seq: 3,
    });
    expect(await queries.findDecisions({ from: new Date(Date.now() + 60_000) })).toEqual({ decisions: [] });
  });

  it('pages a decision list by cursor: every decision once, newest first, none that arrived later', async () => {
    const businessFunction = uniqueName('paged').toLowerCase();
    const ids = Array.from({ length: 7 }, () => uniqueName('dec'));
    // Proposal times 10 ms apart: lists of different partitions merge by proposal time, and two journeys
    // published within the same millisecond would have no order to assert.
    const start = Date.now() - 5_000;
    for (const [i, id] of ids.entries()) {
      await publishJourney(refundJourney(id, 12, businessFunction, start + i * 10));
    }
    const queries = app!.get(AuditQueries);
    await eventually(async () =>
      expect((await queries.findDecisions({ businessFunction }, 10)).decisions).toHaveLength(7),
    );

    const pages: string[][] = [];
    let page = await queries.findDecisions({ businessFunction }, 3);
    pages.push(page.decisions.map((d) => d._id));
    // Arrives after the first page: the window the cursor fixed leaves it to a new query.
    const late = uniqueName('dec');
    await publishJourney(refundJourney(late, 12, businessFunction));
    while (page.next) {
      page = await queries.findDecisions({ businessFunction }, 3, page.next);
      pages.push(page.decisions.map((d) => d._id));
    }

    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    // Proposed one after the other, so newest first is the reverse order.
    expect(pages.flat()).toEqual([...ids].reverse());
    await eventually(async () =>
      expect((await queries.findDecisions({ businessFunction }, 1)).decisions[0]?._id).toBe(late),
    );
  });

  it('streams decisions out as NDJSON and CSV', async () => {
    const decisionId = uniqueName('dec');
    const from = new Date(Date.now() - 5_000);
    await publishJourney(refundJourney(decisionId, 33));
    await timelineOf(decisionId, 3);

    const ndjson = await cli(
      'export',
      '--format',
      'ndjson',
      '--function',
      'telecom-billing',
      '--from',
      from.toISOString(),
    );
    const rows = ndjson.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.find((r) => r._id === decisionId)).toMatchObject({
      route: 'auto',
      amount: 33,
      state: 'approved',
    });

    const csv = await cli('export', '--format', 'csv', '--from', from.toISOString());
    const [header, ...lines] = csv.stdout.trim().split('\n');
    expect(header.split(',').slice(0, 6)).toEqual([
      '_id',
      'state',
      'businessFunction',
      'actionType',
      'route',
      'tier',
    ]);
    expect(lines.find((l) => l.startsWith(decisionId))).toMatch(
      /^[^,]+,approved,telecom-billing,refund,auto,low,5,33,USD,/,
    );

    expect(await cli('export', '--route', 'blocked')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--route blocked is not one of auto, review, block'),
    });

    const timeline = await cli('timeline', decisionId);
    expect(
      timeline.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['DecisionProposed', 'DecisionScored', 'ActionApproved']);
  });

  it('verifies a clean trail, and names the record when a stored event has been edited', async () => {
    const decisionId = uniqueName('dec');
    const journey = refundJourney(decisionId);
    await publishJourney(journey);
    await timelineOf(decisionId, 3);

    const clean = await cli('verify');
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toMatch(/^ok: \d+ chains, \d+ records verified/);

    await mongo
      .db()
      .collection<{ eventId: string }>('audit_events')
      .updateOne({ eventId: journey.scored.eventId }, { $set: { 'event.payload.score': 4 } });
    const tampered = await cli('verify');
    const seq = (await timelineOf(decisionId, 3)).find((r) => r.eventId === journey.scored.eventId)!.chain
      .seq;
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(
      `BROKEN: chain ${decisionId}, record ${seq} (event ${journey.scored.eventId}): its content does not match its hash: the event was altered`,
    );
    await mongo
      .db()
      .collection<{ eventId: string }>('audit_events')
      .updateOne({ eventId: journey.scored.eventId }, { $set: { 'event.payload.score': 5 } });
    expect(await cli('verify')).toMatchObject({ code: 0 });
  });

  // Before the next test, which stores records the service never listed.
  it('rebuilds the decision lists from the trail, equal to the ones the service kept', async () => {
    const decisions = { auto: uniqueName('dec'), review: uniqueName('dec'), block: uniqueName('dec') };
    const published: OutgoingEvent[] = [];
    for (const route of ['auto', 'review', 'block'] as const) {
      const decisionId = decisions[route];
      // Ids of their own, not derived from their cause: scoring or routing run by others on a shared dev broker
      // derive the same ids for their own outcome of these proposals, and the trail would keep only one of two.
      const journey = refundJourney(decisionId);
      const [proposed, scored, approved] = [journey.proposed, journey.scored, journey.approved].map(
        (event) => ({
          ...event,
          eventId: randomUUID(),
        }),
      ) as [typeof journey.proposed, typeof journey.scored, typeof journey.approved];
      const { mode: _mode, ...routed } = approved.payload;
      const from = { decisionId, producer: 'routing' };
      published.push(
        { topic: Topic.DecisionProposed, event: proposed },
        { topic: Topic.DecisionScored, event: scored },
        route === 'auto'
          ? { topic: Topic.ActionApproved, event: approved }
          : route === 'block'
            ? {
                topic: Topic.DecisionBlocked,
                event: newEvent('DecisionBlocked', { ...from, payload: routed }),
              }
            : {
                topic: Topic.ReviewRequested,
                event: newEvent('ReviewRequested', {
                  ...from,
                  payload: {
                    ...routed,
                    kind: 'blocking',
                    approvals: 1,
                    eligibleRoles: ['billing-specialist'],
                    excludedApprovers: [routed.proposal.requester.id],
                    dueAt: new Date(Date.now() + 3_600_000).toISOString(),
                    escalation: [],
                    onTimeout: 'reject',
                  },
                }),
              },
      );
    }
    await publisher.publishAll(published);
    // At least these: on a shared dev broker, other pipelines may score and route the same proposals too.
    await eventually(
      async () => {
        const stored = await mongo
          .db()
          .collection('audit_events')
          .countDocuments({ eventId: { $in: published.map(({ event }) => event.eventId) } });
        expect(stored).toBe(published.length);
      },
      { timeoutMs: 90_000 },
    );
    // Stopped, as for a replacement: every batch it listed is then in the trail as well.
    await app!.close();
    app = undefined;
    try {
      const rebuilt = await cli('rebuild-index');
      expect(rebuilt).toMatchObject({ code: 0 });
      const [, into, events, entries] =
        /^rebuilt (audit_index_rebuilt_\d{14}) from the trail: (\d+) events, (\d+) entries in \d+ lists, in [\d.]+ s/.exec(
          rebuilt.stdout,
        ) ?? [];
      expect(Number(events)).toBeGreaterThanOrEqual(9);
      expect(Number(entries)).toBeGreaterThanOrEqual(15);

      const compared = await cli('compare-index', into);
      expect(`${compared.stdout}${compared.stderr}`).toMatch(/^(equal: the|DIFFERENT: \d+ of) \d+ lists of /);
      /** The lists a compare-index output names as differing. */
      const differing = (output: string) =>
        output.split('\n').flatMap((line) => /^ {2}(\S+): /.exec(line)?.[1] ?? []);

      // Each decision is in the lists of every kind it belongs in: by day, function, subject, tier and route.
      const listed = await mongo
        .db()
        .collection<Omit<DecisionIndexEntry, 'at'>>(into)
        .find({ decisionId: { $in: Object.values(decisions) } })
        .toArray();
      const kindsOf = (decisionId: string) =>
        listed
          .filter((entry) => entry.decisionId === decisionId)
          .map(({ list }) =>
            list.startsWith('route/') ? list.split('/').slice(0, 2).join('/') : list.split('/')[0],
          )
          .sort();
      // Every list this suite's decisions are in equals the live one. (On a quiet broker the whole index does; on
      // a shared one, others' scoring of older proposals can derive an event id already used with another tier:
      // the trail keeps the first of the two, the live index lists both.)
      const ours = new Set(listed.map(({ list }) => list));
      expect(differing(compared.stderr).filter((list) => ours.has(list))).toEqual([]);
      for (const route of ['auto', 'review', 'block'] as const) {
        expect(kindsOf(decisions[route])).toEqual(
          expect.arrayContaining(['day', 'function', `route/${route}`, 'subject', 'tier']),
        );
      }

      // A list that differs is named, with where it parts.
      const blocked = listed.find((entry) => entry.list.startsWith('route/block/'))!;
      const last = await mongo.db().collection(into).countDocuments({ list: blocked.list });
      await mongo
        .db()
        .collection<DecisionIndexEntry>(into)
        .insertOne({
          _id: `${blocked.list}#${last + 1}`,
          list: blocked.list,
          seq: last + 1,
          decisionId: 'dec-extra',
          at: new Date(),
        });
      const differs = await cli('compare-index', into);
      expect(differs.code).toBe(1);
      expect(differing(differs.stderr).filter((list) => ours.has(list))).toEqual([blocked.list]);
      expect(differs.stderr).toMatch(
        new RegExp(
          `${blocked.list}: decision \\d+: the live list ends, the rebuilt one goes on with dec-extra`,
        ),
      );

      // Writing over a collection takes --replace; the live one is refused without it.
      expect(await cli('rebuild-index', '--into', into)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`${into} already exists; give --replace`),
      });
      expect(await cli('rebuild-index', '--into', 'audit_index')).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(
          'audit_index is the live index; to replace it, stop the audit service',
        ),
      });
    } finally {
      app = await startAudit();
    }
  });

  it('extends a chain another writer moved on, without a gap or a second copy of any event', async () => {
    const decisionId = uniqueName('dec');
    const { proposed, scored, approved } = refundJourney(decisionId);
    const at = (topic: string) => ({ topic, partition: 0, offset: '0' });
    const model = app!.get<Model<AuditEventRecord>>(getModelToken(AuditEventRecord.name));
    // Two writers with their own remembered heads, as two instances around a rebalance would be.
    const first = new AuditTrailRepository(model);
    const second = new AuditTrailRepository(model);
    await first.append([{ event: proposed, source: at(Topic.DecisionProposed) }]);
    await second.append([{ event: scored, source: at(Topic.DecisionScored) }]);
    // The first still believes the chain ends at seq 1, and also sees a redelivery of what the second wrote.
    expect(
      await first.append([
        { event: scored, source: at(Topic.DecisionScored) },
        { event: approved, source: at(Topic.ActionApproved) },
      ]),
    ).toEqual({ stored: 1, alreadyStored: 1 });

    // The test's own look at the store, through the app's recorded connection: not a path the service takes.
    const records = await model
      .find({ decisionId })
      .sort({ 'chain.seq': 1 })
      .comment('offline:test-inspection')
      .lean();
    expect(records.map((r) => [r._id, r.eventId])).toEqual([
      [`${decisionId}#1`, proposed.eventId],
      [`${decisionId}#2`, scored.eventId],
      [`${decisionId}#3`, approved.eventId],
    ]);
    expect(records[2].chain.prevHash).toBe(records[1].chain.hash);
    expect(await app!.get(AuditQueries).verify()).not.toHaveProperty('broken');
  });

  it('picks up events published while it was down, once restarted', async () => {
    await app!.close();
    app = undefined;
    const decisionId = uniqueName('dec');
    const whileDown = refundJourney(decisionId).proposed;
    await publisher.publish(Topic.DecisionProposed, whileDown);

    app = await startAudit();
    const timeline = await timelineOf(decisionId, 1);
    expect(timeline[0].eventId).toBe(whileDown.eventId);
  });

  it('records control events in their own chains', async () => {
    const scope = `halt/${uniqueName('fn')}`.slice(0, 40);
    const fn = scope.slice('halt/'.length);
    const halt = newEvent('HaltChanged', {
      producer: 'operator',
      correlationId: `halt-${fn}`,
      payload: { scope: fn, halted: true, reason: 'drill', changedBy: 'ops-1' },
    });
    await publisher.publish(Topic.HaltChanged, halt as PlatformEvent<'HaltChanged'>);
    const record = await eventually(async () => {
      const found = await mongo
        .db()
        .collection<{ _id: string; chainKey: string }>('audit_events')
        .findOne({ eventId: halt.eventId });
      expect(found).not.toBeNull();
      return found!;
    });
    expect(record.chainKey).toBe(scope);
    expect(record._id).toMatch(new RegExp(`^${scope}#\\d+$`));
  });
});
