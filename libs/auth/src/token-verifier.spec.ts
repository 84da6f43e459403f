import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthenticationError, AuthFailure } from './auth-errors';
import { Identity } from './identity';
import { createTokenVerifier, issueToken, JwtTokenVerifier } from './token-verifier';

const config = {
  secret: 'a-test-secret-that-is-long-enough-for-hs256',
  issuer: 'oversight',
  audience: 'oversight-api',
};
const verifier = createTokenVerifier(config);
const alice: Identity = {
  subject: 'alice',
  roles: ['supervisor', 'legal-counsel'],
  kind: 'user',
  name: 'Alice',
};

const key = (secret = config.secret) => new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

/** A token with the given claims, signed with the test secret unless told otherwise. */
function sign(
  claims: Record<string, unknown>,
  { secret = config.secret, alg = 'HS256', exp = now() + 60 } = {},
) {
  const jwt = new SignJWT({ roles: ['reviewer'], ...claims })
    .setProtectedHeader({ alg })
    .setIssuedAt()
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : config.issuer)
    .setAudience(typeof claims.aud === 'string' ? claims.aud : config.audience);
  if (exp) jwt.setExpirationTime(exp);
  return jwt.sign(key(secret));
}

async function failureOf(
  token: Promise<string> | string,
): Promise<{ failure: AuthFailure; message: string }> {
  try {
    await verifier.verify(await token);
  } catch (error) {
    if (error instanceof AuthenticationError) return { failure: error.failure, message: error.message };
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('token verification (HS256, the embedded setup)', () => {
  it('accepts a token from issueToken and reads the identity from its claims', async () => {
    expect(await verifier.verify(await issueToken(config, alice, 60))).toEqual(alice);
    const service: Identity = { subject: 'crm', roles: ['upstream'], kind: 'service' };
    expect(await verifier.verify(await issueToken(config, service, '5m'))).toEqual(service);
  });

  it('reads a token without roles as a caller with none, and without kind as a user', async () => {
    expect(await verifier.verify(await sign({ sub: 'bob', roles: undefined }))).toEqual({
      subject: 'bob',
      roles: [],
      kind: 'user',
    });
  });

  it.each<[string, () => Promise<string> | string, AuthFailure, RegExp]>([
    ['expired', () => issueToken(config, alice, -60), 'expired', /has expired/],
    [
      'signed with another secret',
      () => sign({ sub: 'alice' }, { secret: 'x'.repeat(40) }),
      'bad-signature',
      /signature/,
    ],
    [
      'signed with a disallowed algorithm',
      () => sign({ sub: 'alice' }, { alg: 'HS512' }),
      'bad-signature',
      /algorithm/,
    ],
    [
      'from another issuer',
      () => sign({ sub: 'alice', iss: 'someone-else' }),
      'wrong-issuer',
      /not issued by oversight/,
    ],
    [
      'for another audience',
      () => sign({ sub: 'alice', aud: 'billing-api' }),
      'wrong-audience',
      /not meant for oversight-api/,
    ],
    ['not valid yet', () => sign({ sub: 'alice', nbf: now() + 600 }), 'not-yet-valid', /not valid yet/],
    ['without a subject', () => sign({}), 'invalid-claims', /sub: missing/],
    ['without an expiry', () => sign({ sub: 'alice' }, { exp: 0 }), 'invalid-claims', /exp: missing/],
    [
      'with a subject that is not a platform id',
      () => sign({ sub: 'alice smith' }),
      'invalid-claims',
      /sub must be/,
    ],
    [
      'with roles that are not a list',
      () => sign({ sub: 'alice', roles: 'admin' }),
      'invalid-claims',
      /roles must be an array/,
    ],
    [
      'with an unknown kind',
      () => sign({ sub: 'alice', kind: 'robot' }),
      'invalid-claims',
      /kind must be user or service/,
    ],
    ['not a JWT at all', () => 'not-a-token', 'malformed-token', /not a well-formed JWT/],
    [
      'unsigned (alg none)',
      () => 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.',
      'bad-signature',
      /algorithm that is not accepted/,
    ],
  ])('refuses a token %s', async (_case, token, failure, message) => {
    const result = await failureOf(token());
    expect(result.failure).toBe(failure);
    expect(result.message).toMatch(message);
  });
});

describe('token verification with an identity provider key set', () => {
  it('accepts tokens signed with a key of the set, refuses HMAC tokens and keys outside it', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
    const provider = new JwtTokenVerifier(jwks, config, { algorithms: ['RS256'] });
    const rs = (signingKey: typeof privateKey) =>
      new SignJWT({ roles: ['auditor'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('carol')
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setExpirationTime('1m')
        .sign(signingKey);

    expect(await provider.verify(await rs(privateKey))).toEqual({
      subject: 'carol',
      roles: ['auditor'],
      kind: 'user',
    });
    await expect(provider.verify(await rs(other.privateKey))).rejects.toMatchObject({
      failure: 'bad-signature',
    });
    await expect(provider.verify(await issueToken(config, alice, 60))).rejects.toMatchObject({
      failure: 'bad-signature',
    });
  });
});
