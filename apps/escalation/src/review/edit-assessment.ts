import { DecisionProposed } from '@oversight/contracts';
import { assessRisk, decideRoute, PolicyDocument, toAppliedRule } from '@oversight/policy';
import { EditAssessment, ReviewTask } from './review-task';

/**
 * Scores an edited action again under the policy in force, as scoring and routing would a new proposal: the
 * same rules, in process, so the reviewer learns at once what their edit requires. The quorum it reports is
 * the one the edited action would need on its own; the task keeps the higher of that and its own.
 */
export function assessEdit(
  task: ReviewTask,
  edited: DecisionProposed,
  policy: PolicyDocument,
): EditAssessment {
  const assessment = assessRisk(edited, policy);
  const outcome = decideRoute({
    decisionId: task.decisionId,
    businessFunction: edited.businessFunction,
    actionType: edited.actionType,
    amount: edited.amount,
    requesterId: edited.requester.id,
    agentOwnerId: edited.agent.ownerId,
    subjectId: edited.subject?.id,
    tier: assessment.tier,
    rule: toAppliedRule(assessment.rule),
  });
  const rescore = {
    score: assessment.score,
    tier: assessment.tier,
    reasons: assessment.reasons,
    approvalsRequired: outcome.route === 'review' ? outcome.review.approvals : 1,
    eligibleRoles: outcome.route === 'review' ? outcome.review.eligibleRoles : task.eligibleRoles,
  };
  if (outcome.route === 'block')
    return { rescore, blockedBecause: outcome.reasons.slice(1).join('; ') || outcome.reasons[0] };
  return outcome.route === 'review' && outcome.review.seniorRole
    ? { rescore, seniorRole: outcome.review.seniorRole }
    : { rescore };
}
