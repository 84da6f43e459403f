/** Why a request could not be authenticated; each turns into a 401 whose message names it. */
export type AuthFailure =
  | 'missing-credentials'
  | 'ambiguous-credentials'
  | 'malformed-token'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'invalid-claims'
  | 'key-set-unavailable'
  | 'malformed-api-key'
  | 'unknown-api-key'
  | 'revoked-api-key';

/** Authentication failed: the caller is not who it claims, or did not say. Maps to HTTP 401. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  constructor(
    readonly failure: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}
