/**
 * Prints a signed token for the embedded setup: `npm run token -- <user> <role,role,...> [ttl]`, e.g.
 * `npm run token -- sue reviewer,billing-supervisor 8h`. Signed with AUTH_JWT_SECRET (the development default
 * unless set), so it works only against services that share that secret.
 */
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import { ID_PATTERN, SLUG_PATTERN } from '@oversight/contracts';

const [subject, roles = '', ttl = '8h'] = process.argv.slice(2);
const roleList = roles.split(',').filter(Boolean);
if (
  !subject ||
  !ID_PATTERN.test(subject) ||
  roleList.length === 0 ||
  !roleList.every((r) => SLUG_PATTERN.test(r))
) {
  console.error('usage: npm run token -- <user-id> <role,role,...> [ttl, e.g. 8h]');
  process.exit(2);
}
issueToken(
  {
    secret: process.env.AUTH_JWT_SECRET || DEVELOPMENT_JWT_SECRET,
    issuer: process.env.AUTH_ISSUER || 'oversight',
    audience: process.env.AUTH_AUDIENCE || 'oversight-api',
  },
  { subject, roles: roleList, kind: 'user' },
  ttl,
).then((token) => console.log(token));
