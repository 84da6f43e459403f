import { PartyKind, Reversibility } from '@oversight/contracts';
import { DemoMessage } from './demo-stream';
import { RunTally } from './run-tally';

const proposal = {
  agent: { id: 'a', modelId: 'm', modelVersion: '1' },
  businessFunction: 'telecom-billing',
  actionType: 'refund',
  parameters: {},
  confidence: 0.9,
  reversibility: Reversibility.Reversible,
  requester: { kind: PartyKind.Agent, id: 'a' },
  context: { summary: 's' },
};
const decision = (decisionId: string, scenario = 'routine-refund'): DemoMessage => ({
  kind: 'decision',
  seq: 1,
  decisionId,
  scenario,
  proposal,
});
const malformed = (key: string): DemoMessage => ({
  kind: 'malformed',
  seq: 1,
  key,
  scenario: 'not-json',
  value: '{',
});

describe('run tally', () => {
  const groups = new Map([
    ['demo-x-scoring', 'scoring'],
    ['demo-x-audit', 'audit'],
  ]);

  it("counts each of the run's decisions once, by its first outcome, per route and tier", () => {
    const tally = new RunTally(groups);
    tally.sent(decision('d1'));
    tally.sent(decision('d2', 'disputed-charge'));
    tally.sent(decision('d3'));

    expect(tally.outcome({ type: 'ActionApproved', decisionId: 'd1', tier: 'low', mode: 'auto' })).toBe(true);
    expect(tally.outcome({ type: 'ActionApproved', decisionId: 'd1', tier: 'low', mode: 'auto' })).toBe(
      false,
    );
    expect(
      tally.outcome({ type: 'ReviewRequested', decisionId: 'd1', tier: 'low', kind: 'post-hoc-sample' }),
    ).toBe(true);
    expect(
      tally.outcome({ type: 'ReviewRequested', decisionId: 'd2', tier: 'medium', kind: 'blocking' }),
    ).toBe(true);
    // Approved by people later: not how it was routed.
    expect(tally.outcome({ type: 'ActionApproved', decisionId: 'd2', tier: 'medium', mode: 'human' })).toBe(
      false,
    );
    // Someone else's decision on a shared broker.
    expect(tally.outcome({ type: 'DecisionBlocked', decisionId: 'other', tier: 'critical' })).toBe(false);
    tally.scored('d3');

    const s = tally.snapshot();
    expect(s).toMatchObject({ sent: 3, scored: 3, decided: 2, inFlight: 1, postHocSamples: 1 });
    expect(s.routes).toEqual({ auto: 1, review: 1, block: 0 });
    expect(s.tiers.low).toEqual({ auto: 1, review: 0, block: 0 });
    expect(s.tiers.medium).toEqual({ auto: 0, review: 1, block: 0 });
    expect(s.examples).toEqual({
      auto: { decisionId: 'd1', scenario: 'routine-refund' },
      review: { decisionId: 'd2', scenario: 'disputed-charge' },
    });
    expect(s.unexpectedRoutes).toBe(0);
  });

  it('flags decisions routed otherwise than their scenario expects', () => {
    const tally = new RunTally(groups);
    tally.sent(decision('d1'));
    tally.outcome({ type: 'ReviewRequested', decisionId: 'd1', tier: 'low', kind: 'blocking' });
    const row = tally.snapshot().byScenario.find((r) => r.id === 'routine-refund');
    expect(row).toMatchObject({ sent: 1, unexpected: 1, routes: { auto: 0, review: 1, block: 0 } });
  });

  it("counts dead letters of the run's keys written by the demo's groups, once per group", () => {
    const tally = new RunTally(groups);
    tally.sent(malformed('m1'));
    tally.sent(malformed('m2'));
    const letter = (key: string, consumerGroup: string) =>
      tally.deadLetter({ key, reason: 'not-json', consumerGroup });

    expect(letter('m1', 'demo-x-scoring')).toBe(true);
    expect(letter('m1', 'demo-x-scoring')).toBe(false);
    expect(letter('m1', 'demo-x-audit')).toBe(true);
    expect(letter('m1', 'someone-elses-group')).toBe(false);
    expect(letter('unknown', 'demo-x-scoring')).toBe(false);

    expect(tally.snapshot().deadLetters).toEqual({
      total: 2,
      expected: 4,
      malformedCaught: 1,
      byGroup: { scoring: 1, audit: 1 },
      byReason: { 'not-json': 2 },
      ofDecisions: 0,
    });
  });

  it('forgets messages whose send failed', () => {
    const tally = new RunTally(groups);
    const message = decision('d1');
    tally.sent(message);
    tally.unsent(message);
    expect(tally.knows('d1')).toBe(false);
    expect(tally.snapshot().sent).toBe(0);
  });

  it("counts the executors' reports on the run's decisions: carried out, retried, and failed for good", () => {
    const tally = new RunTally(groups);
    for (const id of ['d1', 'd2', 'd3']) tally.sent(decision(id));
    const report = (
      eventId: string,
      decisionId: string,
      type: 'ActionExecuted' | 'ActionFailed',
      willRetry?: boolean,
    ) => tally.execution({ eventId, decisionId, type, willRetry });

    expect(report('e1', 'd1', 'ActionExecuted')).toBe(true);
    // A republished report keeps its eventId and counts once; another run's decision not at all.
    expect(report('e1', 'd1', 'ActionExecuted')).toBe(false);
    expect(report('e9', 'elsewhere', 'ActionExecuted')).toBe(false);
    report('e2', 'd2', 'ActionFailed', true);
    report('e3', 'd2', 'ActionExecuted');
    report('e4', 'd3', 'ActionFailed', true);
    report('e5', 'd3', 'ActionFailed', false);

    expect(tally.snapshot().execution).toEqual({ reports: 5, executed: 2, retried: 2, handedToPeople: 1 });
  });
});
