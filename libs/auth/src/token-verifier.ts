import {
  createRemoteJWKSet,
  errors,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
  KeyLike,
  SignJWT,
} from 'jose';
import { ID_PATTERN, ID_RULE } from '@oversight/contracts';
import { AuthenticationError } from './auth-errors';
import { Identity } from './identity';

/** Turns a bearer token into the identity it vouches for, or throws an AuthenticationError saying why not. */
export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
}

export interface TokenAudience {
  /** `iss` every accepted token must carry. */
  issuer: string;
  /** `aud` every accepted token must include. */
  audience: string;
}

/** The embedded default: tokens signed with one shared secret (HS256), e.g. by `issueToken`. */
export interface SecretTokenConfig extends TokenAudience {
  secret: string;
}

/** An OIDC provider: tokens signed with its keys, fetched (and cached) from its JWKS endpoint. */
export interface JwksTokenConfig extends TokenAudience {
  jwksUrl: string;
}

export type TokenVerifierConfig = SecretTokenConfig | JwksTokenConfig;

/** Clock difference between the token's issuer and this process that is forgiven on exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** Asymmetric algorithms only for provider keys, so a public key can never be used as an HMAC secret. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/** Chooses the verifier the configuration asks for: JWKS when a URL is given, the shared secret otherwise. */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  return 'jwksUrl' in config && config.jwksUrl
    ? new JwtTokenVerifier(createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5_000 }), config, {
        algorithms: JWKS_ALGORITHMS,
      })
    : new JwtTokenVerifier(secretKey((config as SecretTokenConfig).secret), config, {
        algorithms: ['HS256'],
      });
}

export class JwtTokenVerifier implements TokenVerifier {
  constructor(
    private readonly key: KeyLike | Uint8Array | JWTVerifyGetKey,
    private readonly expected: TokenAudience,
    private readonly options: Pick<JWTVerifyOptions, 'algorithms'>,
  ) {}

  async verify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      const options: JWTVerifyOptions = {
        ...this.options,
        issuer: this.expected.issuer,
        audience: this.expected.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
      };
      // jose's overloads split a key from a key resolver; both are verified alike.
      payload =
        typeof this.key === 'function'
          ? (await jwtVerify(token, this.key, options)).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      throw describeJoseError(error, this.expected);
    }
    return identityFromClaims(payload);
  }
}

/** The identity a verified token's claims describe: `sub`, `roles`, `kind` and `name`. */
export function identityFromClaims(payload: JWTPayload): Identity {
  const { sub, roles = [], kind = 'user', name } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || !ID_PATTERN.test(sub)) {
    throw new AuthenticationError('invalid-claims', `token claim sub ${ID_RULE}`);
  }
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw new AuthenticationError('invalid-claims', 'token claim roles must be an array of role names');
  }
  if (kind !== 'user' && kind !== 'service') {
    throw new AuthenticationError('invalid-claims', 'token claim kind must be user or service');
  }
  return { subject: sub, roles, kind, ...(typeof name === 'string' ? { name } : {}) };
}

function describeJoseError(error: unknown, expected: TokenAudience): AuthenticationError | unknown {
  if (error instanceof errors.JWTExpired) return new AuthenticationError('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new AuthenticationError('wrong-issuer', `the token was not issued by ${expected.issuer}`);
      case 'aud':
        return new AuthenticationError('wrong-audience', `the token is not meant for ${expected.audience}`);
      case 'nbf':
        return new AuthenticationError('not-yet-valid', 'the token is not valid yet (nbf)');
      default:
        return new AuthenticationError(
          'invalid-claims',
          `token claim ${error.claim}: ${error.reason === 'missing' ? 'missing' : error.message}`,
        );
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new AuthenticationError('bad-signature', 'the token signature is not valid');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthenticationError(
      'bad-signature',
      'the token is signed with an algorithm that is not accepted',
    );
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new AuthenticationError(
      'key-set-unavailable',
      "the identity provider's signing keys are unavailable",
    );
  }
  const code = (error as { code?: string }).code ?? '';
  // jose's generic error is what a JWKS endpoint answering other than 200 gives; the others are the network's.
  if (code === 'ERR_JOSE_GENERIC' || UNREACHABLE.has(code)) {
    return new AuthenticationError(
      'key-set-unavailable',
      "the identity provider's signing keys are unavailable",
    );
  }
  if (error instanceof errors.JOSEError) {
    return new AuthenticationError('malformed-token', 'the bearer token is not a well-formed JWT');
  }
  return error;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export interface IssueTokenConfig extends TokenAudience {
  secret: string;
}

/**
 * Signs a token for the embedded (shared-secret) setup: demo users, operators' scripts and tests. `ttl` is in
 * seconds or a jose time span (`'15m'`, `'8h'`).
 */
export function issueToken(
  config: IssueTokenConfig,
  identity: Identity,
  ttl: number | string,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    roles: identity.roles,
    kind: identity.kind,
    ...(identity.name ? { name: identity.name } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(identity.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(now)
    .setExpirationTime(typeof ttl === 'number' ? now + ttl : ttl)
    .sign(secretKey(config.secret));
}
