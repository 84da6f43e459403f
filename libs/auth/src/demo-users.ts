import { timingSafeEqual } from 'node:crypto';

/**
 * The embedded setup's people, for the demo stream and the console's sign-in: one or two per review role of the
 * reference policy, a supervisor, an operator and an auditor. A development identity provider in miniature:
 * they exist only where demo sign-in is on, which production refuses (AUTH_DEMO_SIGN_IN).
 */
export const DEMO_USERS: { id: string; roles: string[]; note: string }[] = [
  { id: 'bella', roles: ['reviewer', 'billing-specialist'], note: 'billing refunds and credits up to 1,000' },
  { id: 'sue', roles: ['reviewer', 'billing-supervisor'], note: 'billing, disputed credits up to 5,000' },
  { id: 'carl', roles: ['reviewer', 'ap-clerk'], note: 'invoices up to 25,000' },
  { id: 'mia', roles: ['reviewer', 'ap-manager'], note: 'invoices up to 250,000' },
  { id: 'lena', roles: ['reviewer', 'legal-counsel'], note: 'contract amendments (with a second approver)' },
  {
    id: 'fiona',
    roles: ['reviewer', 'finance-director'],
    note: 'contract amendments; the senior role for critical ones',
  },
  { id: 'sam', roles: ['reviewer', 'safety-lead'], note: 'stop-work orders' },
  { id: 'nina', roles: ['reviewer', 'network-engineer'], note: 'network changes' },
  { id: 'ada', roles: ['reviewer', 'account-manager'], note: 'account closures' },
  { id: 'otto', roles: ['reviewer', 'oversight-officer'], note: 'what the policy does not name' },
  { id: 'vera', roles: ['supervisor', 'reviewer'], note: 'sees every queue, reassigns and releases claims' },
  { id: 'root', roles: ['admin', 'sre'], note: 'halts, policies, dead letters' },
  { id: 'audrey', roles: ['auditor'], note: 'reads decisions and the audit trail' },
];

/** The one password of every demo user: they are for trying the platform out, not for protecting anything. */
export const DEMO_PASSWORD = 'oversight-demo';

/** The demo user with this id and password, if any (constant-time password check). */
export function demoUserSignIn(id: string, password: string): (typeof DEMO_USERS)[number] | undefined {
  const user = DEMO_USERS.find((u) => u.id === id);
  const given = Buffer.from(password);
  const expected = Buffer.from(DEMO_PASSWORD);
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  return user && matches ? user : undefined;
}
