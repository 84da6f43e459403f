/**
 * The demo's upstream agents: a realistic, reproducible mixed stream of proposals from the reference policy's
 * six business functions, plus a few the policy does not name, and ~3% malformed messages. Most of it is
 * routine (small refunds, clean invoices); some of it is risky. Pure: no I/O, the seed fixes the content.
 *
 * Each scenario names the route the reference policy (libs/policy/policies/reference.yaml) gives it, with the
 * score that leads there, so a run can be checked against the policy at a glance.
 */
import { DecisionProposed, PartyKind, Reversibility, Route } from '@oversight/contracts';
import { SeededRandom } from './random';

/** What the reference policy does with a scenario, or that its messages never reach scoring at all. */
export type ExpectedFate = Route | 'dead-letter';

export type DemoMessage =
  | {
      kind: 'decision';
      seq: number;
      /** Also the Kafka key. */
      decisionId: string;
      scenario: string;
      proposal: DecisionProposed;
    }
  | {
      kind: 'malformed';
      seq: number;
      /** The Kafka key, shaped like a decisionId. */
      key: string;
      scenario: string;
      /** Sent as is, bypassing the publisher's validation. */
      value: string;
    };

interface ScenarioBase {
  id: string;
  /** Short enough for a summary table. */
  label: string;
  /** Share of the stream, in percent. */
  weight: number;
  expect: ExpectedFate;
}

interface DecisionScenario extends ScenarioBase {
  kind: 'decision';
  build(r: SeededRandom): DecisionProposed;
}

interface MalformedScenario extends ScenarioBase {
  kind: 'malformed';
  /** Turns a well-formed event (envelope and payload, as plain JSON) into the bytes that are sent. */
  corrupt(event: Record<string, unknown>, r: SeededRandom): string;
}

export type Scenario = DecisionScenario | MalformedScenario;

export interface DemoStreamOptions {
  seed: number;
  /** Every decisionId and key starts with this, so the run's traffic can be told from anyone else's. */
  idPrefix: string;
  /** The envelope's `producer` on malformed messages (well-formed ones are enveloped by the caller). */
  producer?: string;
  now?: () => Date;
}

const money = (value: number, currency = 'USD') =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value);
const usd = (value: number) => ({ value, currency: 'USD' });
const padded = (r: SeededRandom, digits: number) => String(r.int(0, 10 ** digits - 1)).padStart(digits, '0');

const BILLING_AGENT = { id: 'billing-assistant', modelId: 'gpt-ops' };
const REFUND_REASONS = [
  { code: 'duplicate-charge', says: 'was charged twice for the same roaming pack' },
  { code: 'service-outage-credit', says: 'lost service for most of a day during the regional outage' },
  { code: 'late-fee-waiver', says: 'paid on time but the payment posted a day late' },
  { code: 'plan-change-proration', says: 'was billed the full month after downgrading mid-cycle' },
  { code: 'goodwill', says: 'had three failed support callbacks this month' },
] as const;
const VENDORS = [
  'Acme Fasteners',
  'Nordwind Logistics',
  'Helios Fibre',
  'Brightline Office Supply',
  'Kessler Cable Works',
  'Ostrava Steel Trading',
];
const SAFETY_ISSUES = [
  { document: 'scaffold-inspection', says: 'the scaffold inspection certificate expired yesterday' },
  { document: 'hot-work-permit', says: 'welding started without a signed hot-work permit' },
  { document: 'fall-protection-plan', says: 'the fall-protection plan for level 6 is not signed off' },
  { document: 'lift-plan', says: 'the crane lift plan predates the new load chart' },
];
const NETWORK_CHANGES = [
  'raise the BGP max-prefix limit on the transit session',
  'update the QoS policy on the metro uplink',
  'change the OSPF cost to drain traffic before maintenance',
  'rotate the SNMP credentials',
];
const COUNTERPARTIES = ['Helios Fibre', 'Nordwind Logistics', 'Vantor Towers', 'Meridian Data Centres'];
const UNNAMED_ACTIONS = [
  { businessFunction: 'procurement', actionType: 'purchase-order', what: 'raise a purchase order for' },
  { businessFunction: 'hr-payroll', actionType: 'salary-adjustment', what: 'apply a salary adjustment of' },
  { businessFunction: 'marketing', actionType: 'campaign-budget', what: 'increase a campaign budget by' },
];

