import { ApprovedAction, ExecutionFailure } from '@oversight/sdk';

/** What the demo ledger books for one carried-out action. */
export interface LedgerEntry {
  kind: 'credit' | 'ap-posting' | 'change-ticket' | 'work-stop' | 'account-closure' | 'contract-amendment';
  /** The account, vendor, network element, site or contract the entry is about. */
  reference: string;
  amount?: { value: number; currency: string };
  detail: string;
}

/** The reference scenarios' action types, each with how it is booked. */
const BOOKINGS: Record<string, (action: ApprovedAction) => LedgerEntry> = {
  refund: (action) => credit(action),
  'dispute-credit': (action) => credit(action),
  'invoice-posting': (action) => ({
    kind: 'ap-posting',
    reference: required(action, 'vendorId'),
    amount: amountOf(action),
    detail: `invoice ${required(action, 'invoiceNumber')} posted`,
  }),
  'config-change': (action) => ({
    kind: 'change-ticket',
    reference: required(action, 'element'),
    detail: `change ticket for ${required(action, 'change')}`,
  }),
  'stop-work': (action) => ({
    kind: 'work-stop',
    reference: required(action, 'siteId'),
    detail: `work stopped${typeof action.parameters.zone === 'string' ? ` in ${action.parameters.zone}` : ''}`,
  }),
  'account-closure': (action) => {
    const balance = action.parameters.finalBillBalance;
    if (typeof balance === 'number' && balance !== 0) {
      throw new ExecutionFailure(`account still owes ${balance}: settle the final bill before closing`, {
        code: 'balance-outstanding',
        context: { finalBillBalance: balance },
      });
    }
    return { kind: 'account-closure', reference: required(action, 'accountId'), detail: 'account closed' };
  },
  'contract-amendment': (action) => ({
    kind: 'contract-amendment',
    reference: required(action, 'contractId'),
    ...(action.amount ? { amount: amountOf(action) } : {}),
    detail: `amendment recorded${typeof action.parameters.clause === 'string' ? `: ${action.parameters.clause}` : ''}`,
  }),
};

export const LEDGER_ACTION_TYPES = Object.keys(BOOKINGS);

/**
 * Books an approved action, or says why it cannot be booked: a missing or wrong parameter is not retryable (a
 * person must correct it).
 */
export function ledgerEntryFor(action: ApprovedAction): LedgerEntry {
  const book = BOOKINGS[action.actionType];
  if (!book) {
    throw new ExecutionFailure(`the demo ledger does not carry out ${action.actionType}`, {
      code: 'unsupported-action',
    });
  }
  return book(action);
}

function credit(action: ApprovedAction): LedgerEntry {
  const amount = amountOf(action);
  if (amount.value <= 0) {
    throw new ExecutionFailure(`a credit must be positive, not ${amount.value}`, {
      code: 'invalid-amount',
      context: { amount },
    });
  }
  return { kind: 'credit', reference: required(action, 'accountId'), amount, detail: 'account credited' };
}

function required(action: ApprovedAction, name: string): string {
  const value = action.parameters[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new ExecutionFailure(`parameter ${name} is missing: ${action.actionType} needs it`, {
    code: 'missing-parameter',
    context: { missing: name },
  });
}

function amountOf(action: ApprovedAction): { value: number; currency: string } {
  if (!action.amount) {
    throw new ExecutionFailure(`${action.actionType} needs an amount`, {
      code: 'missing-parameter',
      context: { missing: 'amount' },
    });
  }
  return { value: action.amount.value, currency: action.amount.currency };
}
