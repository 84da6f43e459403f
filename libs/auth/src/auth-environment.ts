import {
  IsString,
  IsUrl,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
} from 'class-validator';
import { CommonEnvironment } from '@oversight/service-config';
import { TokenVerifierConfig } from './token-verifier';

/**
 * The shared secret of the embedded setup out of the box: good for a laptop and tests, refused in production
 * (anyone who reads this file could sign tokens with it).
 */
export const DEVELOPMENT_JWT_SECRET = 'insecure-development-secret-do-not-use-in-production';

/** Stops a production start-up that would verify tokens with the published development secret. */
function NotTheDevelopmentSecretInProduction() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notTheDevelopmentSecretInProduction',
      target: target.constructor,
      propertyName,
      options: {
        message: `AUTH_JWT_SECRET is the development default; set a secret of your own (or AUTH_JWKS_URL) when NODE_ENV=production`,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const env = args.object as AuthEnvironment;
          return (
            env.NODE_ENV !== 'production' || env.AUTH_JWKS_URL !== '' || value !== DEVELOPMENT_JWT_SECRET
          );
        },
      },
    });
}

/** What a program that authenticates callers reads (the gateway, the escalation service's API). */
export class AuthEnvironment extends CommonEnvironment {
  /** HS256 secret of the embedded setup; at least 32 characters (256 bits for HS256). */
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  @NotTheDevelopmentSecretInProduction()
  AUTH_JWT_SECRET: string = DEVELOPMENT_JWT_SECRET;

  /** An OIDC provider's JWKS endpoint; when set, tokens are verified with its keys instead of the secret. */
  @ValidateIf((env: AuthEnvironment) => env.AUTH_JWKS_URL !== '')
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'AUTH_JWKS_URL must be an http(s) URL' },
  )
  AUTH_JWKS_URL: string = '';

  /** The `iss` every accepted token carries. */
  @IsString()
  @MinLength(1)
  AUTH_ISSUER: string = 'oversight';

  /** The `aud` every accepted token includes. */
  @IsString()
  @MinLength(1)
  AUTH_AUDIENCE: string = 'oversight-api';
}

/** The token verification an environment asks for: JWKS when AUTH_JWKS_URL is set, the shared secret otherwise. */
export function tokenConfigFrom(
  env: Pick<AuthEnvironment, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE'>,
): TokenVerifierConfig {
  const expected = { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
  return env.AUTH_JWKS_URL
    ? { ...expected, jwksUrl: env.AUTH_JWKS_URL }
    : { ...expected, secret: env.AUTH_JWT_SECRET };
}
