import { Actor } from '@oversight/contracts';

/** Longest a delegation may run: an absence, not a standing transfer of authority. */
export const MAX_DELEGATION_DAYS = 90;

/** The platform's own roles, which are never delegated (only review roles are). */
const PLATFORM_ROLES = new Set(['reviewer', 'supervisor', 'admin', 'sre', 'auditor', 'upstream']);

/** A reviewer's permission for another person to act on reviews for them, from `from` until `until`. */
export interface Delegation {
  delegationId: string;
  delegator: string;
  delegate: string;
  /** The delegator's review roles the delegate may use, as the delegator's token carried them. */
  roles: string[];
  from: Date;
  until: Date;
  reason: string;
  grantedBy: string;
  grantedAt: Date;
  revokedAt?: Date;
  revokedBy?: string;
}

export interface DelegationRequest {
  delegate: string;
  roles?: string[];
  from?: Date;
  until: Date;
  reason: string;
}

export type Granted = { ok: true; delegation: Delegation } | { ok: false; message: string };

/**
 * Checks a delegation a reviewer asks for: to someone else, for a period in the future of at most
 * MAX_DELEGATION_DAYS, of review roles the delegator holds (all of them when none are named).
 */
export function grantDelegation(
  delegator: Actor,
  request: DelegationRequest,
  now: Date,
  delegationId: string,
): Granted {
  if (request.delegate === delegator.id) return { ok: false, message: 'you cannot delegate to yourself' };
  const own = delegator.roles.filter((role) => !PLATFORM_ROLES.has(role));
  const roles = request.roles ?? own;
  if (own.length === 0) return { ok: false, message: 'you hold no review role to delegate' };
  const foreign = roles.filter((role) => !own.includes(role));
  if (foreign.length > 0) {
    return {
      ok: false,
      message: `you may delegate only review roles you hold (${own.join(', ')}), not ${foreign.join(', ')}`,
    };
  }
  if (roles.length === 0) return { ok: false, message: 'name at least one review role to delegate' };
  const from = request.from ?? now;
  if (request.until <= from || request.until <= now) {
    return { ok: false, message: 'until must be after from and in the future' };
  }
  if (request.until.getTime() - from.getTime() > MAX_DELEGATION_DAYS * 86_400_000) {
    return { ok: false, message: `a delegation may last at most ${MAX_DELEGATION_DAYS} days` };
  }
  return {
    ok: true,
    delegation: {
      delegationId,
      delegator: delegator.id,
      delegate: request.delegate,
      roles,
      from,
      until: request.until,
      reason: request.reason,
      grantedBy: delegator.id,
      grantedAt: now,
    },
  };
}

export function isActive(delegation: Delegation, now: Date): boolean {
  return !delegation.revokedAt && delegation.from <= now && now < delegation.until;
}

/** The delegation from `delegator` to `delegate` in force at `now`, if any. */
export function activeDelegation(
  delegations: Delegation[],
  delegator: string,
  delegate: string,
  now: Date,
): Delegation | undefined {
  return delegations.find((d) => d.delegator === delegator && d.delegate === delegate && isActive(d, now));
}

/**
 * The actor a delegate becomes when acting for the delegator: the delegated roles, on behalf of the delegator,
 * keeping their own roles so the review rules cap their authority at the lower of the two (see mayAct).
 */
export function actingFor(caller: Actor, delegation: Delegation): Actor & { ownRoles: string[] } {
  return {
    kind: 'user',
    id: caller.id,
    roles: delegation.roles,
    onBehalfOf: delegation.delegator,
    ownRoles: caller.roles,
  };
}
