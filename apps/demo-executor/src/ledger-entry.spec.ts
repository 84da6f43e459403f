import { exampleDecisionProposed } from '@oversight/contracts';
import { ApprovedAction, ExecutionFailure } from '@oversight/sdk';
import { ledgerEntryFor } from './ledger-entry';

function action(fields: Partial<ApprovedAction>): ApprovedAction {
  return {
    decisionId: 'dec-1',
    attempt: 1,
    idempotencyKey: 'demo-ledger/dec-1#1',
    actionType: 'refund',
    businessFunction: 'telecom-billing',
    parameters: {},
    approval: { proposal: exampleDecisionProposed() } as ApprovedAction['approval'],
    ...fields,
  };
}

const usd = (value: number) => ({ value, currency: 'USD' });

describe('ledgerEntryFor', () => {
  it.each<[string, Partial<ApprovedAction>, object]>([
    [
      'a refund credits the account',
      { parameters: { accountId: 'ACC-1' }, amount: usd(12) },
      { kind: 'credit', reference: 'ACC-1', amount: usd(12) },
    ],
    [
      'an invoice is posted to its vendor',
      {
        actionType: 'invoice-posting',
        parameters: { vendorId: 'V-9', invoiceNumber: 'AP-1' },
        amount: usd(900),
      },
      { kind: 'ap-posting', reference: 'V-9', detail: 'invoice AP-1 posted' },
    ],
    [
      'a network change opens a ticket',
      { actionType: 'config-change', parameters: { element: 'edge-router-7', change: 'raise MTU' } },
      { kind: 'change-ticket', reference: 'edge-router-7' },
    ],
    [
      'a stop-work order stops the site',
      { actionType: 'stop-work', parameters: { siteId: 'SITE-4', zone: 'level-3' } },
      { kind: 'work-stop', reference: 'SITE-4', detail: 'work stopped in level-3' },
    ],
    [
      'a settled account is closed',
      { actionType: 'account-closure', parameters: { accountId: 'ACC-2', finalBillBalance: 0 } },
      { kind: 'account-closure', reference: 'ACC-2' },
    ],
  ])('%s', (_name, fields, expected) => {
    expect(ledgerEntryFor(action(fields))).toMatchObject(expected);
  });

  it.each<[string, Partial<ApprovedAction>, string, boolean]>([
    ['a refund without an account', { amount: usd(12) }, 'missing-parameter', false],
    ['a refund without an amount', { parameters: { accountId: 'ACC-1' } }, 'missing-parameter', false],
    ['a negative credit', { parameters: { accountId: 'ACC-1' }, amount: usd(-5) }, 'invalid-amount', false],
    [
      'closing an account that still owes',
      { actionType: 'account-closure', parameters: { accountId: 'ACC-2', finalBillBalance: 40 } },
      'balance-outstanding',
      false,
    ],
    ['an action the ledger does not know', { actionType: 'salary-adjustment' }, 'unsupported-action', false],
  ])('refuses %s, for a person to correct', (_name, fields, code, retryable) => {
    const refusal = (() => {
      try {
        ledgerEntryFor(action(fields));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ExecutionFailure);
    expect(refusal).toMatchObject({ code, retryable });
  });
});
