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
  ])('refuses %s, naming the field', (_name, learning, field) => {
    const check = validatePolicy({ ...JSON.parse(JSON.stringify(reference)), learning });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.join('\n')).toContain(field);
  });
});
