import type { ExecutionReportEvent } from './execution-records';

/** How one try of an approved action ended, as `oversight_executor_tries_total` counts it. */
export const TRY_RESULTS = ['succeeded', 'failed', 'retried', 'given_up'] as const;
export type TryResult = (typeof TRY_RESULTS)[number];

/**
 * A try's report as a result: carried out; failed and tried again; failed for a reason a retry could fix but no
 * tries were left (given up, to people); or failed for good (not retryable, or in doubt).
 */
export function tryResultOf(report: ExecutionReportEvent): TryResult {
  if (report.type === 'ActionExecuted') return 'succeeded';
  if (report.payload.willRetry) return 'retried';
  return report.payload.retryable ? 'given_up' : 'failed';
}
