import { ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthenticationError } from '../auth-errors';
import { Authenticator } from '../authenticator';
import { Identity } from '../identity';
import { AuthenticatedRequest, Public, Roles } from './access-rules';
import { AuthGuard } from './auth.guard';

@Roles('admin', 'sre')
class ControlController {
  halt() {
    return 'halted';
  }
  @Roles('auditor')
  audit() {
    return 'audited';
  }
}

class MixedController {
  @Public()
  health() {
    return 'ok';
  }
  @Roles('upstream')
  submit() {
    return 'submitted';
  }
  undeclared() {
    return 'open?';
  }
}

const identities: Record<string, Identity> = {
  admin: { subject: 'ada', roles: ['admin'], kind: 'user' },
  reviewer: { subject: 'rex', roles: ['reviewer', 'legal-counsel'], kind: 'user' },
  crm: { subject: 'crm', roles: ['upstream'], kind: 'service' },
  nobody: { subject: 'nemo', roles: [], kind: 'user' },
};

const guard = new AuthGuard(
  new Reflector(),
  new Authenticator({
    verify: async (token) => {
      if (token in identities) return identities[token];
      if (token === 'expired') throw new AuthenticationError('expired', 'the token has expired');
      throw new AuthenticationError('bad-signature', 'the token signature is not valid');
    },
  }),
);

async function call(controller: new () => object, handler: string, token?: string) {
  const request: AuthenticatedRequest & { headers: Record<string, string> } = {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
  const method = (controller.prototype as Record<string, () => void>)[handler];
  const context = new ExecutionContextHost([request, {}, () => undefined], controller, method);
  try {
    await guard.canActivate(context);
    return { status: 200, identity: request.identity };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { status: error.getStatus(), message: (error.getResponse() as { message: string }).message };
  }
}

describe('AuthGuard', () => {
  it.each<[string, new () => object, string, string | undefined, number, RegExp | undefined]>([
    ['a public endpoint without credentials', MixedController, 'health', undefined, 200, undefined],
    [
      'a public endpoint with bad credentials (not even looked at)',
      MixedController,
      'health',
      'forged',
      200,
      undefined,
    ],
    ['a role named on the controller', ControlController, 'halt', 'admin', 200, undefined],
    ['a service holding the role', MixedController, 'submit', 'crm', 200, undefined],
    ['no credentials', ControlController, 'halt', undefined, 401, /no credentials/],
    ['an expired token', ControlController, 'halt', 'expired', 401, /expired/],
    ['a forged token', MixedController, 'submit', 'forged', 401, /signature/],
    [
      'a caller without any of the roles',
      ControlController,
      'halt',
      'reviewer',
      403,
      /needs one of the roles admin, sre; rex has reviewer, legal-counsel/,
    ],
    ['a caller with no roles at all', MixedController, 'submit', 'nobody', 403, /nemo has no roles/],
    [
      'a handler rule overriding the controller rule',
      ControlController,
      'audit',
      'admin',
      403,
      /needs one of the roles auditor/,
    ],
    [
      'an endpoint that declares nothing, even for an admin',
      MixedController,
      'undeclared',
      'admin',
      403,
      /declares no access rule/,
    ],
  ])('%s → %s', async (_case, controller, handler, token, status, message) => {
    const result = await call(controller, handler, token);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });

  it('puts the established caller on the request', async () => {
    expect((await call(MixedController, 'submit', 'crm')).identity).toEqual(identities.crm);
  });

  it('answers 401 and 403 with Nest exceptions the error filter understands', () => {
    expect(new UnauthorizedException('x').getStatus()).toBe(401);
    expect(new ForbiddenException('x').getStatus()).toBe(403);
  });
});
