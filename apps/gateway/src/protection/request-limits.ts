import { createHash } from 'node:crypto';
import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import { AuthenticatedRequest, Identity } from '@oversight/auth';

/** The limits, per minute, a gateway enforces (GatewayEnvironment's RATE_LIMIT_* and SIGN_IN_LIMIT_PER_IP). */
export interface RequestLimits {
  perIp: number;
  perUser: number;
  perService: number;
  signInPerIp: number;
}

/** One window for every limit: a minute, so a limit reads as "N per minute". */
export const LIMIT_WINDOW_MS = 60_000;

/**
 * The named limits. `ip` and `sign-in` are counted before authentication (IpLimitGuard), so a flood of forged
 * tokens or passwords is cut off before any is checked; `caller` after it (CallerLimitGuard), by who the
 * credentials say the caller is, so one person's many tokens share one allowance.
 */
export const IP_LIMITS = ['ip', 'sign-in'] as const;
export const CALLER_LIMITS = ['caller'] as const;
export type LimitName = (typeof IP_LIMITS)[number] | (typeof CALLER_LIMITS)[number];

const SIGN_IN = Symbol('sign-in');
/** Marks the endpoint that checks a password: it gets the stricter `sign-in` limit as well. */
export const SignInEndpoint = () => SetMetadata(SIGN_IN, true);

function isSignIn(context: ExecutionContext): boolean {
  return Reflect.getMetadata(SIGN_IN, context.getHandler()) === true;
}

type LimitedRequest = AuthenticatedRequest & { ip?: string };

const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<LimitedRequest>();

/** One caller, whatever credential it used: the rate limits and the live-feed cap count by this. */
export function callerKey(identity: Identity): string {
  return `${identity.kind}:${identity.subject}`;
}

/** Who a request counts against: the authenticated caller, by kind and subject. */
export function callerTracker(request: LimitedRequest): string | undefined {
  return request.identity ? callerKey(request.identity) : undefined;
}

export function ipTracker(request: LimitedRequest): string {
  return `ip:${request.ip ?? 'unknown'}`;
}

/** What a refusal says the limit was, in the caller's terms. */
export function limitDescription(name: LimitName, limit: number): string {
  switch (name) {
    case 'ip':
      return `${limit} requests per minute from one address`;
    case 'sign-in':
      return `${limit} sign-in attempts per minute from one address`;
    case 'caller':
      return `${limit} requests per minute for one caller`;
  }
}

/** The throttler settings for the limits: one allowance per tracker across every endpoint, not one per route. */
export function throttlerOptions(limits: RequestLimits): ThrottlerModuleOptions {
  const throttlers: (ThrottlerOptions & { name: LimitName })[] = [
    { name: 'ip', ttl: LIMIT_WINDOW_MS, limit: limits.perIp, getTracker: (req) => ipTracker(req) },
    {
      name: 'sign-in',
      ttl: LIMIT_WINDOW_MS,
      limit: limits.signInPerIp,
      getTracker: (req) => ipTracker(req),
      skipIf: (context) => !isSignIn(context),
    },
    {
      name: 'caller',
      ttl: LIMIT_WINDOW_MS,
      limit: (context) =>
        requestOf(context).identity?.kind === 'service' ? limits.perService : limits.perUser,
      getTracker: (req) => callerTracker(req) ?? ipTracker(req),
      // Public endpoints have no caller; the `ip` limit covers them.
      skipIf: (context) => callerTracker(requestOf(context)) === undefined,
    },
  ];
  return {
    throttlers,
    // The key holds no raw address or subject, and is the same on every route.
    generateKey: (_context, tracker, name) =>
      createHash('sha256').update(`${name}\u0000${tracker}`).digest('hex'),
  };
}
