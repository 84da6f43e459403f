import { IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, ValidateBy } from 'class-validator';
import { AuthEnvironment } from '@oversight/auth';

/** The gateway's settings: the common ones, authentication (AUTH_*), and where it listens. */
export class GatewayEnvironment extends AuthEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  GATEWAY_PORT: number = 8080;

  /** Loopback by default: exposing the gateway beyond this machine is a deliberate step. */
  @Matches(/^[A-Za-z0-9.:-]{1,253}$/, { message: 'GATEWAY_HOST must be a host name or an IP address' })
  GATEWAY_HOST: string = '127.0.0.1';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'gateway';

  /** The published policy whose reversal windows a supervisor's reversal is checked against. */
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'POLICY_ID must be lower-case kebab-case' })
  POLICY_ID: string = 'reference';

  /** The escalation service's review API, which the gateway's review endpoints forward to. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'ESCALATION_URL must be an http(s) URL' },
  )
  ESCALATION_URL: string = 'http://127.0.0.1:8081';

  /**
   * `on`: the demo users (DEMO_USERS) may sign in with the demo password for a token (POST /v1/sessions), the
   * embedded setup's stand-in for an identity provider. Production refuses `on`.
   */
  @IsIn(['on', 'off'], { message: 'AUTH_DEMO_SIGN_IN must be on or off' })
  @ValidateBy({
    name: 'demoSignInOffInProduction',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as GatewayEnvironment).NODE_ENV !== 'production' || value === 'off',
      defaultMessage: () => 'AUTH_DEMO_SIGN_IN must be off when NODE_ENV=production',
    },
  })
  AUTH_DEMO_SIGN_IN: string = 'on';

  /**
   * The reviewers' console (apps/console, built by `nx build console`): the folder of its index.html, served at
   * `/`. Empty: the build beside the gateway's own (dist/apps/console); `off`: not served (an API-only gateway).
   */
  @IsString()
  CONSOLE_DIR: string = '';
}
