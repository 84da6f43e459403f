import { DecisionOutcome, DecisionStatusView, outcomeOf } from './decision-outcome';

const status = (fields: Partial<DecisionStatusView>): DecisionStatusView => ({
  decisionId: 'dec-1',
  status: 'proposed',
  ...fields,
});

describe('outcomeOf', () => {
  it.each<[string, DecisionStatusView, DecisionOutcome | undefined]>([
    ['still being scored', status({ status: 'scored' }), undefined],
    ['waiting for people', status({ status: 'awaiting-review' }), undefined],
    [
      'run on its own',
      status({ status: 'approved', outcome: { route: 'auto', reasons: ['low risk'] } }),
      { outcome: 'approved', decisionId: 'dec-1', mode: 'auto', approvedBy: [], reasons: ['low risk'] },
    ],
    [
      'approved by two people',
      status({ status: 'review-approved', decision: { mode: 'human', decidedBy: ['lena', 'fiona'] } }),
      { outcome: 'approved', decisionId: 'dec-1', mode: 'human', approvedBy: ['lena', 'fiona'], reasons: [] },
    ],
    [
      'approved, then carried out',
      status({
        status: 'executed',
        decision: { mode: 'human', decidedBy: ['sam'] },
        execution: { executor: 'ledger', attempts: 2 },
      }),
      {
        outcome: 'approved',
        decisionId: 'dec-1',
        mode: 'human',
        approvedBy: ['sam'],
        reasons: [],
        execution: { state: 'executed', executor: 'ledger', attempts: 2, lastError: undefined },
      },
    ],
    [
      'failed, then carried out after a person corrected it',
      status({
        status: 'resolved',
        outcome: { route: 'auto' },
        execution: { executor: 'ledger', attempts: 2 },
      }),
      {
        outcome: 'approved',
        decisionId: 'dec-1',
        mode: 'auto',
        approvedBy: [],
        reasons: [],
        execution: { state: 'resolved', executor: 'ledger', attempts: 2, lastError: undefined },
      },
    ],
    [
      'rejected by a reviewer',
      status({
        status: 'rejected',
        decision: { mode: 'human', decidedBy: ['sam'], rejectionReason: 'incorrect-data' },
      }),
      { outcome: 'rejected', decisionId: 'dec-1', rejectedBy: ['sam'], reasonCode: 'incorrect-data' },
    ],
    [
      'nobody decided: denied by default',
      status({ status: 'rejected', decision: { mode: 'timeout-default', rejectionReason: 'timeout' } }),
      { outcome: 'expired', decisionId: 'dec-1', defaultApplied: 'rejected', reasonCode: 'timeout' },
    ],
    [
      'nobody decided: approved by a policy that says so',
      status({ status: 'review-approved', decision: { mode: 'timeout-default' } }),
      { outcome: 'expired', decisionId: 'dec-1', defaultApplied: 'approved' },
    ],
    [
      'blocked',
      status({ status: 'blocked', outcome: { route: 'block', reasons: ['critical tier'] } }),
      { outcome: 'blocked', decisionId: 'dec-1', reasons: ['critical tier'] },
    ],
  ])('%s', (_name, given, expected) => {
    expect(outcomeOf(given)).toEqual(expected);
  });
});
