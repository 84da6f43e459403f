import type { ResolveTaskView } from '../api/types';
import { historyLine, retryOutcome } from './resolve-rules';

const task = { executor: 'demo-ledger', failedAttempt: 1 } as ResolveTaskView;

describe('resolve screen rules', () => {
  it.each<[string, ResolveTaskView & { resubmittedAs?: string }, string]>([
    ['a retry sent to the executor', task, 'Sent to demo-ledger as try 2.'],
    [
      'a riskier correction',
      { ...task, resubmittedAs: 'dec-1.r2' },
      'The correction scores riskier than the approved action, so it was proposed again as dec-1.r2 and waits for review.',
    ],
  ])('says what happened to %s', (_name, answer, expected) => {
    expect(retryOutcome(answer)).toBe(expected);
  });

  it.each<[ResolveTaskView['history'][number], string]>([
    [
      { act: 'failed', at: '', attempt: 1, code: 'balance-outstanding' },
      'Try 1 failed (balance-outstanding)',
    ],
    [
      { act: 'retry-requested', at: '', attempt: 2, by: 'ada', comment: 'settled' },
      'Try 2 asked for by ada: settled',
    ],
    [
      { act: 'abandoned', at: '', by: 'bella', code: 'done-by-hand', comment: 'by hand' },
      'Abandoned by bella (done-by-hand): by hand',
    ],
    [{ act: 'executed', at: '', attempt: 2 }, 'Try 2 carried out'],
  ])('writes %j as a line', (step, expected) => {
    expect(historyLine(step)).toBe(expected);
  });
});
