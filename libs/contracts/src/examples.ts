import { DecisionProposed, PartyKind, Reversibility } from './events/decision-proposed';

/**
 * A well-formed DecisionProposed payload, as an upstream billing agent would send it. Documentation, demos and
 * tests start from it and change what they need.
 */
export function exampleDecisionProposed(overrides: Partial<DecisionProposed> = {}): DecisionProposed {
  return {
    agent: { id: 'billing-assistant', modelId: 'gpt-ops', modelVersion: '2026-10-01' },
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    parameters: { accountId: 'ACC-10442', invoiceId: 'INV-2026-0917', reasonCode: 'duplicate-charge' },
    amount: { value: 12, currency: 'USD' },
    confidence: 0.97,
    reversibility: Reversibility.Reversible,
    requester: { kind: PartyKind.Agent, id: 'billing-assistant' },
    subject: { kind: 'customer', id: 'CUST-88213' },
    context: {
      summary: 'Customer was charged twice for the October roaming pack; refund the duplicate $12 charge.',
      links: [{ label: 'Invoice INV-2026-0917', url: 'https://billing.example.com/invoices/INV-2026-0917' }],
      conversationId: 'chat-5521',
    },
    ...overrides,
  };
}
