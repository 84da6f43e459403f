import fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { resolveActionRule } from './action-rule';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from './reference-policy';
import { parsePolicy, validatePolicy } from './validate-policy';
import { channelsFor } from './notification-policy';

const referenceText = fs.readFileSync(REFERENCE_POLICY_FILE, 'utf8');

/** The reference policy as plain data, with one change applied. */
function policyWith(mutate: (doc: Record<string, any>) => void): Record<string, any> {
  const doc = parse(referenceText);
  mutate(doc);
  return doc;
}

describe('policy validation', () => {
  it('accepts the reference policy', () => {
    const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
    expect(policy).toMatchObject({ policyId: 'reference', version: 1, currency: 'USD' });
    expect(Object.keys(policy.functions)).toEqual(
      expect.arrayContaining([
        'telecom-billing',
        'finance-ap',
        'construction-safety',
        'network-ops',
        'customer-accounts',
      ]),
    );
  });

  it('accepts the same policy written as JSON', () => {
    expect(parsePolicy(JSON.stringify(parse(referenceText)))).toMatchObject({ ok: true });
  });

  it.each([
    [
      'a tier threshold out of order',
      (d: any) => (d.tiers.high = 20),
      'tiers: thresholds must rise: medium (30) < high (20) < critical (85)',
    ],
    [
      'an auto default',
      (d: any) => (d.defaults.routes.low = 'auto'),
      'defaults.routes.low: must not be auto; what the policy does not name goes to people',
    ],
    [
      'incomplete defaults',
      (d: any) => delete d.defaults.review.slaMinutes,
      'defaults.review.slaMinutes: slaMinutes must be an integer number',
    ],
    [
      'an unknown route',
      (d: any) => (d.functions['network-ops'].actions['config-change'].routes.low = 'maybe'),
      'functions.network-ops.actions.config-change.routes.low: low must be one of the following values: auto, review, block',
    ],
    [
      'an unknown tier',
      (d: any) => (d.functions['network-ops'].actions['config-change'].routes.extreme = 'block'),
      'functions.network-ops.actions.config-change.routes.extreme: property extreme should not exist',
    ],
    [
      'a role without authority',
      (d: any) => (d.functions['network-ops'].actions['config-change'].review.roles = ['intern']),
      'functions.network-ops.actions.config-change.review.roles: role intern has no authority limit',
    ],
    [
      'zero approvals',
      (d: any) => (d.functions['contract-management'].actions['contract-amendment'].review.approvals = 0),
      'functions.contract-management.actions.contract-amendment.review.approvals: approvals must not be less than 1',
    ],
    [
      'risk over 100',
      (d: any) => (d.functions['finance-ap'].actions['invoice-posting'].flags[0].risk = 150),
      'functions.finance-ap.actions.invoice-posting.flags.0.risk: risk must not be greater than 100',
    ],
    [
      'a sample rate over 1',
      (d: any) => (d.functions['telecom-billing'].actions.refund.auditSampleRate = 1.5),
      'functions.telecom-billing.actions.refund.auditSampleRate: auditSampleRate must not be greater than 1',
    ],
    [
      'a badly named function',
      (d: any) => (d.functions['Telecom Billing'] = { actions: {} }),
      'functions.Telecom Billing: business function names are lower-case kebab-case',
    ],
    ['an unknown top-level field', (d: any) => (d.owner = 'me'), 'owner: property owner should not exist'],
    [
      'a negative authority',
      (d: any) => (d.authority['ap-clerk'] = -1),
      'authority.ap-clerk: must be a non-negative amount in USD',
    ],
    [
      'an unknown timeout action',
      (d: any) => (d.defaults.review.onTimeout = 'ignore'),
      'defaults.review.onTimeout: onTimeout must be one of the following values: reject, approve',
    ],
    [
      'a senior role outside the review roles',
      (d: any) =>
        (d.functions['contract-management'].actions['contract-amendment'].review.seniorRole = 'ceo'),
      'functions.contract-management.actions.contract-amendment.review.seniorRole: ceo must be one of the review roles (legal-counsel, finance-director)',
    ],
    [
      'approval by silence of an action that moves money',
      (d: any) => (d.functions['finance-ap'].actions['invoice-posting'].review.onTimeout = 'approve'),
      'functions.finance-ap.actions.invoice-posting.review.onTimeout: money is never approved by silence; use reject',
    ],
    [
      'a negative per-action authority',
      (d: any) => (d.functions['telecom-billing'].actions.refund.authority = { 'billing-supervisor': -5 }),
      'functions.telecom-billing.actions.refund.authority.billing-supervisor: must be a non-negative amount in USD',
    ],
    [
      'a notification channel of two kinds',
      (d: any) =>
        (d.notifications = {
          channels: { desk: { webhook: { url: 'http://hooks.local/x' }, email: { to: ['a@example.com'] } } },
          roles: {},
        }),
      'notifications.channels.desk: a channel is exactly one of webhook or email',
    ],
    [
      'a webhook that is not a URL',
      (d: any) => (d.notifications = { channels: { desk: { webhook: { url: 'hooks' } } }, roles: {} }),
      'notifications.channels.desk.webhook.url: url must be an http(s) URL',
    ],
    [
      'a role sent to a channel that does not exist',
      (d: any) => (d.notifications = { channels: {}, roles: { 'billing-specialist': ['desk'] } }),
      'notifications.roles.billing-specialist: no channel named desk',
    ],
  ])('rejects %s, naming the field', (_name, mutate, error) => {
    const result = validatePolicy(policyWith(mutate));
    expect(result).toMatchObject({ ok: false, reason: 'invalid-policy' });
    if (!result.ok) expect(result.errors).toContain(error);
  });

  it('rejects text that is not YAML without throwing', () => {
    expect(parsePolicy('policyId: [unclosed')).toMatchObject({ ok: false, reason: 'not-yaml' });
    expect(parsePolicy('just a string')).toMatchObject({ ok: false, reason: 'invalid-policy' });
  });

  it('reports every problem at once', () => {
    const result = validatePolicy(policyWith((d) => ((d.tiers.high = 20), (d.defaults.routes.low = 'auto'))));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toHaveLength(2);
  });

  it('round-trips through YAML unchanged', () => {
    const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
    expect(parsePolicy(stringify(JSON.parse(JSON.stringify(policy))))).toMatchObject({
      ok: true,
      value: { version: 1 },
    });
  });
});

