import fs from 'node:fs';
import { parse } from 'yaml';
import { PolicyDocument } from './policy-document';
import { REFERENCE_POLICY_FILE } from './reference-policy';
import { loadSuiteFile, REFERENCE_SUITE_FILE } from './regression-suite';
import { describeSuiteRun, publishVerdict, recordSuite, runSuite, SuiteRun } from './suite-run';
import { validatePolicy } from './validate-policy';

const policyText = fs.readFileSync(REFERENCE_POLICY_FILE, 'utf8');
const suite = loadSuiteFile(REFERENCE_SUITE_FILE);

/** The reference policy as v2, with one change applied, validated as a publish would. */
function policyWith(mutate: (doc: Record<string, any>) => void = () => undefined): PolicyDocument {
  const doc = parse(policyText);
  doc.version = 2;
  mutate(doc);
  const check = validatePolicy(doc);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return check.value;
}
const refund = (doc: Record<string, any>) => doc.functions['telecom-billing'].actions.refund;

describe('runSuite', () => {
  it('passes the reference suite against the reference policy', () => {
    const run = runSuite(
      suite,
      policyWith((doc) => (doc.version = 1)),
    );
    expect(run).toEqual({
      suite: 'reference',
      policy: { policyId: 'reference', version: 1 },
      cases: suite.cases.length,
      passed: suite.cases.length,
      changed: [],
    });
  });

  it.each<[string, (doc: Record<string, any>) => void, [string, string, string, number][]]>([
    ['an unchanged v2', () => undefined, []],
    [
      'a lower medium threshold',
      (doc) => (doc.tiers.medium = 20),
      [['invoice $800 clean', 'auto/low', 'review/medium', 20]],
    ],
    [
      'a new $10 refund band',
      (doc) => refund(doc).amountBands.unshift({ from: 10, risk: 25 }),
      [
        ['refund $12 high confidence', 'auto/low', 'review/medium', 30],
        ['refund $12 low confidence', 'review/medium', 'review/high', 75],
      ],
    ],
    [
      'critical refunds reviewed instead of blocked',
      (doc) => (refund(doc).routes = { critical: 'review' }),
      [['refund $250 low confidence irreversible', 'block/critical', 'review/critical', 100]],
    ],
    [
      'a supervisor allowed larger disputed credits (block becomes review)',
      (doc) =>
        (doc.functions['telecom-billing'].actions['dispute-credit'].authority['billing-supervisor'] = 10000),
      [['dispute-credit $6000', 'block/medium', 'review/medium', 55]],
    ],
    [
      'medium-tier configuration changes blocked (review becomes block)',
      (doc) => (doc.functions['network-ops'].actions['config-change'].routes.medium = 'block'),
      [['network config-change', 'review/medium', 'block/medium', 45]],
    ],
  ])('against %s, lists exactly the cases that changed', (_name, mutate, expected) => {
    const run = runSuite(suite, policyWith(mutate));
    expect(
      run.changed.map((c) => [
        c.case,
        `${c.expected.route}/${c.expected.tier}`,
        `${c.actual.route}/${c.actual.tier}`,
        c.actual.score,
      ]),
    ).toEqual(expected);
    expect(run.passed).toBe(suite.cases.length - expected.length);
  });

  it('gives the reasons a case now comes out as it does', () => {
    const [changed] = runSuite(
      suite,
      policyWith((doc) => (doc.tiers.medium = 20)),
    ).changed;
    expect(changed.reasons).toEqual([
      'finance-ap/invoice-posting is a medium-sensitivity action (+20)',
      'policy reference v2 routes medium-tier finance-ap/invoice-posting to review',
    ]);
  });
});

describe('describeSuiteRun', () => {
  it.each<[string, (doc: Record<string, any>) => void, string]>([
    ['no change', () => undefined, `suite reference against policy reference v2: all 16 cases unchanged`],
    [
      'two changed cases',
      (doc) => refund(doc).amountBands.unshift({ from: 10, risk: 25 }),
      [
        'suite reference against policy reference v2: 2 of 16 cases changed',
        '- refund $12 high confidence: expected auto/low, now review/medium (score 30)',
        '- refund $12 low confidence: expected review/medium, now review/high (score 75)',
      ].join('\n'),
    ],
  ])('%s', (_name, mutate, text) => {
    expect(describeSuiteRun(runSuite(suite, policyWith(mutate)))).toBe(text);
  });
});

describe('recordSuite', () => {
  it('records what the reference policy does: the shipped expectations', () => {
    expect(recordSuite(suite.cases, policyWith())).toEqual(suite.cases);
  });

  it("snapshots a changed policy's behaviour, which then runs clean against it", () => {
    const stricter = policyWith((doc) => (doc.tiers.medium = 20));
    const recorded = { ...suite, cases: recordSuite(suite.cases, stricter) };
    expect(recorded.cases.find((c) => c.name === 'invoice $800 clean')?.expect).toEqual({
      route: 'review',
      tier: 'medium',
    });
    expect(runSuite(recorded, stricter).changed).toEqual([]);
  });
});

describe('publishVerdict', () => {
  const clean = runSuite(suite, policyWith());
  const changed = runSuite(
    suite,
    policyWith((doc) => (doc.tiers.medium = 20)),
  );
  const confirmation = { by: 'risk-office', reason: 'invoices get a second look this quarter' };

  it.each<[string, SuiteRun[], typeof confirmation | undefined, unknown]>([
    ['no suites', [], undefined, { publish: true, regression: { suites: 0, cases: 0, changed: 0 } }],
    [
      'no change',
      [clean, clean],
      undefined,
      { publish: true, regression: { suites: 2, cases: 32, changed: 0 } },
    ],
    [
      'no change, confirmed anyway (nothing to confirm)',
      [clean],
      confirmation,
      { publish: true, regression: { suites: 1, cases: 16, changed: 0 } },
    ],
    [
      'a change, unconfirmed',
      [clean, changed],
      undefined,
      { publish: false, changedCases: 1, runs: [changed] },
    ],
    [
      'a change, confirmed',
      [clean, changed],
      confirmation,
      {
        publish: true,
        regression: {
          suites: 2,
          cases: 32,
          changed: 1,
          confirmedBy: 'risk-office',
          reason: confirmation.reason,
        },
      },
    ],
  ])('%s', (_name, runs, confirm, verdict) => {
    expect(publishVerdict(runs, confirm)).toEqual(verdict);
  });
});
