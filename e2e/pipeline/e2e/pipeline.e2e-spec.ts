import { Kafka, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  DecisionProposed,
  exampleDecisionProposed,
  newEvent,
  PlatformEvent,
  Reversibility,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher, readDeadLetter } from '@oversight/messaging';
import { loadPolicyFile, PolicyDocument, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  eventually,
  ServiceProcess,
  testDatabaseUri,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@oversight/testing';

/**
 * The decision pipeline end to end: scoring, routing and audit run as their own processes on the real broker
 * and store, driven only through Kafka, as upstream agents and operators would.
 */
describe('decision pipeline (scoring → routing → audit, as processes)', () => {
  const runId = uniqueName('run');
  const policyId = uniqueName('ref');
  const databaseUri = testDatabaseUri('pipeline');
  const env = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    MONGODB_URI: databaseUri,
    POLICY_ID: policyId,
    SCORING_CONSUMER_GROUP: `scoring-${runId}`,
    ROUTING_CONSUMER_GROUP: `routing-${runId}`,
    AUDIT_CONSUMER_GROUP: `audit-${runId}`,
    LOG_LEVEL: 'log',
  };
  const services = {
    scoring: new ServiceProcess('scoring', env),
    routing: new ServiceProcess('routing', env),
    audit: new ServiceProcess('audit', env),
  };
  const referencePolicy = { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId };

  let kafka: Kafka;
  let producer: Producer;
  let rawProducer: Producer;
  let publisher: EventPublisher;
  let control: ControlClient;
  let mongo: MongoClient;
  const recorders: Record<string, TopicRecorder> = {};

  const propose = async (fields: Partial<DecisionProposed>, decisionId = uniqueName('dec')) => {
    const event = newEvent('DecisionProposed', {
      decisionId,
      producer: 'e2e-agent',
      payload: exampleDecisionProposed(fields),
    });
    await publisher.publish(Topic.DecisionProposed, event);
    return event;
  };

  /** Every event on `topic` for the decision, parsed. */
  const eventsFor = (topic: string, decisionId: string) =>
    recorders[topic].withKey(decisionId).map((m) => JSON.parse(m.message.value!.toString()) as PlatformEvent);

  /** Waits until the decision has an outcome, and returns which topic it came out on and the event. */
  const outcomeOf = (decisionId: string) =>
    eventually(
      () => {
        for (const topic of [Topic.ActionApproved, Topic.ReviewRequested, Topic.DecisionBlocked]) {
          // A post-hoc sample accompanies an approval; it is not an outcome of its own.
          const [event] = eventsFor(topic, decisionId).filter(
            (e) => !(e.type === 'ReviewRequested' && e.payload.kind === 'post-hoc-sample'),
          );
          if (event) return { topic, event };
        }
        throw new Error(`no outcome yet for ${decisionId}`);
      },
      { timeoutMs: 45_000 },
    );

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    rawProducer = kafka.producer();
    await Promise.all([producer.connect(), rawProducer.connect()]);
    publisher = new EventPublisher(producer);
    control = new ControlClient(publisher, 'e2e-operator');
    // A halt left behind by an interrupted earlier run must not change this run's routes.
    await control.resume('telecom-billing', 'e2e start', 'e2e-operator');
    await control.resume('*', 'e2e start', 'e2e-operator');
    await control.publishPolicy(referencePolicy, 'e2e-operator');
    for (const topic of [
      Topic.DecisionScored,
      Topic.ActionApproved,
      Topic.ReviewRequested,
      Topic.DecisionBlocked,
      Topic.DeadLetter,
    ]) {
      recorders[topic] = await new TopicRecorder(kafka, topic).start();
    }
    mongo = new MongoClient(databaseUri);
    await mongo.connect();
    await Promise.all(Object.values(services).map((service) => service.start()));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((service) => service.stop()));
    await Promise.all(Object.values(recorders).map((recorder) => recorder.stop()));
    await Promise.all([producer?.disconnect(), rawProducer?.disconnect(), mongo?.close()]);
    await dropTestDatabase(databaseUri);
  });

  const usd = (value: number) => ({ value, currency: 'USD' });
  it.each<
    [string, Partial<DecisionProposed>, string, string, number, string[], string[] | null, number | null]
  >([
    [
      'a $12 refund runs on its own',
      { amount: usd(12) },
      Topic.ActionApproved,
      'low',
      5,
      ['sensitivity'],
      null,
      null,
    ],
    [
      'a disputed $150 charge waits for a person',
      { actionType: 'dispute-credit', amount: usd(150) },
      Topic.ReviewRequested,
      'medium',
      35,
      ['sensitivity', 'amount'],
      ['billing-specialist', 'billing-supervisor'],
      1,
    ],
    [
      'an invoice with a price mismatch goes to the AP queue',
      {
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(800),
        parameters: { priceMismatch: true },
      },
      Topic.ReviewRequested,
      'high',
      60,
      ['sensitivity', 'parameter-flag'],
      ['ap-clerk', 'ap-manager'],
      1,
    ],
    [
      'an invoice with no goods receipt goes to the AP queue',
      {
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(800),
        parameters: { receiptMissing: true },
      },
      Topic.ReviewRequested,
      'high',
      60,
      ['sensitivity', 'parameter-flag'],
      ['ap-clerk', 'ap-manager'],
      1,
    ],
    [
      'a safety non-compliance stop-work needs a safety lead',
      {
        businessFunction: 'construction-safety',
        actionType: 'stop-work',
        amount: undefined,
        reversibility: Reversibility.PartiallyReversible,
      },
      Topic.ReviewRequested,
      'medium',
      55,
      ['sensitivity', 'reversibility'],
      ['safety-lead'],
      1,
    ],
    [
      'a network configuration change is reviewed',
      { businessFunction: 'network-ops', actionType: 'config-change', amount: undefined },
      Topic.ReviewRequested,
      'medium',
      45,
      ['sensitivity'],
      ['network-engineer'],
      1,
    ],
    [
      'an account closure is reviewed',
      {
        businessFunction: 'customer-accounts',
        actionType: 'account-closure',
        amount: undefined,
        reversibility: Reversibility.Irreversible,
      },
      Topic.ReviewRequested,
      'high',
      70,
      ['sensitivity', 'reversibility'],
      ['account-manager'],
      1,
    ],
    [
      'a $1.2M contract amendment needs two distinct qualified approvers',
      {
        businessFunction: 'contract-management',
        actionType: 'contract-amendment',
        amount: usd(1_200_000),
        reversibility: Reversibility.PartiallyReversible,
      },
      Topic.ReviewRequested,
      'high',
      75,
      ['sensitivity', 'amount', 'reversibility'],
      ['legal-counsel', 'finance-director'],
      2,
    ],
    [
      'an unknown function is reviewed, never auto',
      { businessFunction: 'space-mining', actionType: 'launch', amount: undefined },
      Topic.ReviewRequested,
      'medium',
      45,
      ['unnamed-action', 'sensitivity'],
      ['oversight-officer'],
      1,
    ],
    [
      'a critical refund is blocked',
      { amount: usd(500), confidence: 0.1, reversibility: Reversibility.Irreversible },
      Topic.DecisionBlocked,
      'critical',
      100,
      ['sensitivity', 'amount', 'low-confidence', 'reversibility'],
      null,
      null,
    ],
  ])('%s', async (_name, fields, topic, tier, score, codes, roles, approvals) => {
    const proposed = await propose(fields);
    const outcome = await outcomeOf(proposed.decisionId);
    expect(outcome.topic).toBe(topic);
    const payload = outcome.event.payload as Record<string, any>;
    expect(payload).toMatchObject({ tier, score, policy: { policyId, policyVersion: 1 } });
    expect(payload.riskReasons.map((r: { code: string }) => r.code)).toEqual(codes);
    if (roles) expect(payload).toMatchObject({ kind: 'blocking', eligibleRoles: roles, approvals });

    // The audit trail holds the whole timeline, each event caused by the one before. An auto decision drawn for
    // after-the-fact sampling also has a post-hoc ReviewRequested beside its ActionApproved, caused by the same
    // DecisionScored on another topic, so the two may be stored in either order; it is left out here.
    const timeline = await eventually(async () => {
      const records = await mongo
        .db()
        .collection('audit_events')
        .find({ decisionId: proposed.decisionId, 'event.payload.kind': { $ne: 'post-hoc-sample' } })
        .sort({ occurredAt: 1 })
        .toArray();
      expect(records.length).toBeGreaterThanOrEqual(3);
      return records;
    });
    expect(timeline.map((r) => r.type).slice(0, 3)).toEqual([
      'DecisionProposed',
      'DecisionScored',
      outcome.event.type,
    ]);
    expect(timeline[1].event.causationId).toBe(timeline[0].eventId);
    expect(timeline[2].event.causationId).toBe(timeline[1].eventId);
  });

  it('sends auto-approvable decisions to review while their function is halted, and resumes on request', async () => {
    await control.halt('telecom-billing', 'suspected refund fraud', 'e2e-operator');
    try {
      const duringHalt = await eventually(async () => {
        const proposed = await propose({ amount: usd(12) });
        const outcome = await outcomeOf(proposed.decisionId);
        expect(outcome.topic).toBe(Topic.ReviewRequested);
        return outcome;
      });
      expect((duringHalt.event.payload as { routingReasons: string[] }).routingReasons).toContain(
        'auto-execution is halted (telecom-billing): suspected refund fraud',
      );
    } finally {
      await control.resume('telecom-billing', 'investigation closed', 'e2e-operator');
    }
    await eventually(async () => {
      const proposed = await propose({ amount: usd(12) });
      expect((await outcomeOf(proposed.decisionId)).topic).toBe(Topic.ActionApproved);
    });
  });

  it('routes the first decision after a halt command to review within one second of the command', async () => {
    // A steady stream of $12 refunds (auto when nothing is halted), one every 20 ms, before and after the halt.
    const sent: string[] = [];
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        sent.push((await propose({ amount: usd(12) })).decisionId);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const haltedAt = Date.now();
    await control.halt('telecom-billing', 'halt latency check', 'e2e-operator');
    try {
      const firstReview = await eventually(
        () => {
          const routedToReview = sent
            .flatMap((decisionId) => eventsFor(Topic.ReviewRequested, decisionId))
            .filter((event) =>
              (event.payload as { routingReasons: string[] }).routingReasons.some((reason) =>
                reason.includes('halt latency check'),
              ),
            )
            .map((event) => Date.parse(event.occurredAt));
          if (!routedToReview.length) throw new Error('no decision routed to review by the halt yet');
          return Math.min(...routedToReview);
        },
        { timeoutMs: 30_000 },
      );
      const latencyMs = firstReview - haltedAt;
      console.log(`halt command → first telecom-billing decision routed to review: ${latencyMs} ms`);
      expect(latencyMs).toBeLessThan(1_000);
    } finally {
      streaming = false;
      await stream;
      await control.resume('telecom-billing', 'halt latency check done', 'e2e-operator');
    }
  });

  it('picks up a newly published policy version without a restart and records which version decided', async () => {
    const stricter: PolicyDocument = JSON.parse(JSON.stringify({ ...referencePolicy, version: 2 }));
    stricter.functions['telecom-billing'].actions.refund.routes = { low: 'review' };
    await control.publishPolicy(stricter, 'e2e-operator');
    await eventually(async () => {
      const proposed = await propose({ amount: usd(12) });
      const outcome = await outcomeOf(proposed.decisionId);
      expect(outcome.topic).toBe(Topic.ReviewRequested);
      expect(outcome.event.payload).toMatchObject({ policy: { policyId, policyVersion: 2 } });
    });
    await control.publishPolicy({ ...referencePolicy, version: 3 }, 'e2e-operator');
  });

  it('yields exactly one ActionApproved per decision when routing is killed mid-stream, and ignores duplicates', async () => {
    await eventually(async () => {
      const proposed = await propose({ amount: usd(12) });
      expect((await outcomeOf(proposed.decisionId)).event.payload).toMatchObject({
        policy: { policyVersion: 3 },
      });
    });
    const decisions = Array.from({ length: 1000 }, () => uniqueName('dec'));
    const duplicate = decisions[0];
    const batch = decisions.map((decisionId) =>
      newEvent('DecisionProposed', {
        decisionId,
        producer: 'e2e-agent',
        payload: exampleDecisionProposed({ amount: usd(12) }),
      }),
    );
    // The same decision proposed twice by a retrying agent: another event, the same decisionId.
    batch.push(
      newEvent('DecisionProposed', {
        decisionId: duplicate,
        producer: 'e2e-agent',
        payload: exampleDecisionProposed({ amount: usd(12) }),
      }),
    );
    // Enough that routing is killed mid-stream; in produce requests well under the broker's 1 MiB.
    for (let at = 0; at < batch.length; at += 200) {
      await publisher.publish(Topic.DecisionProposed, ...batch.slice(at, at + 200));
    }

    const approvedSoFar = () =>
      decisions.filter((id) => eventsFor(Topic.ActionApproved, id).length > 0).length;
    await eventually(() => expect(approvedSoFar()).toBeGreaterThan(0), { timeoutMs: 45_000 });
    await services.routing.stop('SIGKILL');
    // Routed just before the kill: their claims were most likely still in memory, not yet in the ledger.
    const routedBeforeKill = decisions.filter((id) => eventsFor(Topic.ActionApproved, id).length > 0);
    console.log(`routing killed with ${routedBeforeKill.length} of ${decisions.length} decisions approved`);
    await services.routing.start();

    await eventually(() => expect(approvedSoFar()).toBe(decisions.length), { timeoutMs: 60_000 });
    // Proposed again after the restart: the claims the kill lost are rebuilt by the replay, so none is routed.
    const again = routedBeforeKill.slice(-50);
    await publisher.publish(
      Topic.DecisionProposed,
      ...again.map((decisionId) =>
        newEvent('DecisionProposed', {
          decisionId,
          producer: 'e2e-agent',
          payload: exampleDecisionProposed({ amount: usd(12) }),
        }),
      ),
    );
    const ignored = () => services.routing.output.split('duplicate decision ignored').length - 1;
    // Each re-proposal, and the duplicate in the first stream, is logged once.
    await eventually(() => expect(ignored()).toBeGreaterThanOrEqual(again.length + 1), { timeoutMs: 30_000 });
    for (const decisionId of decisions) {
      const ids = new Set(eventsFor(Topic.ActionApproved, decisionId).map((e) => e.eventId));
      expect(ids.size).toBe(1);
    }
    // Both proposals of the duplicated decision were scored; only the first was routed.
    expect(eventsFor(Topic.DecisionScored, duplicate).length).toBeGreaterThanOrEqual(2);
    // This suite's recorder may read the second scoring a moment after routing did.
    await eventually(() => {
      for (const decisionId of again) {
        expect(eventsFor(Topic.DecisionScored, decisionId).length).toBeGreaterThanOrEqual(2);
      }
    });
  });

  it('publishes nothing a consumer sees when routing is killed inside an open transaction, then routes once', async () => {
    // Every transaction of this routing stays open for 3 s before it commits: the window to kill it in.
    const slowRouting = new ServiceProcess('routing', { ...env, ROUTING_COMMIT_DELAY_MS: '3000' });
    const uncommitted = await new TopicRecorder(kafka, Topic.ActionApproved, {
      readUncommitted: true,
    }).start();
    try {
      await services.routing.stop();
      await slowRouting.start();
      const proposed = await propose({ amount: usd(12) });
      // Sent inside the open transaction: visible to a read-uncommitted reader only.
      const [inFlight] = await eventually(
        () => {
          const seen = uncommitted.withKey(proposed.decisionId);
          expect(seen).toHaveLength(1);
          return seen;
        },
        // The group first waits out the session of any member killed earlier (30 s).
        { timeoutMs: 90_000 },
      );
      expect(eventsFor(Topic.ActionApproved, proposed.decisionId)).toHaveLength(0);
      await slowRouting.stop('SIGKILL');

      await services.routing.start();
      // Again the killed member's session runs out first; the new owner's producer then aborts its transaction.
      const { event } = await eventually(() => outcomeOf(proposed.decisionId), { timeoutMs: 90_000 });
      expect(event.eventId).toBe(JSON.parse(inFlight.message.value!.toString()).eventId);
      // The killed attempt was aborted: committed readers see one approval; only the careless reader saw two.
      await eventually(() => expect(uncommitted.withKey(proposed.decisionId)).toHaveLength(2));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(eventsFor(Topic.ActionApproved, proposed.decisionId)).toHaveLength(1);
    } finally {
      await slowRouting.stop('SIGKILL').catch(() => undefined);
      await uncommitted.stop();
      if (!services.routing.running) await services.routing.start();
    }
  }, 240_000);

  it('dead-letters malformed input with its reason and keeps the pipeline flowing', async () => {
    const key = uniqueName('dec');
    const [sent] = await rawProducer.send({
      topic: Topic.DecisionProposed,
      messages: [{ key, value: JSON.stringify({ ...exampleDecisionProposed(), $where: 'sleep(1)' }) }],
    });
    const after = await propose({ amount: usd(12) });
    expect((await outcomeOf(after.decisionId)).topic).toBe(Topic.ActionApproved);
    const letters = await eventually(() => {
      const found = recorders[Topic.DeadLetter]
        .withKey(key)
        .map((m) => readDeadLetter(m.message))
        .filter((l) => l.consumerGroup === env.SCORING_CONSUMER_GROUP);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letters[0]).toMatchObject({
      reason: 'unsafe-structure',
      source: { topic: Topic.DecisionProposed, offset: sent.baseOffset },
    });
  });
});
