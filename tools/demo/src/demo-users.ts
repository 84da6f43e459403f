import fs from 'node:fs';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';

/**
 * People to act on the demo stream as: one or two per review role of the reference policy, a supervisor, an
 * operator and an auditor. Their tokens are signed with the development secret, which every service of the
 * embedded setup verifies with.
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

/** Signs a token per demo user and writes them as shell variables (`TOKEN_sue=...`) for curl examples. */
export async function writeDemoTokens(file: string, ttl = '12h'): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    tokens[user.id] = await issueToken(
      {
        secret: process.env.AUTH_JWT_SECRET || DEVELOPMENT_JWT_SECRET,
        issuer: process.env.AUTH_ISSUER || 'oversight',
        audience: process.env.AUTH_AUDIENCE || 'oversight-api',
      },
      { subject: user.id, roles: user.roles, kind: 'user' },
      ttl,
    );
  }
  const lines = DEMO_USERS.map(
    (user) => `export TOKEN_${user.id}='${tokens[user.id]}'  # ${user.roles.join(', ')}`,
  );
  fs.writeFileSync(file, `# Demo users' tokens (12 h), for: source ${file}\n${lines.join('\n')}\n`, {
    mode: 0o600,
  });
  return tokens;
}

/** What the demo prints so a person can act on the stream. */
export function demoUserLines(tokensFile: string, apiUrl: string): string[] {
  return [
    `people     ${DEMO_USERS.map((u) => `${u.id} (${u.roles.filter((r) => r !== 'reviewer').join(', ')})`).join(', ')}`,
    `tokens     source ${tokensFile}   # then $TOKEN_sue, $TOKEN_fiona, ...`,
    `gateway    ${apiUrl} (API docs at ${apiUrl}/docs)`,
    `review     curl -s -H "authorization: Bearer $TOKEN_sue" ${apiUrl}/v1/review-tasks`,
    `           curl -s -X POST -H "authorization: Bearer $TOKEN_sue" ${apiUrl}/v1/review-tasks/<decisionId>/approve`,
  ];
}