function billingRefund(
  r: SeededRandom,
  amount: number,
  { confidence = r.between(0.86, 0.99), currency = 'USD', reversibility = Reversibility.Reversible } = {},
): DecisionProposed {
  const reason = r.pick(REFUND_REASONS);
  const invoiceId = `INV-2026-${padded(r, 5)}`;
  const byPerson = r.chance(0.15);
  return {
    agent: { ...BILLING_AGENT, modelVersion: r.chance(0.8) ? '2026-10-01' : '2026-11-15' },
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    parameters: { accountId: `ACC-${padded(r, 5)}`, invoiceId, reasonCode: reason.code },
    amount: { value: amount, currency },
    confidence,
    reversibility,
    requester: byPerson
      ? { kind: PartyKind.User, id: `csr-${padded(r, 4)}` }
      : { kind: PartyKind.Agent, id: BILLING_AGENT.id },
    subject: { kind: 'customer', id: `CUST-${padded(r, 5)}` },
    context: {
      summary: `Customer ${reason.says}; refund ${money(amount, currency)} on ${invoiceId}.`,
      links: [{ label: `Invoice ${invoiceId}`, url: `https://billing.example.com/invoices/${invoiceId}` }],
      conversationId: `chat-${padded(r, 6)}`,
    },
  };
}

function invoicePosting(
  r: SeededRandom,
  amount: number,
  problem: 'none' | 'priceMismatch' | 'receiptMissing' = 'none',
): DecisionProposed {
  const vendor = r.pick(VENDORS);
  const vendorId = `VEND-${padded(r, 4)}`;
  const invoiceNumber = `AP-${padded(r, 6)}`;
  const purchaseOrder = `PO-2026-${padded(r, 5)}`;
  const finding = {
    none: `matched to ${purchaseOrder} and its goods receipt`,
    priceMismatch: `unit prices are ${r.int(3, 18)}% above ${purchaseOrder}`,
    receiptMissing: `no goods receipt yet for ${purchaseOrder}`,
  }[problem];
  return {
    agent: { id: 'ap-invoice-agent', modelId: 'doc-extract', modelVersion: '3.2' },
    businessFunction: 'finance-ap',
    actionType: 'invoice-posting',
    parameters: {
      vendorId,
      invoiceNumber,
      purchaseOrder,
      lineItems: r.int(1, 24),
      priceMismatch: problem === 'priceMismatch',
      receiptMissing: problem === 'receiptMissing',
    },
    amount: usd(amount),
    confidence: r.between(0.9, 0.995, 3),
    reversibility: Reversibility.Reversible,
    requester: { kind: PartyKind.Agent, id: 'ap-invoice-agent' },
    subject: { kind: 'vendor', id: vendorId },
    context: {
      summary: `Post ${vendor} invoice ${invoiceNumber} for ${money(amount)}: ${finding}.`,
      links: [{ label: `Invoice ${invoiceNumber}`, url: `https://erp.example.com/ap/${invoiceNumber}` }],
    },
  };
}

function networkChange(r: SeededRandom, confidence: number, reversibility: Reversibility): DecisionProposed {
  const element = `core-rtr-${r.pick(['fra', 'ams', 'lon', 'mad'])}-0${r.int(1, 4)}`;
  const ticket = `CHG-${padded(r, 6)}`;
  const change = r.pick(NETWORK_CHANGES);
  return {
    agent: { id: 'netops-copilot', modelId: 'gpt-ops', modelVersion: '2026-10-01' },
    businessFunction: 'network-ops',
    actionType: 'config-change',
    parameters: { element, ticket, change, rollbackPlan: true },
    confidence,
    reversibility,
    requester: { kind: PartyKind.Agent, id: 'netops-copilot' },
    subject: { kind: 'network-element', id: element },
    context: {
      summary: `On ${element}: ${change} (${ticket}).`,
      links: [{ label: ticket, url: `https://itsm.example.com/changes/${ticket}` }],
    },
  };
}

