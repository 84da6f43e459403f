import { AppliedRule } from '@oversight/contracts';
import {
  ActionPolicy,
  AmountBand,
  ConfidenceBand,
  ParameterFlag,
  PolicyDocument,
  ReviewRequirement,
  RouteTable,
  Sensitivity,
} from './policy-document';

/** Which part of the policy named the action: unnamed functions and actions get the policy's defaults. */
export type RuleSource = 'action' | 'policy-defaults';

/** Everything the policy says about one function's action, with every gap filled in from the defaults. */
export interface ActionRule {
  policyId: string;
  policyVersion: number;
  source: RuleSource;
  sensitivity: Sensitivity;
  amountBands: AmountBand[];
  confidenceBands: ConfidenceBand[];
  flags: ParameterFlag[];
  requiresAmount: boolean;
  routes: RouteTable;
  review: ReviewRequirement;
  auditSampleRate: number;
  /** Minutes after it ran on its own that a supervisor may still reverse it; 0: never. */
  reversalWindowMinutes: number;
  /** The policy's currency, which amount bands and authority limits are written in. */
  currency: string;
  /** The most each review role may approve, in `currency`. */
  authority: Record<string, number>;
}

/**
 * Resolves the rule for an action: the action's own settings over its function's defaults over the policy's
 * defaults. An action the policy does not name, in a named function or not, gets the policy's defaults alone,
 * which are conservative by validation: a function's defaults never make an unnamed action auto-approvable.
 */
export function resolveActionRule(
  policy: PolicyDocument,
  businessFunction: string,
  actionType: string,
): ActionRule {
  const fn = Object.prototype.hasOwnProperty.call(policy.functions, businessFunction)
    ? policy.functions[businessFunction]
    : undefined;
  const action =
    fn && Object.prototype.hasOwnProperty.call(fn.actions, actionType) ? fn.actions[actionType] : undefined;
  const layers: ActionPolicy[] = action ? [policy.defaults, fn?.defaults ?? {}, action] : [policy.defaults];
  const pick = <K extends keyof ActionPolicy>(key: K): ActionPolicy[K] =>
    layers.reduce<ActionPolicy[K]>((value, layer) => layer[key] ?? value, undefined);

  const review = Object.assign({}, ...layers.map((layer) => layer.review ?? {})) as ReviewRequirement;
  return {
    policyId: policy.policyId,
    policyVersion: policy.version,
    source: action ? 'action' : 'policy-defaults',
    sensitivity: pick('sensitivity') as Sensitivity,
    amountBands: pick('amountBands') ?? [],
    confidenceBands: pick('confidenceBands') ?? [],
    flags: pick('flags') ?? [],
    requiresAmount: pick('requiresAmount') ?? false,
    routes: Object.assign({}, ...layers.map((layer) => layer.routes ?? {})) as RouteTable,
    review,
    auditSampleRate: pick('auditSampleRate') ?? 0,
    reversalWindowMinutes: pick('reversalWindowMinutes') ?? 0,
    currency: policy.currency,
    authority: Object.fromEntries(
      [...new Set([...review.roles, ...review.escalation.flatMap((step) => step.notifyRoles)])].map(
        (role) => [
          role,
          layers.reduce((limit, layer) => layer.authority?.[role] ?? limit, policy.authority[role] ?? 0),
        ],
      ),
    ),
  };
}

/** The part of a rule that travels with a scored decision, for routing to apply as it was. */
export function toAppliedRule(rule: ActionRule): AppliedRule {
  const { policyId, policyVersion, routes, review, auditSampleRate, currency, authority } = rule;
  return { policyId, policyVersion, routes, review, auditSampleRate, currency, authority };
}
