import { parse } from 'yaml';
import { SLUG_PATTERN, validateAs, Validated } from '@oversight/contracts';
import {
  ActionPolicy,
  FunctionPolicy,
  PolicyDocument,
  ReviewRequirement,
  RouteTable,
  TIERS,
} from './policy-document';
import { NotificationChannel, NotificationPolicy } from './notification-policy';

export type PolicyRejection = 'not-yaml' | 'invalid-policy';
export type PolicyCheck =
  | { ok: true; value: PolicyDocument }
  | { ok: false; reason: PolicyRejection; errors: string[] };

/** Parses a policy written in YAML (or JSON, which is YAML) and validates it; never throws. */
export function parsePolicy(text: string): PolicyCheck {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    return {
      ok: false,
      reason: 'not-yaml',
      errors: [`(document): ${(error as Error).message.split('\n')[0]}`],
    };
  }
  return validatePolicy(raw);
}

/**
 * Checks a policy document as a whole: every field's type and range, the maps of functions, actions and
 * authority entry by entry, complete and conservative defaults, ascending tier thresholds, and that every
 * review role has an authority limit. Returns every problem found, each with its path.
 */
export function validatePolicy(raw: unknown): PolicyCheck {
  const top = validateAs(PolicyDocument, raw);
  if (!top.ok) return { ok: false, reason: 'invalid-policy', errors: top.errors };
  const policy = top.value;
  const errors: string[] = [];
  const check = <T extends object>(result: Validated<T>) => {
    if (!result.ok) errors.push(...result.errors);
  };

  const { medium, high, critical } = policy.tiers;
  if (!(medium < high && high < critical)) {
    errors.push(`tiers: thresholds must rise: medium (${medium}) < high (${high}) < critical (${critical})`);
  }

  const defaults = policy.defaults;
  if (!defaults.sensitivity) errors.push('defaults.sensitivity: the defaults must set a sensitivity');
  check(validateAs(RouteTable, defaults.routes ?? {}, 'defaults.routes'));
  check(validateAs(ReviewRequirement, defaults.review ?? {}, 'defaults.review'));
  for (const tier of TIERS) {
    if (defaults.routes?.[tier] === 'auto') {
      errors.push(`defaults.routes.${tier}: must not be auto; what the policy does not name goes to people`);
    }
  }

  for (const [role, limit] of Object.entries(policy.authority)) {
    if (!SLUG_PATTERN.test(role)) errors.push(`authority.${role}: role names are lower-case kebab-case`);
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
      errors.push(`authority.${role}: must be a non-negative amount in ${policy.currency}`);
    }
  }

  const reviewRoles = new Map<string, string>(); // role → first path naming it
  const noteRoles = (path: string, review?: Partial<ReviewRequirement>) =>
    review?.roles?.forEach((role) => reviewRoles.has(role) || reviewRoles.set(role, `${path}.review.roles`));
  noteRoles('defaults', defaults.review);

  const checkAction = (path: string, action: ActionPolicy) => {
    if (action.routes) check(validateAs(RouteTable, action.routes, `${path}.routes`, { partial: true }));
    if (action.review)
      check(validateAs(ReviewRequirement, action.review, `${path}.review`, { partial: true }));
    noteRoles(path, action.review);
    const { seniorRole, roles, onTimeout } = action.review ?? {};
    if (seniorRole && roles && !roles.includes(seniorRole)) {
      errors.push(
        `${path}.review.seniorRole: ${seniorRole} must be one of the review roles (${roles.join(', ')})`,
      );
    }
    if (onTimeout === 'approve' && action.requiresAmount) {
      errors.push(`${path}.review.onTimeout: money is never approved by silence; use reject`);
    }
    for (const [role, limit] of Object.entries(action.authority ?? {})) {
      if (!SLUG_PATTERN.test(role))
        errors.push(`${path}.authority.${role}: role names are lower-case kebab-case`);
      if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
        errors.push(`${path}.authority.${role}: must be a non-negative amount in ${policy.currency}`);
      }
    }
  };

  for (const [name, raw] of Object.entries(policy.functions)) {
    const path = `functions.${name}`;
    if (!SLUG_PATTERN.test(name)) {
      errors.push(`${path}: business function names are lower-case kebab-case`);
      continue;
    }
    const fn = validateAs(FunctionPolicy, raw, path);
    if (!fn.ok) {
      errors.push(...fn.errors);
      continue;
    }
    policy.functions[name] = fn.value;
    if (fn.value.defaults) checkAction(`${path}.defaults`, fn.value.defaults);
    for (const [actionType, rawAction] of Object.entries(fn.value.actions)) {
      const actionPath = `${path}.actions.${actionType}`;
      if (!SLUG_PATTERN.test(actionType)) {
        errors.push(`${actionPath}: action types are lower-case kebab-case`);
        continue;
      }
      const action = validateAs(ActionPolicy, rawAction, actionPath);
      if (!action.ok) {
        errors.push(...action.errors);
        continue;
      }
      fn.value.actions[actionType] = action.value;
      checkAction(actionPath, action.value);
    }
  }

  const actionAuthority = new Set(
    Object.values(policy.functions).flatMap((fn) =>
      [fn.defaults, ...Object.values(fn.actions ?? {})].flatMap((action) =>
        Object.keys(action?.authority ?? {}),
      ),
    ),
  );
  for (const [role, path] of reviewRoles) {
    if (!(role in policy.authority) && !actionAuthority.has(role))
      errors.push(`${path}: role ${role} has no authority limit`);
  }

  if (policy.notifications) errors.push(...notificationProblems(policy.notifications));

  return errors.length ? { ok: false, reason: 'invalid-policy', errors } : { ok: true, value: policy };
}

function notificationProblems(notifications: NotificationPolicy): string[] {
  const errors: string[] = [];
  for (const [name, raw] of Object.entries(notifications.channels)) {
    const path = `notifications.channels.${name}`;
    if (!SLUG_PATTERN.test(name)) errors.push(`${path}: channel names are lower-case kebab-case`);
    const channel = validateAs(NotificationChannel, raw, path);
    if (!channel.ok) {
      errors.push(...channel.errors);
      continue;
    }
    notifications.channels[name] = channel.value;
    if (Boolean(channel.value.webhook) === Boolean(channel.value.email)) {
      errors.push(`${path}: a channel is exactly one of webhook or email`);
    }
  }
  for (const [role, names] of Object.entries(notifications.roles)) {
    const path = `notifications.roles.${role}`;
    if (role !== '*' && !SLUG_PATTERN.test(role))
      errors.push(`${path}: role names are lower-case kebab-case or *`);
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
      errors.push(`${path}: must be a list of channel names`);
      continue;
    }
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(notifications.channels, name)) {
        errors.push(`${path}: no channel named ${name}`);
      }
    }
  }
  return errors;
}
