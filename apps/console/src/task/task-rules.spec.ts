import type { ReviewTaskView, TimelineEntry } from '../api/types';
import { describeEntry, parseParameters, rescoreSummary } from './task-rules';

describe('the re-score summary after an edit', () => {
  const before = { score: 40, tier: 'medium', approvalsRequired: 1 } as ReviewTaskView;
  it.each([
    ['nothing changed', before, undefined],
    [
      'riskier: higher tier and quorum',
      { score: 75, tier: 'high', approvalsRequired: 2 },
      'Re-scored after your edit: score 40 → 75, tier medium → high, approvals required 1 → 2.',
    ],
    [
      'score only',
      { score: 35, tier: 'medium', approvalsRequired: 1 },
      'Re-scored after your edit: score 40 → 35.',
    ],
  ])('%s', (_name, after, text) => {
    expect(rescoreSummary(before, after as ReviewTaskView)).toBe(text);
  });
});

describe('edited parameters', () => {
  it.each([
    ['{"creditAmount": 120}', { ok: true, value: { creditAmount: 120 } }],
    ['[1, 2]', { ok: false, error: 'The parameters must be a JSON object, like {"creditAmount": 120}.' }],
    ['null', { ok: false, error: 'The parameters must be a JSON object, like {"creditAmount": 120}.' }],
  ])('%s', (text, result) => expect(parseParameters(text)).toEqual(result));

  it('names a syntax error in words', () => {
    const parsed = parseParameters('{creditAmount: 1}');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/^The parameters are not valid JSON: /);
  });
});

describe('timeline lines', () => {
  const entry = (type: string, payload: Record<string, unknown>, producer = 'escalation'): TimelineEntry => ({
    occurredAt: '2026-11-27T10:00:00Z',
    seq: 1,
    event: { type, eventId: 'e1', payload, producer },
  });
  it.each([
    [
      'an approval on behalf of someone',
      entry('ReviewActivity', {
        act: 'approved',
        actor: { id: 'sue', onBehalfOf: 'bella' },
        quorum: { given: 1, required: 2 },
      }),
      { what: 'review approved', who: 'sue for bella', detail: '1 of 2 approvals' },
    ],
    [
      'a rejection with its reason',
      entry('ReviewActivity', {
        act: 'rejected',
        actor: { id: 'lena' },
        reasonCode: 'risk-too-high',
        comment: 'exposure',
        quorum: { given: 0, required: 2 },
      }),
      { what: 'review rejected', who: 'lena', detail: 'risk-too-high · exposure · 0 of 2 approvals' },
    ],
    [
      'a human approval with its approvers',
      entry('ActionApproved', { mode: 'human', approvers: [{ id: 'lena' }, { id: 'fiona' }] }),
      { what: 'ActionApproved', who: 'escalation', detail: 'mode human · by lena, fiona' },
    ],
    [
      'a score',
      entry('DecisionScored', { score: 80, tier: 'critical' }, 'scoring'),
      { what: 'DecisionScored', who: 'scoring', detail: 'score 80, tier critical' },
    ],
    [
      'a failed try handed to people',
      entry('ActionFailed', { attempt: 3, error: { code: 'erp-down' }, willRetry: false }, 'ledger'),
      { what: 'ActionFailed', who: 'ledger', detail: 'try 3 failed: erp-down · to a person' },
    ],
    [
      "a person's retry",
      entry('ExecutionRetryRequested', { attempt: 2, requestedBy: { id: 'ada' }, comment: 'bill settled' }),
      { what: 'ExecutionRetryRequested', who: 'ada', detail: 'try 2 asked for: bill settled' },
    ],
    [
      "a supervisor's reversal",
      entry('ReversalRequested', { requestedBy: { id: 'vera' }, comment: 'fraud ring' }, 'gateway'),
      { what: 'ReversalRequested', who: 'vera', detail: 'fraud ring' },
    ],
    ['anything else', entry('DecisionProposed', {}, 'gateway'), { what: 'DecisionProposed', who: 'gateway' }],
  ])('%s', (_name, line, expected) => expect(describeEntry(line)).toEqual(expected));
});
