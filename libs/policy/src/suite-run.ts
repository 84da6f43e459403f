import { DecisionProposed, RegressionCheck } from '@oversight/contracts';
import { toAppliedRule } from './action-rule';
import { PolicyDocument, Route, Tier } from './policy-document';
import { ExpectedOutcome, RegressionSuite, SuiteCase } from './regression-suite';
import { assessRisk } from './risk-assessment';
import { decideRoute } from './routing-decision';

/** What the policy does with a case now. */
export interface ActualOutcome {
  route: Route;
  tier: Tier;
  score: number;
}

/** A case whose route or tier is not the one the suite expects. */
export interface ChangedCase {
  case: string;
  expected: ExpectedOutcome;
  actual: ActualOutcome;
  /** Why it comes out as it does now: the risk reasons with their points, then the routing reasons. */
  reasons: string[];
}

export interface SuiteRun {
  suite: string;
  policy: { policyId: string; version: number };
  cases: number;
  passed: number;
  changed: ChangedCase[];
}

/**
 * The outcome scoring and routing give a proposal under a policy, with the same functions the services call
 * (assessRisk, then decideRoute on the applied rule), so a suite predicts exactly what would happen. No halt
 * applies: a halt is an operator's lever, not part of the policy.
 */
export function predictOutcome(
  proposal: DecisionProposed,
  policy: PolicyDocument,
): ActualOutcome & { reasons: string[] } {
  const assessment = assessRisk(proposal, policy);
  const outcome = decideRoute({
    // Only the post-hoc sampling draw reads the id, and it never changes the route.
    decisionId: 'regression-suite',
    businessFunction: proposal.businessFunction,
    actionType: proposal.actionType,
    amount: proposal.amount,
    requesterId: proposal.requester.id,
    agentOwnerId: proposal.agent.ownerId,
    subjectId: proposal.subject?.id,
    tier: assessment.tier,
    rule: toAppliedRule(assessment.rule),
  });
  return {
    route: outcome.route,
    tier: assessment.tier,
    score: assessment.score,
    reasons: [
      ...assessment.reasons.map((reason) => `${reason.detail} (+${reason.points})`),
      ...outcome.reasons,
    ],
  };
}

/** Runs every case of a suite against a policy and lists those whose route or tier changed. Pure. */
export function runSuite(suite: RegressionSuite, policy: PolicyDocument): SuiteRun {
  const changed: ChangedCase[] = [];
  for (const suiteCase of suite.cases) {
    const { reasons, ...actual } = predictOutcome(suiteCase.proposal, policy);
    const { expect: expected } = suiteCase;
    if (actual.route !== expected.route || actual.tier !== expected.tier) {
      changed.push({
        case: suiteCase.name,
        expected: { route: expected.route, tier: expected.tier },
        actual,
        reasons,
      });
    }
  }
  return {
    suite: suite.name,
    policy: { policyId: policy.policyId, version: policy.version },
    cases: suite.cases.length,
    passed: suite.cases.length - changed.length,
    changed,
  };
}

/** A human diff of a run: a summary line, then one line per changed case. */
export function describeSuiteRun(run: SuiteRun): string {
  const against = `suite ${run.suite} against policy ${run.policy.policyId} v${run.policy.version}`;
  if (run.changed.length === 0) return `${against}: all ${run.cases} cases unchanged`;
  return [
    `${against}: ${run.changed.length} of ${run.cases} cases changed`,
    ...run.changed.map(
      ({ case: name, expected, actual }) =>
        `- ${name}: expected ${expected.route}/${expected.tier}, now ${actual.route}/${actual.tier} (score ${actual.score})`,
    ),
  ].join('\n');
}

/** Snapshots what a policy does now: each case with `expect` filled in from the policy's outcome. */
export function recordSuite(
  cases: Pick<SuiteCase, 'name' | 'proposal'>[],
  policy: PolicyDocument,
): SuiteCase[] {
  return cases.map(({ name, proposal }) => {
    const { route, tier } = predictOutcome(proposal, policy);
    return { name, proposal, expect: { route, tier } };
  });
}

/** A person's go-ahead to publish a policy that changes saved outcomes. */
export interface Confirmation {
  by: string;
  reason: string;
}

export type PublishVerdict =
  | { publish: true; regression: RegressionCheck }
  | { publish: false; changedCases: number; runs: SuiteRun[] };

/**
 * Whether a policy may be published after its suite runs: yes when no case changed; when some did, only with a
 * person's confirmation, which the published event then records. A refusal carries the runs with changes.
 */
export function publishVerdict(runs: SuiteRun[], confirmation?: Confirmation): PublishVerdict {
  const changed = runs.reduce((sum, run) => sum + run.changed.length, 0);
  const regression: RegressionCheck = {
    suites: runs.length,
    cases: runs.reduce((sum, run) => sum + run.cases, 0),
    changed,
  };
  if (changed === 0) return { publish: true, regression };
  if (!confirmation) {
    return { publish: false, changedCases: changed, runs: runs.filter((run) => run.changed.length > 0) };
  }
  return {
    publish: true,
    regression: { ...regression, confirmedBy: confirmation.by, reason: confirmation.reason },
  };
}
