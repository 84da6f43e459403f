import { AuthenticationError } from './auth-errors';
import { Authenticator, CredentialHeaders } from './authenticator';
import { Identity } from './identity';

const user: Identity = { subject: 'alice', roles: ['admin'], kind: 'user' };
const service: Identity = { subject: 'crm', roles: ['upstream'], kind: 'service' };

const authenticator = new Authenticator(
  {
    verify: async (token) => {
      if (token === 'good-token') return user;
      throw new AuthenticationError('bad-signature', 'the token signature is not valid');
    },
  },
  {
    authenticate: async (key) => {
      if (key === 'good-key') return service;
      throw new AuthenticationError('unknown-api-key', 'the API key is not known');
    },
  },
);

describe('Authenticator', () => {
  it.each<[string, CredentialHeaders, Identity]>([
    ['a bearer token', { authorization: 'Bearer good-token' }, user],
    ['a bearer token, scheme in any case', { authorization: 'bearer good-token' }, user],
    ['an API key', { 'x-api-key': 'good-key' }, service],
    [
      'an API key beside an empty Authorization header',
      { authorization: '', 'x-api-key': 'good-key' },
      service,
    ],
  ])('establishes the caller from %s', async (_case, headers, identity) => {
    expect(await authenticator.authenticate(headers)).toEqual(identity);
  });

  it.each<[string, CredentialHeaders, string, RegExp]>([
    ['no credentials', {}, 'missing-credentials', /send Authorization: Bearer <token> or X-Api-Key/],
    [
      'both kinds of credentials',
      { authorization: 'Bearer good-token', 'x-api-key': 'good-key' },
      'ambiguous-credentials',
      /not both/,
    ],
    ['another scheme', { authorization: 'Basic YWxpY2U6c2VjcmV0' }, 'malformed-token', /must be Bearer/],
    ['a bearer without a token', { authorization: 'Bearer ' }, 'malformed-token', /must be Bearer/],
    ['a bad token', { authorization: 'Bearer forged' }, 'bad-signature', /signature/],
    ['an unknown key', { 'x-api-key': 'nope' }, 'unknown-api-key', /not known/],
  ])('refuses %s, saying why', async (_case, headers, failure, message) => {
    const refused = authenticator.authenticate(headers);
    await expect(refused).rejects.toBeInstanceOf(AuthenticationError);
    await expect(refused).rejects.toMatchObject({ failure, message: expect.stringMatching(message) });
  });
});
