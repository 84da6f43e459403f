import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Identity, PlatformRole } from '../identity';

/** What an endpoint declares about who may call it; an endpoint that declares nothing is closed. */
export type AccessRule = { public: true } | { public: false; roles: readonly PlatformRole[] };

export const ACCESS_RULE = 'oversight:access-rule';

/** Anyone may call it, without credentials (health, API docs). */
export const Public = () => SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);

/** Callers holding at least one of these platform roles may call it; others get 403, anonymous callers 401. */
export const Roles = (...roles: [PlatformRole, ...PlatformRole[]]) =>
  SetMetadata(ACCESS_RULE, { public: false, roles } satisfies AccessRule);

/** The rule of a handler, or of its controller when the handler declares none. */
export function accessRuleOf(reflector: Reflector, context: ExecutionContext): AccessRule | undefined {
  return reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
    context.getHandler(),
    context.getClass(),
  ]);
}

/** A request the guard has let through, with the caller it established. */
export interface AuthenticatedRequest {
  identity?: Identity;
}

/** The authenticated caller of the current request; for @Roles endpoints (a @Public one has no caller). */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const { identity } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!identity) throw new Error('@CurrentIdentity() is only available on endpoints that declare @Roles');
  return identity;
});
