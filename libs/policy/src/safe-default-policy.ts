import { PolicyDocument } from './policy-document';
import { validatePolicy } from './validate-policy';

/**
 * What the platform applies before any policy has been published, or when the configured one is missing:
 * every action goes to a person, the riskiest are blocked, and silence means no. Nothing runs on its own.
 */
export const SAFE_DEFAULT_POLICY: PolicyDocument = (() => {
  const check = validatePolicy({
    policyId: 'safe-default',
    version: 1,
    description:
      'Built-in fallback: no policy published yet. Everything is reviewed; nothing runs on its own.',
    currency: 'USD',
    tiers: { medium: 30, high: 60, critical: 85 },
    sensitivityRisk: { low: 5, medium: 20, high: 45, critical: 70 },
    reversibilityRisk: { reversible: 0, 'partially-reversible': 10, irreversible: 25 },
    foreignCurrencyRisk: 30,
    missingAmountRisk: 30,
    defaults: {
      sensitivity: 'high',
      confidenceBands: [
        { below: 0.8, risk: 15 },
        { below: 0.5, risk: 30 },
      ],
      routes: { low: 'review', medium: 'review', high: 'review', critical: 'block' },
      review: {
        approvals: 1,
        roles: ['oversight-officer'],
        slaMinutes: 240,
        escalation: [{ afterMinutes: 240, notifyRoles: ['oversight-lead'] }],
        onTimeout: 'reject',
      },
      auditSampleRate: 0,
    },
    authority: { 'oversight-officer': 10_000 },
    functions: {},
  });
  if (!check.ok) throw new Error(`the built-in safe default policy is invalid: ${check.errors.join('; ')}`);
  return check.value;
})();
