import { tryResultOf } from './try-result';
import type { ExecutionReportEvent } from './execution-records';

const failed = (retryable: boolean, willRetry: boolean) =>
  ({ type: 'ActionFailed', payload: { retryable, willRetry } }) as unknown as ExecutionReportEvent;

describe('tryResultOf', () => {
  it('counts a carried-out action as succeeded', () => {
    expect(tryResultOf({ type: 'ActionExecuted', payload: {} } as unknown as ExecutionReportEvent)).toBe(
      'succeeded',
    );
  });

  it('tells a retried try from one given up with no tries left and one failed for good', () => {
    expect(tryResultOf(failed(true, true))).toBe('retried');
    expect(tryResultOf(failed(true, false))).toBe('given_up');
    expect(tryResultOf(failed(false, false))).toBe('failed');
  });
});