describe('resolveActionRule', () => {
  const policy = loadPolicyFile(REFERENCE_POLICY_FILE);

  it("layers an action's own settings over its function's defaults over the policy's", () => {
    const rule = resolveActionRule(policy, 'telecom-billing', 'refund');
    expect(rule).toMatchObject({
      policyId: 'reference',
      policyVersion: 1,
      source: 'action',
      sensitivity: 'low', // function defaults
      requiresAmount: true,
      auditSampleRate: 0.05, // the action's own
      routes: { low: 'auto', medium: 'review', high: 'review', critical: 'block' },
      review: {
        approvals: 1,
        roles: ['billing-specialist', 'billing-supervisor'],
        slaMinutes: 60,
        onTimeout: 'reject',
      },
    });
    expect(rule.amountBands).toEqual([
      { from: 50, risk: 20 },
      { from: 200, risk: 40 },
    ]);
    expect(rule.confidenceBands).toEqual([
      { below: 0.8, risk: 25 },
      { below: 0.6, risk: 45 },
    ]);
  });

  it.each([
    ['an unknown function', 'space-mining', 'launch'],
    ['an unknown action of a known function', 'telecom-billing', 'write-off'],
    ['an inherited property name', 'constructor', 'toString'],
  ])('gives %s the conservative policy defaults, never auto', (_name, fn, action) => {
    const rule = resolveActionRule(policy, fn, action);
    expect(rule.source).toBe('policy-defaults');
    expect(rule.sensitivity).toBe('high');
    expect(Object.values(rule.routes)).not.toContain('auto');
    expect(rule.review.roles).toEqual(['oversight-officer']);
  });
});

describe('channelsFor', () => {
  const notifications = {
    channels: {
      desk: { webhook: { url: 'http://hooks.local/desk' } },
      mail: { email: { to: ['billing@example.com'] } },
      audit: { webhook: { url: 'http://hooks.local/audit' } },
    },
    roles: { 'billing-specialist': ['desk', 'mail'], 'billing-supervisor': ['mail'], '*': ['audit'] },
  };

  it.each<[string, string[], string[]]>([
    ['one role', ['billing-specialist'], ['desk', 'mail', 'audit']],
    [
      'two roles sharing a channel, each channel once',
      ['billing-supervisor', 'billing-specialist'],
      ['mail', 'desk', 'audit'],
    ],
    ['a role with no channel of its own', ['network-engineer'], ['audit']],
  ])('reaches %s', (_name, roles, expected) => {
    expect(channelsFor(notifications, roles).map((c) => c.name)).toEqual(expected);
  });

  it('reaches nobody without a notifications section', () => {
    expect(channelsFor(undefined, ['billing-specialist'])).toEqual([]);
  });
});