function contractAmendment(r: SeededRandom, amount: number): DecisionProposed {
  const contractId = `CTR-2026-${padded(r, 4)}`;
  const counterparty = r.pick(COUNTERPARTIES);
  const change = r.pick([
    'extend the term by 12 months',
    'raise the volume commitment',
    'add service credits',
  ]);
  return {
    agent: { id: 'contract-analyst', modelId: 'legal-lm', modelVersion: '1.4' },
    businessFunction: 'contract-management',
    actionType: 'contract-amendment',
    parameters: { contractId, counterparty, change },
    amount: usd(amount),
    confidence: r.between(0.85, 0.97, 3),
    reversibility: Reversibility.PartiallyReversible,
    requester: { kind: PartyKind.User, id: `legal-${padded(r, 3)}` },
    subject: { kind: 'contract', id: contractId },
    context: {
      summary: `Amend ${contractId} with ${counterparty}: ${change}, worth ${money(amount)} over the term.`,
      links: [{ label: contractId, url: `https://clm.example.com/contracts/${contractId}` }],
    },
  };
}

/**
 * The mix, in percent of the stream. Scores are the reference policy's: tiers start at 30 (medium), 60 (high)
 * and 85 (critical); telecom-billing auto-approves low, finance-ap auto-approves low, the rest is reviewed.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    kind: 'decision',
    id: 'routine-refund',
    label: 'refund $5-40',
    weight: 43.7,
    expect: 'auto', // sensitivity 5 → low
    build: (r) => billingRefund(r, r.between(5, 40)),
  },
  {
    kind: 'decision',
    id: 'goodwill-refund',
    label: 'refund $50-180',
    weight: 6,
    expect: 'auto', // 5 + amount 20 → low
    build: (r) => billingRefund(r, r.between(50, 180)),
  },
  {
    kind: 'decision',
    id: 'unsure-refund',
    label: 'refund, model unsure',
    weight: 3,
    expect: 'review', // 5 + confidence below 0.8: 25 → medium
    build: (r) => billingRefund(r, r.between(8, 40), { confidence: r.between(0.62, 0.78) }),
  },
  {
    kind: 'decision',
    id: 'foreign-refund',
    label: 'refund in EUR',
    weight: 1,
    expect: 'review', // 5 + foreign currency 30 → medium
    build: (r) => billingRefund(r, r.between(10, 40), { currency: 'EUR' }),
  },
  {
    kind: 'decision',
    id: 'disputed-charge',
    label: 'disputed charge $100-950',
    weight: 5,
    expect: 'review', // 5 + amount 30 → medium
    build: (r) => {
      const amount = r.between(100, 950);
      const proposal = billingRefund(r, amount);
      return {
        ...proposal,
        actionType: 'dispute-credit',
        parameters: {
          ...proposal.parameters,
          reasonCode: 'customer-dispute',
          disputeId: `DSP-${padded(r, 5)}`,
        },
        context: {
          ...proposal.context,
          summary: `Customer disputes a ${money(amount)} premium-SMS charge they say they never subscribed to; credit it.`,
        },
      };
    },
  },
  {
    kind: 'decision',
    id: 'critical-refund',
    label: 'refund, unsure + irreversible',
    weight: 0.5,
    expect: 'block', // 5 + 40 + 45 + 25 → critical
    build: (r) =>
      billingRefund(r, r.between(250, 900), {
        confidence: r.between(0.2, 0.45),
        reversibility: Reversibility.Irreversible,
      }),
  },
  {
    kind: 'decision',
    id: 'clean-invoice',
    label: 'invoice, clean',
    weight: 22,
    expect: 'auto', // sensitivity 20 → low
    build: (r) => invoicePosting(r, r.between(180, 9800)),
  },
  {
    kind: 'decision',
    id: 'large-invoice',
    label: 'invoice, $12-80k',
    weight: 2,
    expect: 'review', // 20 + amount 20 → medium
    build: (r) => invoicePosting(r, r.between(12_000, 80_000)),
  },
  {
    kind: 'decision',
    id: 'price-mismatch',
    label: 'invoice, price mismatch',
    weight: 3,
    expect: 'review', // 20 + flag 40 → high
    build: (r) => invoicePosting(r, r.between(300, 8000), 'priceMismatch'),
  },
  {
    kind: 'decision',
    id: 'receipt-missing',
    label: 'invoice, no receipt',
    weight: 2,
    expect: 'review', // 20 + flag 40 → high
    build: (r) => invoicePosting(r, r.between(300, 8000), 'receiptMissing'),
  },
  {
    kind: 'decision',
    id: 'stop-work',
    label: 'stop-work flag',
    weight: 2,
    expect: 'review', // 45 + partially reversible 10 → medium
    build: (r) => {
      const site = `SITE-${r.pick(['N12', 'E07', 'W33', 'S21'])}`;
      const issue = r.pick(SAFETY_ISSUES);
      return {
        agent: { id: 'site-safety-monitor', modelId: 'vision-docs', modelVersion: '2026-09' },
        businessFunction: 'construction-safety',
        actionType: 'stop-work',
        parameters: { siteId: site, zone: `level-${r.int(1, 9)}`, documentType: issue.document },
        confidence: r.between(0.85, 0.97, 3),
        reversibility: Reversibility.PartiallyReversible,
        requester: { kind: PartyKind.Agent, id: 'site-safety-monitor' },
        subject: { kind: 'site', id: site },
        context: { summary: `Stop work in ${site}: ${issue.says}.` },
      };
    },
  },
  {
    kind: 'decision',
    id: 'config-change',
    label: 'network config change',
    weight: 2,
    expect: 'review', // 45 → medium
    build: (r) => networkChange(r, r.between(0.86, 0.98, 3), Reversibility.Reversible),
  },
  {
    kind: 'decision',
    id: 'risky-config-change',
    label: 'config change, unsure',
    weight: 0.5,
    expect: 'block', // 45 + confidence below 0.5: 30 + 10 → critical
    build: (r) => networkChange(r, r.between(0.3, 0.45, 3), Reversibility.PartiallyReversible),
  },
  {
    kind: 'decision',
    id: 'account-closure',
    label: 'account closure',
    weight: 1.5,
    expect: 'review', // 45 + irreversible 25 → high
    build: (r) => {
      const accountId = `ACC-${padded(r, 5)}`;
      const why = r.pick(["at the customer's request in chat", 'after the merge into a duplicate account']);
      return {
        agent: { id: 'account-care-agent', modelId: 'gpt-ops', modelVersion: '2026-10-01' },
        businessFunction: 'customer-accounts',
        actionType: 'account-closure',
        parameters: { accountId, finalBillBalance: 0 },
        confidence: r.between(0.88, 0.99, 3),
        reversibility: Reversibility.Irreversible,
        requester: { kind: PartyKind.Agent, id: 'account-care-agent' },
        subject: { kind: 'account', id: accountId },
        context: { summary: `Close account ${accountId} ${why}; the final bill is settled.` },
      };
    },
  },
  {
    kind: 'decision',
    id: 'contract-amendment',
    label: 'contract amendment <$100k',
    weight: 1,
    expect: 'review', // 20 + 10 → medium
    build: (r) => contractAmendment(r, r.between(20_000, 95_000, 0)),
  },
  {
    kind: 'decision',
    id: 'large-amendment',
    label: 'contract amendment $1-5M',
    weight: 0.6,
    expect: 'review', // 20 + 45 + 10 → high, two approvers
    build: (r) => contractAmendment(r, r.between(1_200_000, 4_500_000, 0)),
  },
  {
    kind: 'decision',
    id: 'huge-amendment',
    label: 'contract amendment >$5M',
    weight: 0.2,
    expect: 'block', // high, but no review role may approve more than $5M
    build: (r) => contractAmendment(r, r.between(6_000_000, 9_000_000, 0)),
  },
  {
    kind: 'decision',
    id: 'unnamed-function',
    label: 'function not in the policy',
    weight: 1,
    expect: 'review', // policy defaults: sensitivity 45 → medium, never auto; within the officer's $10k
    build: (r) => {
      const action = r.pick(UNNAMED_ACTIONS);
      const amount = r.between(500, 9_000, 0);
      return {
        agent: { id: 'ops-generalist', modelId: 'gpt-ops', modelVersion: '2026-10-01' },
        businessFunction: action.businessFunction,
        actionType: action.actionType,
        parameters: { reference: `REQ-${padded(r, 6)}` },
        amount: usd(amount),
        confidence: r.between(0.86, 0.98, 3),
        reversibility: Reversibility.Reversible,
        requester: { kind: PartyKind.User, id: `ops-${padded(r, 3)}` },
        context: { summary: `Asked to ${action.what} ${money(amount)}.` },
      };
    },
  },
  {
    kind: 'malformed',
    id: 'not-json',
    label: 'malformed: not JSON',
    weight: 0.75,
    expect: 'dead-letter',
    corrupt: (event, r) => {
      const json = JSON.stringify(event);
      return json.slice(0, r.int(20, json.length - 2));
    },
  },
  {
    kind: 'malformed',
    id: 'confidence-7',
    label: 'malformed: confidence 7',
    weight: 0.75,
    expect: 'dead-letter',
    corrupt: (event) => JSON.stringify({ ...event, payload: { ...payloadOf(event), confidence: 7 } }),
  },
  {
    kind: 'malformed',
    id: 'operator-key',
    label: 'malformed: $where key',
    weight: 0.75,
    expect: 'dead-letter',
    corrupt: (event) => {
      const payload = payloadOf(event);
      const parameters = { ...(payload.parameters as object), $where: 'this.balance > 0' };
      return JSON.stringify({ ...event, payload: { ...payload, parameters } });
    },
  },
  {
    kind: 'malformed',
    id: 'negative-amount',
    label: 'malformed: negative amount',
    weight: 0.75,
    expect: 'dead-letter',
    corrupt: (event) =>
      JSON.stringify({ ...event, payload: { ...payloadOf(event), amount: { value: -25, currency: 'USD' } } }),
  },
];

function payloadOf(event: Record<string, unknown>): Record<string, unknown> {
  return event.payload as Record<string, unknown>;
}

/** The business functions the stream proposes actions in (a halt of one of them changes the demo's routes). */
export const DEMO_FUNCTIONS: readonly string[] = [
  'telecom-billing',
  'finance-ap',
  'construction-safety',
  'network-ops',
  'customer-accounts',
  'contract-management',
  ...UNNAMED_ACTIONS.map((action) => action.businessFunction),
];

