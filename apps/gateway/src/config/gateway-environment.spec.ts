import { validateEnvironment } from '@oversight/service-config';
import { GatewayEnvironment } from './gateway-environment';

const validate = validateEnvironment(GatewayEnvironment);
const ownSecret = 'a-production-secret-of-at-least-32-characters';

describe('GatewayEnvironment', () => {
  it.each<[string, Record<string, string>, RegExp | undefined]>([
    ['demo sign-in off by default', {}, undefined],
    ['demo sign-in on when the embedded setup asks', { AUTH_DEMO_SIGN_IN: 'on' }, undefined],
    [
      'production with demo sign-in off',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: ownSecret, AUTH_DEMO_SIGN_IN: 'off' },
      undefined,
    ],
    [
      'production with demo sign-in on',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: ownSecret, AUTH_DEMO_SIGN_IN: 'on' },
      /AUTH_DEMO_SIGN_IN must be off when NODE_ENV=production/,
    ],
    ['demo sign-in neither on nor off', { AUTH_DEMO_SIGN_IN: 'yes' }, /AUTH_DEMO_SIGN_IN must be on or off/],
    [
      'a review service address that is not a URL',
      { ESCALATION_URL: 'escalation' },
      /ESCALATION_URL must be an http\(s\) URL/,
    ],
    [
      'a Prometheus address that is not a URL',
      { PROMETHEUS_URL: 'prometheus:9490' },
      /PROMETHEUS_URL must be an http\(s\) URL/,
    ],
    ['a rate limit of zero', { RATE_LIMIT_PER_USER: '0' }, /RATE_LIMIT_PER_USER must not be less than 1/],
    ['CORS open to any origin', { CORS_ORIGINS: '*' }, /CORS_ORIGINS must be empty or comma-separated/],
    ['CORS for two origins', { CORS_ORIGINS: 'https://ops.example.com,http://127.0.0.1:5173' }, undefined],
    ['a proxy setting that is no number', { GATEWAY_TRUST_PROXY: 'yes' }, /GATEWAY_TRUST_PROXY must be off/],
  ])('%s', (_name, raw, refusal) => {
    if (refusal) expect(() => validate(raw)).toThrow(refusal);
    else expect(() => validate(raw)).not.toThrow();
  });

  it('turns demo sign-in off whatever NODE_ENV says, unless asked', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(validate({ NODE_ENV, AUTH_JWT_SECRET: ownSecret }).AUTH_DEMO_SIGN_IN).toBe('off');
    }
  });
});
