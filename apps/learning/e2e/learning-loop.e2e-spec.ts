import { Consumer, Producer } from 'kafkajs';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import { exampleDecisionProposed, newEvent, PlatformEvent, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, PolicyDocument, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  eventually,
  labelledProposal,
  PlatformProcesses,
  publishReviewAnswer,
  reviewRequestedFor,
  routedUnder,
  testKafka,
  uniqueName,
} from '@oversight/testing';

/**
 * The learning loop on the real broker and store, the learning service and the gateway as processes: a
 * labelled stream in which one function's model starts to be overridden more often moves the metrics, raises
 * one drift alert (which sends the function to review until a person clears it), and turns the threshold
 * suggestion upwards.
 */
describe('learning loop: labels → metrics, drift and threshold suggestions (processes, real broker and store)', () => {
  const platform = new PlatformProcesses(['learning', 'gateway'], { LEARNING_DRIFT_CHECK_MS: '500' });
  // A function of its own, so other suites' history on the shared broker never lands in its windows.
  const fn = uniqueName('billing')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
  const policy: PolicyDocument = {
    ...reference,
    policyId: platform.policyId,
    learning: { targetOverrideRate: 0.05, drift: { tightenRouting: false } },
    functions: {
      [fn]: {
        ...reference.functions['telecom-billing'],
        learning: {
          drift: {
            windowLabels: 20,
            baselineLabels: 40,
            overrideRateIncrease: 0.15,
            psi: 0.25,
            // 12 of 20 overridden against 4 of 40 is p ≈ 8e-5: windows this small, kept small for a short
            // test, cannot reach the default level of 1e-6.
            significance: 0.001,
            tightenRouting: true,
          },
        },
      },
    },
  };
  let producer: Producer;
  let publisher: EventPublisher;
  let driftWatcher: Consumer;
  const driftEvents: PlatformEvent[] = [];
  let supervisorToken: string;

  const tokenOf = (subject: string, roles: string[]) =>
    issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject, roles, kind: 'user' },
      '10m',
    );
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${platform.gatewayUrl}${path}`, {
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  let sequence = 0;
  /**
   * One decision of the model, routed to review or run on its own; returns the reviewer's answer to publish
   * later (a person answers after the routing, never in the same instant).
   */
  async function route(
    modelVersion: string,
    confidence: number,
    answer: 'approve' | 'reject' | 'edit-then-approve' | 'auto',
  ): Promise<() => Promise<void>> {
    const decisionId = `${fn}-${String(++sequence).padStart(4, '0')}`;
    const proposal = labelledProposal(fn, modelVersion, confidence);
    const routed = routedUnder(proposal, platform.policyId, answer === 'auto' ? 'low' : 'medium');
    // Routed ten minutes ago, answered now: reviewers took ten minutes of their hour.
    const routedAt = new Date(Date.now() - 10 * 60_000);
    if (answer === 'auto') {
      await publisher.publish(
        Topic.ActionApproved,
        newEvent('ActionApproved', {
          decisionId,
          producer: 'routing',
          occurredAt: routedAt,
          payload: { ...routed, mode: 'auto' },
        }),
      );
      return async () => undefined;
    }
    await publisher.publish(Topic.ReviewRequested, reviewRequestedFor(decisionId, routed, routedAt));
    return async () => {
      if (answer !== 'edit-then-approve') return publishReviewAnswer(publisher, decisionId, routed, answer);
      const edited = { ...proposal, parameters: { ...proposal.parameters, accountId: 'ACC-CORRECTED' } };
      await publisher.publish(
        Topic.ReviewActivity,
        newEvent('ReviewActivity', {
          decisionId,
          producer: 'escalation',
          payload: {
            act: 'edited',
            actor: { kind: 'user', id: 'bella', roles: ['billing-specialist'] },
            taskVersion: 2,
            status: 'open',
            quorum: { given: 0, required: 1 },
            parameters: edited.parameters,
          },
        }),
      );
      await publishReviewAnswer(publisher, decisionId, routed, 'approve', edited);
    };
  }

  /** Routes the decisions, waits until the learning service has seen them, then publishes the answers. */
  async function decideAll(decisions: Parameters<typeof route>[], routedBefore: number): Promise<void> {
    const answers = [];
    for (const decision of decisions) answers.push(await route(...decision));
    await eventually(
      async () => expect((await metrics()).totals.decisions).toBe(routedBefore + decisions.length),
      {
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    for (const answer of answers) await answer();
  }

  interface Metrics {
    totals: {
      labels: number;
      overrideRate?: number;
      editRate?: number;
      decisions: number;
      auto: number;
      review: number;
      edits: { field: string; count: number }[];
      reviewerLatency: { answered: number; withinSlaShare?: number };
      calibration: { buckets: unknown[] };
      driftAlerts: number;
    };
    series: { labels: number }[];
    byModel: { modelVersion: string; labels: number; overrideRate?: number }[];
  }
  interface Suggestions {
    suggestions: {
      businessFunction: string;
      actionType: string;
      kind: 'confidence' | 'amount';
      current: number;
      suggested: number;
      change: string;
    }[];
  }
  const metrics = () => get<Metrics>(`/v1/oversight/metrics?businessFunction=${fn}&hours=2&bucketMinutes=10`);
  const suggestion = async () =>
    (await get<Suggestions>(`/v1/oversight/threshold-suggestions?businessFunction=${fn}`)).suggestions.find(
      (found) => found.actionType === 'refund' && found.kind === 'confidence',
    );
  const amountSuggestion = async () =>
    (await get<Suggestions>(`/v1/oversight/threshold-suggestions?businessFunction=${fn}`)).suggestions.find(
      (found) => found.actionType === 'refund' && found.kind === 'amount',
    );
  const detectedFor = () => driftEvents.filter((event) => event.type === 'DriftDetected');

  beforeAll(async () => {
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer);
    await new ControlClient(publisher, 'e2e-operator').publishPolicy(policy, 'e2e-operator');
    driftWatcher = kafka.consumer({ groupId: uniqueName('drift-watch') });
    await driftWatcher.connect();
    await driftWatcher.subscribe({ topics: [Topic.Drift, Topic.HaltChanged], fromBeginning: true });
    await driftWatcher.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}') as PlatformEvent;
        const payload = event.payload as { businessFunction?: string; scope?: string };
        if (payload.businessFunction === fn || payload.scope === fn) driftEvents.push(event);
      },
    });
    supervisorToken = await tokenOf('sam', ['supervisor']);
    await platform.start();
  }, 180_000);

  afterAll(async () => {
    await platform.stop();
    await driftWatcher?.disconnect();
    await producer?.disconnect();
    await dropTestDatabase(platform.databaseUri);
  });

  it('moves the metrics, raises one drift alert that tightens routing, and raises the suggested threshold', async () => {
    // The baseline: model v1, reviewed at 0.7 and almost always agreed with (1 in 40 overridden, 2 edited),
    // with confident auto decisions in between (interleaved, so the confidence distribution stays steady).
    const baseline: Parameters<typeof route>[] = [];
    for (let i = 0, reviewed = 0; i < 60; i++) {
      if (i % 3 === 2) baseline.push(['v1', 0.92, 'auto']);
      else {
        reviewed++;
        baseline.push([
          'v1',
          0.7,
          reviewed === 8 ? 'reject' : reviewed % 20 === 4 ? 'edit-then-approve' : 'approve',
        ]);
      }
    }
    await decideAll(baseline, 0);

    const before = await eventually(
      async () => {
        const found = await metrics();
        expect(found.totals.labels).toBe(40);
        expect(found.totals.decisions).toBe(60);
        return found;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(before.totals.overrideRate).toBeCloseTo(1 / 40, 5);
    expect(before.totals.editRate).toBeCloseTo(2 / 40, 5);
    expect(before.totals.edits).toEqual([{ field: 'accountId', count: 2 }]);
    expect(before.totals.reviewerLatency).toMatchObject({ answered: 40, withinSlaShare: 1 });
    expect(before.totals.auto).toBe(20);
    expect(before.totals.review).toBe(40);
    expect(before.series.reduce((sum, point) => sum + point.labels, 0)).toBe(40);
    const suggestedBefore = await eventually(async () => {
      const found = await suggestion();
      expect(found).toBeDefined();
      return found!;
    });
    expect(suggestedBefore.current).toBe(0.8);
    // Agreed with at 0.7: the policy could let such decisions run on their own.
    expect(suggestedBefore.suggested).toBeLessThan(0.8);
    expect(suggestedBefore.change).toMatch(/^lower the confidence threshold for auto/);
    // $12 refunds agreed with and no answers above the $200 band: the amount threshold stays.
    expect(await amountSuggestion()).toMatchObject({ current: 200, suggested: 200 });
    expect(detectedFor()).toHaveLength(0);

    // Model v2 arrives, as sure of itself as v1 was, but people override most of what they review of it.
    const drifting: Parameters<typeof route>[] = [];
    for (let i = 0, reviewed = 0; i < 36; i++) {
      if (i % 3 === 2) drifting.push(['v2', 0.92, 'auto']);
      else drifting.push(['v2', 0.7, reviewed++ % 5 < 3 ? 'reject' : 'approve']);
    }
    await decideAll(drifting, 60);

    const after = await eventually(
      async () => {
        const found = await metrics();
        expect(found.totals.labels).toBe(64);
        return found;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(after.totals.overrideRate!).toBeGreaterThan(before.totals.overrideRate! + 0.15);
    const v2 = after.byModel.find((row) => row.modelVersion === 'v2');
    expect(v2).toMatchObject({ labels: 24 });
    expect(v2!.overrideRate).toBeCloseTo(15 / 24, 5);

    await eventually(() => expect(detectedFor()).toHaveLength(1), { timeoutMs: 60_000, intervalMs: 250 });
    const [alert] = detectedFor() as PlatformEvent<'DriftDetected'>[];
    expect(alert.payload).toMatchObject({
      businessFunction: fn,
      episode: 1,
      tightened: true,
      policyId: platform.policyId,
    });
    expect(alert.payload.reasons.join(' ')).toMatch(/override rate rose/);
    expect(alert.payload.modelVersions).toContain('v2');
    // Tightened: the function's auto decisions go to review (the stop button's event) until a person clears it.
    const halts = await get<{ halts: { scope: string; by: string }[] }>('/v1/halts');
    expect(halts.halts).toContainEqual(expect.objectContaining({ scope: fn, by: 'learning' }));

    const suggestedAfter = await suggestion();
    expect(suggestedAfter!.suggested).toBeGreaterThan(suggestedBefore.suggested);
    expect(suggestedAfter!.change).toMatch(/^raise the confidence threshold for auto/);
    // Overridden at $12: the amount threshold comes down too, to nothing auto by amount.
    expect((await amountSuggestion())!.suggested).toBeLessThan(200);

    // More overrides while the episode is open raise nothing new.
    await decideAll(
      Array.from({ length: 6 }, () => ['v2', 0.7, 'reject'] as Parameters<typeof route>),
      96,
    );
    await eventually(async () => expect((await metrics()).totals.labels).toBe(70), { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(detectedFor()).toHaveLength(1);
    expect((await metrics()).totals.driftAlerts).toBe(1);

    const { episodes } = await get<{
      episodes: { businessFunction: string; episode: number; clearedAt?: string }[];
    }>('/v1/oversight/drift');
    expect(episodes.filter((episode) => episode.businessFunction === fn)).toEqual([
      expect.objectContaining({ episode: 1, tightened: true }),
    ]);
    expect(episodes.find((episode) => episode.businessFunction === fn)?.clearedAt).toBeUndefined();
  });

  it('lets a supervisor clear the episode, which lifts the halt the drift pressed', async () => {
    const clear = (body: unknown) =>
      fetch(`${platform.gatewayUrl}/v1/oversight/drift/${fn}/clear`, {
        method: 'POST',
        headers: { authorization: `Bearer ${supervisorToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const missingReason = await clear({});
    expect(missingReason.status).toBe(400);
    expect(JSON.stringify(await missingReason.json())).toContain('reason');

    const cleared = await clear({ reason: 'v2 rolled back to v1 by the model owners' });
    expect(cleared.status).toBe(202);
    expect(await cleared.json()).toEqual({ businessFunction: fn, episode: 1, cleared: true });
    expect((await clear({ reason: 'again' })).status).toBe(409);

    await eventually(async () => {
      const halts = await get<{ halts: { scope: string }[] }>('/v1/halts');
      expect(halts.halts.map((halt) => halt.scope)).not.toContain(fn);
    });
    const { episodes } = await get<{
      episodes: { businessFunction: string; clearedBy?: string; clearReason?: string }[];
    }>('/v1/oversight/drift');
    expect(episodes.find((episode) => episode.businessFunction === fn)).toMatchObject({
      clearedBy: 'sam',
      clearReason: 'v2 rolled back to v1 by the model owners',
    });
    await eventually(() => expect(driftEvents.map((event) => event.type)).toContain('DriftCleared'));
  });

  it('refuses bad queries with the field and the reason', async () => {
    const response = await fetch(
      `${platform.gatewayUrl}/v1/oversight/metrics?hours=0&businessFunction=Not%20A%20Slug`,
      {
        headers: { authorization: `Bearer ${supervisorToken}` },
      },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: { field: string }[] };
    expect(body.problems.map((problem) => problem.field).sort()).toEqual(['businessFunction', 'hours']);
    const reviewer = await tokenOf('bella', ['reviewer']);
    const forbidden = await fetch(`${platform.gatewayUrl}/v1/oversight/metrics`, {
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(forbidden.status).toBe(403);
  });

  it('applies a suggestion only as a new policy version, refused while it changes a saved case until confirmed', async () => {
    const admin = await tokenOf('root', ['admin', 'sre']);
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${platform.gatewayUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const base = exampleDecisionProposed();
    const saved = await send('PUT', `/v1/regression-suites/${fn}`, {
      description: `what ${fn} does today`,
      cases: [
        {
          name: 'refund $12 at 0.85',
          proposal: {
            ...base,
            businessFunction: fn,
            confidence: 0.85,
            amount: { value: 12, currency: 'USD' },
          },
          expect: { route: 'auto', tier: 'low' },
        },
      ],
    });
    expect(saved.status).toBe(201);

    // The suggestion after the drift: raise the threshold; written into the function's confidence bands.
    const raised = (await suggestion())!;
    expect(raised.suggested).toBeGreaterThan(0.85);
    const next: PolicyDocument = {
      ...policy,
      version: 2,
      functions: {
        [fn]: {
          ...policy.functions[fn],
          defaults: {
            ...policy.functions[fn].defaults,
            confidenceBands: [
              { below: raised.suggested, risk: 25 },
              { below: 0.6, risk: 45 },
            ],
          },
        },
      },
    };
    const refused = await send('POST', '/v1/policies', next);
    expect(refused.status).toBe(409);
    const refusal = (await refused.json()) as { changed: { changed: { case: string }[] }[] };
    expect(refusal.changed.flatMap((run) => run.changed.map((change) => change.case))).toEqual([
      'refund $12 at 0.85',
    ]);

    const confirmed = await send(
      'POST',
      `/v1/policies?confirm=true&reason=${encodeURIComponent(`drift on ${fn}: raise the auto threshold`)}`,
      next,
    );
    expect(confirmed.status).toBe(202);
    // In force: the gateway's suggestions now read the new threshold.
    await eventually(async () => expect((await suggestion())!.current).toBe(raised.suggested), {
      timeoutMs: 30_000,
    });
  });

  it("labels an answer read before its decision's routing once the routing arrives, and a sample's approval as agreement", async () => {
    const other = `${fn}-late`;
    const proposal = labelledProposal(other, exampleDecisionProposed().agent.modelVersion, 0.7);
    const routedAt = new Date(Date.now() - 30 * 60_000);
    const routed = routedUnder(proposal, platform.policyId);
    const reviewed = `${other}-reviewed`;
    // The answer (after an edit of the account) first, as a lagging partition would deliver it.
    await publishReviewAnswer(publisher, reviewed, routed, 'approve', {
      ...proposal,
      parameters: { ...proposal.parameters, accountId: 'ACC-LATE' },
    });
    const lateMetrics = () => get<Metrics>(`/v1/oversight/metrics?businessFunction=${other}&hours=2`);
    // Labelled at once with what is known: agreement, no latency.
    await eventually(
      async () => expect((await lateMetrics()).totals).toMatchObject({ labels: 1, agreementRate: 1 }),
      {
        timeoutMs: 60_000,
      },
    );
    await publisher.publish(Topic.ReviewRequested, reviewRequestedFor(reviewed, routed, routedAt));
    // Then complete: edited, which field, and the reviewer's half hour inside the hour's SLA.
    const completed = await eventually(
      async () => {
        const found = await lateMetrics();
        expect(found.totals).toMatchObject({ labels: 1, editRate: 1 });
        return found;
      },
      { timeoutMs: 60_000 },
    );
    expect(completed.totals.edits).toEqual([{ field: 'accountId', count: 1 }]);
    expect(completed.totals.reviewerLatency).toMatchObject({ answered: 1, withinSlaShare: 1 });

    // A sample of what ran on its own, approved afterwards: the review activity is the only trace.
    const sampled = `${other}-sampled`;
    await publisher.publish(
      Topic.ActionApproved,
      newEvent('ActionApproved', {
        decisionId: sampled,
        producer: 'routing',
        payload: { ...routed, proposal: { ...proposal, confidence: 0.93 }, tier: 'low', mode: 'auto' },
      }),
    );
    await eventually(async () => expect((await lateMetrics()).totals.auto).toBe(1), { timeoutMs: 60_000 });
    await publisher.publish(
      Topic.ReviewActivity,
      newEvent('ReviewActivity', {
        decisionId: sampled,
        producer: 'escalation',
        payload: {
          act: 'approved',
          actor: { kind: 'user', id: 'bella', roles: ['billing-specialist'] },
          taskVersion: 2,
          status: 'approved',
          quorum: { given: 1, required: 1 },
        },
      }),
    );
    await eventually(
      async () =>
        expect((await lateMetrics()).totals).toMatchObject({ labels: 2, agreementRate: 0.5, editRate: 0.5 }),
      { timeoutMs: 60_000 },
    );
  });
});
