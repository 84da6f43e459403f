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
   * Prometheus's HTTP API, which the operations view (GET /v1/operations/overview) reads with fixed queries.
   * Loopback by default: the embedded setup starts it on PROMETHEUS_PORT 9490.
   */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'PROMETHEUS_URL must be an http(s) URL' },
  )
  PROMETHEUS_URL: string = 'http://127.0.0.1:9490';

  /**
   * `on`: the demo users (DEMO_USERS) may sign in with the demo password for a token (POST /v1/sessions), the
   * embedded setup's stand-in for an identity provider. Off unless the embedded setup asks for it (`npm start`
   * and the test ring set it), whatever NODE_ENV says; production refuses `on`.
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
  AUTH_DEMO_SIGN_IN: string = 'off';

  /**
   * The reviewers' console (apps/console, built by `nx build console`): the folder of its index.html, served at
   * `/`. Empty: the build beside the gateway's own (dist/apps/console); `off`: not served (an API-only gateway).
   */
  @IsString()
  CONSOLE_DIR: string = '';

  /**
   * Requests per minute from one IP address, counted before authentication, so a flood of forged credentials
   * is cut off too. Behind a proxy set GATEWAY_TRUST_PROXY, or every caller is the proxy's address.
   */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_IP: number = 1200;

  /** Requests per minute from one person (a token's subject), across all their tokens. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_USER: number = 300;

  /** Requests per minute from one upstream system (an API key or a service token): systems send in bursts. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_SERVICE: number = 6000;

  /** Sign-in attempts per minute from one IP address. */
  @IsInt()
  @Min(1)
  SIGN_IN_LIMIT_PER_IP: number = 10;

  /** Failed sign-ins in a row after which a user is locked out for SIGN_IN_LOCKOUT_MINUTES. */
  @IsInt()
  @Min(1)
  SIGN_IN_LOCKOUT_AFTER: number = 5;

  @IsInt()
  @Min(1)
  SIGN_IN_LOCKOUT_MINUTES: number = 15;

  /** Live feeds (server-sent event streams) one caller may hold open at once, on this instance. */
  @IsInt()
  @Min(1)
  LIVE_FEEDS_PER_CALLER: number = 4;

  /**
   * Browser origins allowed to call the API from another site, comma-separated (`https://ops.example.com`).
   * Empty: none (the console is served by the gateway itself and needs no CORS).
   */
  @Matches(/^$|^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/, {
    message: 'CORS_ORIGINS must be empty or comma-separated http(s) origins',
  })
  CORS_ORIGINS: string = '';

  /**
   * Express's `trust proxy`: how many proxies in front of the gateway may set X-Forwarded-For (a number), or
   * `off`. Rate limits per IP count the address this yields.
   */
  @Matches(/^(off|[0-9]{1,2})$/, { message: 'GATEWAY_TRUST_PROXY must be off or a number of proxies' })
  GATEWAY_TRUST_PROXY: string = 'off';
}
