import { apiKeySecretMatches, generateApiKey, hashApiKeySecret, parseApiKey } from './api-keys';

describe('API keys', () => {
  it('generates keys that parse back into their parts, never the same twice', () => {
    const first = generateApiKey();
    expect(first.key).toMatch(/^ovk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(first.key)).toEqual({ keyId: first.keyId, secret: first.secret });
    expect(generateApiKey().key).not.toBe(first.key);
  });

  it.each([
    ['empty', ''],
    ['another prefix', `sk_0123456789abcdef_${'a'.repeat(43)}`],
    ['a short key id', `ovk_0123_${'a'.repeat(43)}`],
    ['an upper-case key id', `ovk_0123456789ABCDEF_${'a'.repeat(43)}`],
    ['a short secret', `ovk_0123456789abcdef_${'a'.repeat(20)}`],
    ['a secret with other characters', `ovk_0123456789abcdef_${'a'.repeat(42)}+`],
    ['a bearer token', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ])('does not take %s for a key', (_case, text) => {
    expect(parseApiKey(text)).toBeUndefined();
  });

  it('keeps a secret with underscores and dashes whole (base64url)', () => {
    const secret = `_-${'a'.repeat(41)}`;
    expect(parseApiKey(`ovk_0123456789abcdef_${secret}`)).toEqual({ keyId: '0123456789abcdef', secret });
  });

  it.each([
    ['the same secret', 'the-secret', true],
    ['another secret', 'another-secret', false],
    ['an empty secret', '', false],
  ])('matches the stored hash against %s', (_case, presented, matches) => {
    expect(apiKeySecretMatches(presented, hashApiKeySecret('the-secret'))).toBe(matches);
  });

  it('does not match a damaged stored hash', () => {
    expect(apiKeySecretMatches('the-secret', 'abc')).toBe(false);
  });
});
