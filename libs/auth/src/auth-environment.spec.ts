import { validateEnvironment } from '@oversight/service-config';
import { AuthEnvironment, DEVELOPMENT_JWT_SECRET, tokenConfigFrom } from './auth-environment';

const validate = validateEnvironment(AuthEnvironment);
const ownSecret = 's'.repeat(48);

describe('AuthEnvironment', () => {
  it('defaults to the development secret with the platform issuer and audience', () => {
    const env = validate({});
    expect(env).toMatchObject({
      AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
      AUTH_JWKS_URL: '',
      AUTH_ISSUER: 'oversight',
      AUTH_AUDIENCE: 'oversight-api',
    });
    expect(tokenConfigFrom(env)).toEqual({
      secret: DEVELOPMENT_JWT_SECRET,
      issuer: 'oversight',
      audience: 'oversight-api',
    });
  });

  it.each<[string, Record<string, string>]>([
    ['development with the default secret', { NODE_ENV: 'development' }],
    ['production with its own secret', { NODE_ENV: 'production', AUTH_JWT_SECRET: ownSecret }],
    [
      'production with an identity provider',
      { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example.com/jwks' },
    ],
    [
      'a provider on the local network',
      { AUTH_JWKS_URL: 'http://keycloak:8080/realms/ops/protocol/openid-connect/certs' },
    ],
  ])('starts in %s', (_case, raw) => {
    expect(() => validate(raw)).not.toThrow();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'production with the development secret',
      { NODE_ENV: 'production' },
      /AUTH_JWT_SECRET is the development default/,
    ],
    ['a short secret', { AUTH_JWT_SECRET: 'short' }, /AUTH_JWT_SECRET must be at least 32 characters/],
    [
      'a JWKS location that is not a URL',
      { AUTH_JWKS_URL: 'idp/jwks' },
      /AUTH_JWKS_URL must be an http\(s\) URL/,
    ],
  ])('refuses to start in %s', (_case, raw, message) => {
    expect(() => validate(raw)).toThrow(message);
  });

  it('verifies with the key set when AUTH_JWKS_URL is set', () => {
    const env = validate({
      AUTH_JWKS_URL: 'https://idp.example.com/jwks',
      AUTH_ISSUER: 'https://idp.example.com',
    });
    expect(tokenConfigFrom(env)).toEqual({
      jwksUrl: 'https://idp.example.com/jwks',
      issuer: 'https://idp.example.com',
      audience: 'oversight-api',
    });
  });
});
