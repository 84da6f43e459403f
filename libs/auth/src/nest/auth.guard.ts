import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationError } from '../auth-errors';
import { Authenticator, CredentialHeaders } from '../authenticator';
import { hasAnyRole } from '../identity';
import { accessRuleOf, AuthenticatedRequest } from './access-rules';

/**
 * The global guard of an app that imports AuthModule: @Public endpoints pass, @Roles endpoints need a caller
 * (401 otherwise, naming what was wrong with the credentials) holding one of the roles (403 otherwise, naming
 * them). An endpoint that declares neither is closed to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = accessRuleOf(this.reflector, context);
    if (!rule) {
      throw new ForbiddenException(
        'this endpoint declares no access rule (@Public or @Roles), so it is closed',
      );
    }
    if (rule.public) return true;

    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { headers: CredentialHeaders }>();
    try {
      request.identity = await this.authenticator.authenticate(request.headers);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      if (error.failure === 'key-set-unavailable') throw new ServiceUnavailableException(error.message);
      throw new UnauthorizedException(error.message);
    }
    if (!hasAnyRole(request.identity, rule.roles)) {
      throw new ForbiddenException(
        `this needs one of the roles ${rule.roles.join(', ')}; ${request.identity.subject} has ` +
          `${request.identity.roles.length ? request.identity.roles.join(', ') : 'no roles'}`,
      );
    }
    return true;
  }
}
