/**
 * The part of the gateway's `GET /v1/decisions/:decisionId` answer (the gateway's DecisionStatus) that an
 * outcome is read from. The SDK's end-to-end suite runs against the real gateway, so a drift shows there.
 */
export interface DecisionStatusView {
  decisionId: string;
  status: string;
  outcome?: { route?: string; reasons?: string[]; policy?: { policyId?: string; policyVersion?: number } };
  decision?: { mode?: string; decidedBy?: string[]; rejectionReason?: string; decidedAt?: string };
  execution?: {
    executor?: string;
    attempts?: number;
    lastError?: string;
    executedAt?: string;
    retryRequestedBy?: string;
    abandonedBy?: string;
    abandonReason?: string;
    resubmittedAs?: string;
  };
}

const EXECUTION_STATES = ['executed', 'execution-failed', 'resolved', 'abandoned', 'reversed'] as const;

export interface ExecutionView {
  /**
   * executed; execution-failed while people resolve it; resolved when a person's corrected try was carried out;
   * abandoned when a person gave up on it (resubmittedAs names the new decision a riskier correction became);
   * reversed when a supervisor undid it after it ran on its own.
   */
  state: (typeof EXECUTION_STATES)[number];
  executor?: string;
  attempts?: number;
  lastError?: string;
  resubmittedAs?: string;
}

/** How a decision ended, as `awaitOutcome` resolves. */
export type DecisionOutcome =
  | {
      outcome: 'approved';
      decisionId: string;
      /** auto: the policy let it run on its own; human: people approved it. */
      mode: 'auto' | 'human';
      approvedBy: string[];
      reasons: string[];
      execution?: ExecutionView;
    }
  | { outcome: 'rejected'; decisionId: string; rejectedBy: string[]; reasonCode?: string }
  | { outcome: 'blocked'; decisionId: string; reasons: string[] }
  | {
      /** Nobody decided in time and the policy's default applied: rejected, or approved where the policy says so. */
      outcome: 'expired';
      decisionId: string;
      defaultApplied: 'approved' | 'rejected';
      reasonCode?: string;
      execution?: ExecutionView;
    };

/** The outcome a status shows, or undefined while the decision is still on its way or waiting for people. */
export function outcomeOf(status: DecisionStatusView): DecisionOutcome | undefined {
  const { decisionId, decision } = status;
  const reasons = status.outcome?.reasons ?? [];
  const execution = (EXECUTION_STATES as readonly string[]).includes(status.status)
    ? {
        execution: {
          state: status.status,
          executor: status.execution?.executor,
          attempts: status.execution?.attempts,
          lastError: status.execution?.lastError,
          ...(status.execution?.resubmittedAs ? { resubmittedAs: status.execution.resubmittedAs } : {}),
        } as ExecutionView,
      }
    : {};
  switch (status.status) {
    case 'blocked':
      return { outcome: 'blocked', decisionId, reasons };
    case 'rejected':
      return decision?.mode === 'timeout-default'
        ? { outcome: 'expired', decisionId, defaultApplied: 'rejected', reasonCode: decision.rejectionReason }
        : {
            outcome: 'rejected',
            decisionId,
            rejectedBy: decision?.decidedBy ?? [],
            reasonCode: decision?.rejectionReason,
          };
    case 'approved':
    case 'review-approved':
    case 'executed':
    case 'execution-failed':
    case 'resolved':
    case 'abandoned':
    case 'reversed':
      if (decision?.mode === 'timeout-default') {
        return { outcome: 'expired', decisionId, defaultApplied: 'approved', ...execution };
      }
      return {
        outcome: 'approved',
        decisionId,
        mode: decision?.mode === 'human' ? 'human' : 'auto',
        approvedBy: decision?.decidedBy ?? [],
        reasons,
        ...execution,
      };
    default:
      return undefined;
  }
}
