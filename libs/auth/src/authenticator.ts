import { AuthenticationError } from './auth-errors';
import { Identity } from './identity';
import { TokenVerifier } from './token-verifier';

/** What a request presents: the headers the platform reads credentials from. */
export interface CredentialHeaders {
  authorization?: string | string[];
  'x-api-key'?: string | string[];
}

/** Where API keys are checked; the store, or a stand-in in unit tests. */
export interface ApiKeyAuthenticator {
  authenticate(key: string): Promise<Identity>;
}

export const API_KEY_HEADER = 'X-Api-Key';

/**
 * Establishes who is calling from `Authorization: Bearer <jwt>` or `X-Api-Key: <key>` (exactly one of them),
 * or throws an AuthenticationError that says what was wrong.
 */
export class Authenticator {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly apiKeys?: ApiKeyAuthenticator,
  ) {}

  async authenticate(headers: CredentialHeaders): Promise<Identity> {
    const authorization = single(headers.authorization);
    const apiKey = single(headers['x-api-key']);
    if (authorization !== undefined && apiKey !== undefined) {
      throw new AuthenticationError(
        'ambiguous-credentials',
        `send either Authorization or ${API_KEY_HEADER}, not both`,
      );
    }
    if (apiKey !== undefined) {
      if (!this.apiKeys) throw new AuthenticationError('unknown-api-key', 'API keys are not accepted here');
      return this.apiKeys.authenticate(apiKey);
    }
    if (authorization === undefined) {
      throw new AuthenticationError(
        'missing-credentials',
        `no credentials: send Authorization: Bearer <token> or ${API_KEY_HEADER}: <key>`,
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      throw new AuthenticationError('malformed-token', 'the Authorization header must be Bearer <token>');
    }
    return this.tokens.verify(match[1]);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text;
}
