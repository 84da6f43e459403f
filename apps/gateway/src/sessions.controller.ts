import {
  Body,
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { DEMO_USERS, demoUserSignIn, issueToken, Public } from '@oversight/auth';
import { GatewayEnvironment } from './config/gateway-environment';
import { FailedSignInsRepository } from './protection/failed-sign-ins.repository';
import { markRefusal } from './protection/refusals';
import { SignInEndpoint } from './protection/request-limits';
import { lockedUntil, LockoutPolicy } from './protection/sign-in-lockout';

export class SignInRequest {
  @IsString()
  @Length(1, 128)
  user!: string;

  @IsString()
  @Length(1, 256)
  password!: string;
}

/** How long a demo sign-in lasts: a working day. */
const SESSION_TTL_SECONDS = 8 * 3600;

/**
 * Sign-in for the embedded setup: a demo user and the demo password give a token, signed like every other
 * token. Absent (404) unless AUTH_DEMO_SIGN_IN=on, and when tokens come from an identity provider
 * (AUTH_JWKS_URL): people then sign in there. Besides the `sign-in` rate limit per address, a user whose
 * password is wrong SIGN_IN_LOCKOUT_AFTER times in a row is locked for SIGN_IN_LOCKOUT_MINUTES (429), on every
 * instance: the failures are in the store.
 */
@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionsController {
  constructor(
    private readonly config: ConfigService<GatewayEnvironment, true>,
    private readonly failures: FailedSignInsRepository,
  ) {}

  @Post()
  @Public()
  @SignInEndpoint()
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign in as a demo user of the embedded setup (off unless the demo turns it on)' })
  @ApiResponse({
    status: 201,
    description: 'A token for the user, good for a working day',
    schema: {
      type: 'object',
      required: ['token', 'user', 'expiresAt'],
      properties: {
        token: { type: 'string' },
        user: {
          type: 'object',
          required: ['id', 'roles'],
          properties: { id: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } },
        },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  @ApiResponse({ status: 401, description: 'Unknown user or wrong password' })
  @ApiResponse({ status: 404, description: 'Demo sign-in is off' })
  @ApiResponse({ status: 429, description: 'Too many attempts from this address, or the user is locked' })
  async signIn(
    @Body() body: SignInRequest,
    @Req() request: object,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): void },
  ) {
    const env = <K extends keyof GatewayEnvironment>(key: K) => this.config.get(key, { infer: true });
    if (env('AUTH_DEMO_SIGN_IN') !== 'on' || env('AUTH_JWKS_URL')) {
      throw new NotFoundException('demo sign-in is off; sign in with your identity provider');
    }
    const refuse = (): never => {
      markRefusal(request, 'sign-in-failed');
      throw new UnauthorizedException('unknown user or wrong password');
    };
    // Failures of names that are no user are not stored, so guessing names cannot grow the collection.
    if (!DEMO_USERS.some((known) => known.id === body.user)) return refuse();

    const now = new Date();
    const policy: LockoutPolicy = {
      lockAfter: env('SIGN_IN_LOCKOUT_AFTER'),
      lockForMs: env('SIGN_IN_LOCKOUT_MINUTES') * 60_000,
    };
    const locked = (until: Date): never => {
      markRefusal(request, 'sign-in-locked');
      response.setHeader('Retry-After', String(Math.ceil((until.getTime() - now.getTime()) / 1000)));
      throw new HttpException(
        `${body.user} is locked after ${policy.lockAfter} failed sign-ins in a row; try again after ` +
          until.toISOString(),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    };
    const past = await this.failures.find(body.user);
    const lock = lockedUntil(past, now);
    if (lock) return locked(lock);

    const user = demoUserSignIn(body.user, body.password);
    if (!user) {
      const counted = await this.failures.recordFailure(body.user, past, now, policy);
      const earned = lockedUntil(counted, now);
      if (earned) return locked(earned);
      return refuse();
    }
    if (past) await this.failures.clear(body.user);
    const token = await issueToken(
      { secret: env('AUTH_JWT_SECRET'), issuer: env('AUTH_ISSUER'), audience: env('AUTH_AUDIENCE') },
      { subject: user.id, roles: user.roles, kind: 'user' },
      SESSION_TTL_SECONDS,
    );
    return {
      token,
      user: { id: user.id, roles: user.roles },
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000).toISOString(),
    };
  }
}
