import type { ReviewRejectionReason } from '@oversight/contracts';
import type { ReviewTaskView, TimelineEntry } from '../api/types';

/** Words for each rejection reason code of the contracts; a new code there fails the typecheck here. */
export const REJECTION_REASONS: Record<ReviewRejectionReason, string> = {
  'policy-violation': 'Violates policy',
  'incorrect-data': 'Incorrect data',
  'insufficient-evidence': 'Insufficient evidence',
  'risk-too-high': 'Risk too high',
  duplicate: 'Duplicate',
  'suspected-fraud': 'Suspected fraud',
  other: 'Other (say why)',
};

/** What an edit changed in the task's risk, in words, or undefined when the re-score changed nothing. */
export function rescoreSummary(before: ReviewTaskView, after: ReviewTaskView): string | undefined {
  const changes: string[] = [];
  if (before.score !== after.score) changes.push(`score ${before.score} → ${after.score}`);
  if (before.tier !== after.tier) changes.push(`tier ${before.tier} → ${after.tier}`);
  if (before.approvalsRequired !== after.approvalsRequired) {
    changes.push(`approvals required ${before.approvalsRequired} → ${after.approvalsRequired}`);
  }
  return changes.length ? `Re-scored after your edit: ${changes.join(', ')}.` : undefined;
}

/** Parses the edited parameters; a reviewer gets a sentence, not a stack trace, for a typo. */
export function parseParameters(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, error: 'The parameters must be a JSON object, like {"creditAmount": 120}.' };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: `The parameters are not valid JSON: ${(error as Error).message}` };
  }
}

/** One line of the audit timeline: who or what did it, and the words that matter. */
export function describeEntry(entry: TimelineEntry): { what: string; who: string; detail?: string } {
  const { type, payload, producer } = entry.event;
  if (type === 'ReviewActivity') {
    const actor = payload.actor as { id?: string; onBehalfOf?: string } | undefined;
    const quorum = payload.quorum as { given: number; required: number } | undefined;
    const detail = [
      payload.reasonCode as string | undefined,
      payload.comment as string | undefined,
      quorum ? `${quorum.given} of ${quorum.required} approvals` : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    return {
      what: `review ${String(payload.act)}`,
      who: actor?.id
        ? `${actor.id}${actor.onBehalfOf ? ` for ${actor.onBehalfOf}` : ''}`
        : (producer ?? 'platform'),
      detail: detail || undefined,
    };
  }
  return { what: type, who: whoOf(payload) ?? producer ?? 'platform', detail: detailOf(type, payload) };
}

/** The person behind a resolve or reversal event, when there is one. */
function whoOf(payload: Record<string, unknown>): string | undefined {
  const person = (payload.requestedBy ?? payload.abandonedBy) as { id?: string } | undefined;
  return person?.id;
}

/** The words that matter of an event other than a review act. */
function detailOf(type: string, payload: Record<string, unknown>): string | undefined {
  const error = payload.error as { code?: string; message?: string } | undefined;
  switch (type) {
    case 'ActionApproved': {
      const approvers = payload.approvers as { id: string }[] | undefined;
      return `mode ${String(payload.mode)}${approvers?.length ? ` · by ${approvers.map((a) => a.id).join(', ')}` : ''}`;
    }
    case 'DecisionScored':
      return `score ${String(payload.score)}, tier ${String(payload.tier)}`;
    case 'ActionExecuted':
      return `try ${String(payload.attempt)} carried out by ${String(payload.executor)}`;
    case 'ActionFailed':
      return (
        `try ${String(payload.attempt)} failed: ${error?.code ?? error?.message ?? 'error'}` +
        (payload.willRetry ? ' · will retry' : ' · to a person')
      );
    case 'ExecutionRetryRequested':
      return `try ${String(payload.attempt)} asked for: ${String(payload.comment)}`;
    case 'ActionAbandoned':
      return `${String(payload.reasonCode)}: ${String(payload.comment)}`;
    case 'ReversalRequested':
      return String(payload.comment);
    case 'ReversalFailed':
      return `reversal failed: ${error?.code ?? error?.message ?? 'error'}`;
    default:
      return undefined;
  }
}