/**
 * An endless stream of demo messages. The seed fixes every proposal, every malformed message and their order;
 * only the ids (from `idPrefix`) and the timestamps of malformed envelopes differ between runs.
 */
export function* demoStream(options: DemoStreamOptions): Generator<DemoMessage, never> {
  const r = new SeededRandom(options.seed);
  const now = options.now ?? (() => new Date());
  const routine = SCENARIOS[0] as DecisionScenario;
  for (let seq = 1; ; seq++) {
    const id = `${options.idPrefix}${String(seq).padStart(6, '0')}`;
    const scenario = r.weighted(SCENARIOS);
    if (scenario.kind === 'decision') {
      yield { kind: 'decision', seq, decisionId: id, scenario: scenario.id, proposal: scenario.build(r) };
      continue;
    }
    // A broken copy of a routine refund, in a full envelope, as a buggy agent or a hand-written script sends it.
    const event = {
      eventId: r.uuid(),
      type: 'DecisionProposed',
      schemaVersion: 1,
      occurredAt: now().toISOString(),
      decisionId: id,
      correlationId: id,
      producer: options.producer ?? 'demo',
      payload: routine.build(r),
    };
    yield { kind: 'malformed', seq, key: id, scenario: scenario.id, value: scenario.corrupt(event, r) };
  }
}
