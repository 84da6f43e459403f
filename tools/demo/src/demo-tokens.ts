import fs from 'node:fs';
import { AuthEnvironment, DEMO_PASSWORD, DEMO_USERS, issueToken } from '@oversight/auth';
import { validateEnvironment } from '@oversight/service-config';

/** Signs a token per demo user and writes them as shell variables (`TOKEN_sue=...`) for curl examples. */
export async function writeDemoTokens(file: string, ttl = '12h'): Promise<Record<string, string>> {
  // The same settings, defaults included, that the services verify tokens with.
  const env = validateEnvironment(AuthEnvironment)(process.env);
  const tokens: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    tokens[user.id] = await issueToken(
      { secret: env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
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
    `console    ${apiUrl}/  sign in as any of these people with the password ${DEMO_PASSWORD}:`,
    `people     ${DEMO_USERS.map((u) => `${u.id} (${u.roles.filter((r) => r !== 'reviewer').join(', ')})`).join(', ')}`,
    `tokens     source ${tokensFile}   # then $TOKEN_sue, $TOKEN_fiona, ...`,
    `gateway    ${apiUrl} (API docs at ${apiUrl}/docs); sign in: POST ${apiUrl}/v1/sessions {"user":"sue","password":"${DEMO_PASSWORD}"}`,
    `review     curl -s -H "authorization: Bearer $TOKEN_sue" ${apiUrl}/v1/review-tasks`,
    `           curl -s -X POST -H "authorization: Bearer $TOKEN_sue" ${apiUrl}/v1/review-tasks/<decisionId>/approve`,
  ];
}
