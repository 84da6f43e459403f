import { Body, Controller, HttpCode, NotFoundException, Post, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { demoUserSignIn, issueToken, Public } from '@oversight/auth';
import { GatewayEnvironment } from './config/gateway-environment';

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
 * token. Absent (404) when AUTH_DEMO_SIGN_IN is off or tokens come from an identity provider (AUTH_JWKS_URL):
 * people then sign in there.
 */
@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionsController {
  constructor(private readonly config: ConfigService<GatewayEnvironment, true>) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign in as a demo user of the embedded setup (off in production)' })
  async signIn(@Body() body: SignInRequest) {
    const env = (key: keyof GatewayEnvironment) => this.config.get(key, { infer: true }) as string;
    if (env('AUTH_DEMO_SIGN_IN') !== 'on' || env('AUTH_JWKS_URL')) {
      throw new NotFoundException('demo sign-in is off; sign in with your identity provider');
    }
    const user = demoUserSignIn(body.user, body.password);
    if (!user) throw new UnauthorizedException('unknown user or wrong password');
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
