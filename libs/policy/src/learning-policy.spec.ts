import { REFERENCE_POLICY_FILE, loadPolicyFile } from './reference-policy';
import { LEARNING_DEFAULTS, resolveLearningPolicy } from './learning-policy';
import { validatePolicy } from './validate-policy';

const reference = loadPolicyFile(REFERENCE_POLICY_FILE);

describe('resolveLearningPolicy', () => {
  it.each<
    [string, Parameters<typeof resolveLearningPolicy>[0], string, ReturnType<typeof resolveLearningPolicy>]
  >([
    ['a policy without a learning section', { functions: {} }, 'telecom-billing', LEARNING_DEFAULTS],
    [
      'the policy-wide target',
      { learning: { targetOverrideRate: 0.02 }, functions: {} },
      'telecom-billing',
      { ...LEARNING_DEFAULTS, targetOverrideRate: 0.02 },
    ],
    [
      "a function's bounds over the policy's",
      {
        learning: { drift: { windowLabels: 30, psi: 0.2 } },
        functions: { 'telecom-billing': { learning: { drift: { psi: 0.1, tightenRouting: true } } } },
      },
      'telecom-billing',
      {
        ...LEARNING_DEFAULTS,
        drift: { ...LEARNING_DEFAULTS.drift, windowLabels: 30, psi: 0.1, tightenRouting: true },
      },
    ],
    [
      'another function keeps the policy-wide bounds',
      {
        learning: { drift: { windowLabels: 30 } },
        functions: { 'telecom-billing': { learning: { drift: { tightenRouting: true } } } },
      },
      'finance-ap',
      { ...LEARNING_DEFAULTS, drift: { ...LEARNING_DEFAULTS.drift, windowLabels: 30 } },
    ],
  ])('resolves %s', (_name, policy, businessFunction, expected) => {
    expect(resolveLearningPolicy(policy, businessFunction)).toEqual(expected);
  });

  it('reads the reference policy: billing tightens routing on drift, others only alert', () => {
    expect(resolveLearningPolicy(reference, 'telecom-billing').drift.tightenRouting).toBe(true);
    expect(resolveLearningPolicy(reference, 'finance-ap').drift.tightenRouting).toBe(false);
    expect(resolveLearningPolicy(reference, 'finance-ap').targetOverrideRate).toBe(0.05);
  });

  it.each<[string, unknown, string]>([
    ['a target above 1', { targetOverrideRate: 1.5 }, 'learning.targetOverrideRate'],
    ['a window of 3 labels', { drift: { windowLabels: 3 } }, 'learning.drift.windowLabels'],
    ['tighten given as text', { drift: { tightenRouting: 'yes' } }, 'learning.drift.tightenRouting'],
    [
      'a significance of 0.05',
      { drift: { significance: 0.05 } },
      'learning.drift.significance: significance must be at most 0.01: the check runs every round, so its level is per check',
    ],
    [
      'a significance of 0',
      { drift: { significance: 0 } },
      'learning.drift.significance: significance must be a probability of at least 1e-12',
    ],
    ['a significance given as text', { drift: { significance: 'high' } }, 'learning.drift.significance'],
    ['a minimum of 5 labels', { drift: { minLabels: 5 } }, 'learning.drift.minLabels'],
    ['a minimum of 150.5 decisions', { drift: { minDecisions: 150.5 } }, 'learning.drift.minDecisions'],
  ])('refuses %s, naming the field', (_name, learning, field) => {
    const check = validatePolicy({ ...JSON.parse(JSON.stringify(reference)), learning });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.join('\n')).toContain(field);
  });

  it('refuses a bad drift bound in a function, naming the function', () => {
    const policy = JSON.parse(JSON.stringify(reference));
    policy.functions['telecom-billing'].learning = { drift: { significance: 0.2 } };
    const check = validatePolicy(policy);
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.errors).toContainEqual(
        expect.stringMatching(/^functions\.telecom-billing\.learning\.drift\.significance: /),
      );
  });

  it('holds the reference policy to a per-check significance of one in a million, with the minimum windows', () => {
    expect(resolveLearningPolicy(reference, 'telecom-billing').drift).toMatchObject({
      windowLabels: 50,
      baselineLabels: 200,
      significance: 1e-6,
      minLabels: 20,
      minDecisions: 200,
    });
  });
});
