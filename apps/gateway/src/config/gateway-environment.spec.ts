import { validateEnvironment } from '@oversight/service-config';
import { GatewayEnvironment } from './gateway-environment';

const validate = validateEnvironment(GatewayEnvironment);
const ownSecret = 'a-production-secret-of-at-least-32-characters';

describe('GatewayEnvironment', () => {
  it.each<[string, Record<string, string>, RegExp | undefined]>([
    ['demo sign-in on by default for the embedded setup', {}, undefined],
    [
      'production with demo sign-in off',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: ownSecret, AUTH_DEMO_SIGN_IN: 'off' },
      undefined,
    ],
    [
      'production with demo sign-in on',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: ownSecret },
      /AUTH_DEMO_SIGN_IN must be off when NODE_ENV=production/,
    ],
    ['demo sign-in neither on nor off', { AUTH_DEMO_SIGN_IN: 'yes' }, /AUTH_DEMO_SIGN_IN must be on or off/],
    [
      'a review service address that is not a URL',
      { ESCALATION_URL: 'escalation' },
      /ESCALATION_URL must be an http\(s\) URL/,
    ],
  ])('%s', (_name, raw, refusal) => {
    if (refusal) expect(() => validate(raw)).toThrow(refusal);
    else expect(() => validate(raw)).not.toThrow();
  });
});
