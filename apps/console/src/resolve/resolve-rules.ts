import type { ResolveTaskView } from '../api/types';

/** The reasons a person may give for abandoning a failed action, as the resolve API names them. */
export const ABANDON_REASONS: Record<string, string> = {
  'no-longer-needed': 'No longer needed',
  'done-by-hand': 'Done by hand',
  'cannot-be-done': 'Cannot be done',
  other: 'Other',
};

/** What the answer to a retry means for the person who sent it. */
export function retryOutcome(answer: ResolveTaskView & { resubmittedAs?: string }): string {
  if (answer.resubmittedAs) {
    return `The correction scores riskier than the approved action, so it was proposed again as ${answer.resubmittedAs} and waits for review.`;
  }
  return `Sent to ${answer.executor} as try ${answer.failedAttempt + 1}.`;
}

/** One line per step of the task's history, oldest first. */
export function historyLine(step: ResolveTaskView['history'][number]): string {
  const by = step.by ? ` by ${step.by}` : '';
  switch (step.act) {
    case 'failed':
      return `Try ${step.attempt} failed${step.code ? ` (${step.code})` : ''}`;
    case 'retry-requested':
      return `Try ${step.attempt} asked for${by}: ${step.comment ?? ''}`;
    case 'resubmitted':
      return `Proposed again as ${step.resubmittedAs}${by}: ${step.comment ?? ''}`;
    case 'abandoned':
      return `Abandoned${by} (${step.code ?? 'no reason'}): ${step.comment ?? ''}`;
    case 'executed':
      return `Try ${step.attempt} carried out`;
    default:
      return step.act;
  }
}
