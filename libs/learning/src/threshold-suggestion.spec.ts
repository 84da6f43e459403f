import { TalliedLabel, Verdict } from './oversight-tally';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  autoAmountThreshold,
  autoConfidenceThreshold,
  describeAmountSuggestion,
  describeSuggestion,
  suggestAmountThreshold,
  suggestThreshold,
  ThresholdSuggestion,
} from './threshold-suggestion';

const labels = (count: number, confidence: number, verdict: Verdict): TalliedLabel[] =>
  Array.from({ length: count }, () => ({ confidence, verdict }));

describe('suggestThreshold', () => {
  it.each<[string, TalliedLabel[], number, number, Partial<ThresholdSuggestion>]>([
    [
      'a reliable model: the threshold can come down',
      [...labels(40, 0.95, 'agreed'), ...labels(20, 0.75, 'agreed'), ...labels(1, 0.75, 'overridden')],
      0.9,
      0.05,
      { suggested: 0.5, toAuto: 21, toReview: 0, overrideRateAtCurrent: 0 },
    ],
    [
      'a model overridden more often at its middling confidence: the threshold goes up',
      [...labels(40, 0.95, 'agreed'), ...labels(10, 0.85, 'agreed'), ...labels(10, 0.85, 'overridden')],
      0.8,
      0.05,
      { suggested: 0.86, toAuto: 0, toReview: 20 },
    ],
    [
      'no threshold meets the target: nothing auto',
      [...labels(10, 0.99, 'overridden'), ...labels(10, 0.99, 'agreed')],
      0.9,
      0.05,
      { suggested: 1, toReview: 20, overrideRateAtSuggested: undefined },
    ],
    [
      'edits are not overrides',
      [...labels(10, 0.7, 'edited'), ...labels(10, 0.95, 'agreed')],
      0.9,
      0.05,
      { suggested: 0.5, toAuto: 10 },
    ],
  ])('%s', (_name, history, current, target, expected) => {
    expect(suggestThreshold(history, current, target)).toMatchObject({
      current,
      targetOverrideRate: target,
      labels: history.length,
      ...expected,
    });
  });
});

describe('autoConfidenceThreshold', () => {
  const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
  it.each<[string, string, number | undefined]>([
    ['telecom-billing', 'refund', 0.8],
    ['finance-ap', 'invoice-posting', 0.8],
    ['network-ops', 'config-change', undefined],
    ['unknown-function', 'anything', undefined],
  ])('reads %s/%s from the reference policy as %s', (fn, action, threshold) => {
    expect(autoConfidenceThreshold(reference, fn, action)).toBe(threshold);
  });

  it('follows a stricter confidence band', () => {
    const stricter = JSON.parse(JSON.stringify(reference));
    stricter.functions['telecom-billing'].defaults.confidenceBands = [{ below: 0.9, risk: 25 }];
    expect(autoConfidenceThreshold(stricter, 'telecom-billing', 'refund')).toBe(0.9);
  });
});

describe('describeSuggestion', () => {
  const base = { targetOverrideRate: 0.05, labels: 80, toAuto: 0, toReview: 0 };
  it.each<[Partial<ThresholdSuggestion>, string]>([
    [
      { current: 0.8, suggested: 0.86, toReview: 20 },
      'raise the confidence threshold for auto on telecom-billing/refund from 0.80 to 0.86 (20 decisions would have gone to review)',
    ],
    [
      { current: 0.8, suggested: 0.7, toAuto: 1 },
      'lower the confidence threshold for auto on telecom-billing/refund from 0.80 to 0.70 (1 decision would have run on their own)',
    ],
    [
      { current: 0.8, suggested: 0.8 },
      'keep the confidence threshold for auto on telecom-billing/refund at 0.80',
    ],
  ])('says %j in words', (suggestion, words) => {
    expect(
      describeSuggestion('telecom-billing/refund', { ...base, ...suggestion } as ThresholdSuggestion),
    ).toBe(words);
  });
});

describe('suggestAmountThreshold', () => {
  const at = (count: number, amount: number, verdict: Verdict) =>
    Array.from({ length: count }, () => ({ amount, verdict }));
  it.each<[string, { amount: number; verdict: Verdict }[], number, Partial<ThresholdSuggestion>]>([
    [
      'people agree with everything under 400: the amount can go up to it',
      [
        ...at(20, 20, 'agreed'),
        ...at(20, 150, 'agreed'),
        ...at(10, 400, 'overridden'),
        ...at(10, 400, 'agreed'),
      ],
      100,
      { suggested: 400, toAuto: 20, toReview: 0, overrideRateAtSuggested: 0 },
    ],
    [
      'overridden from 80 up: the amount comes down',
      [...at(20, 20, 'agreed'), ...at(10, 80, 'overridden'), ...at(10, 80, 'agreed')],
      100,
      { suggested: 80, toAuto: 0, toReview: 20, overrideRateAtSuggested: 0 },
    ],
    [
      'overridden even when small: nothing auto by amount',
      at(10, 5, 'overridden'),
      100,
      { suggested: 0, toReview: 10 },
    ],
    ['no labels: the threshold stays', [], 100, { suggested: 100, labels: 0 }],
    [
      'agreed with below the threshold, no answers above it: it stays',
      at(30, 12, 'agreed'),
      200,
      { suggested: 200, toAuto: 0, toReview: 0 },
    ],
  ])('%s', (_name, labels, current, expected) => {
    expect(suggestAmountThreshold(labels, current, 0.05)).toMatchObject(expected);
  });
});

describe('autoAmountThreshold', () => {
  const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
  it.each<[string, string, number | undefined]>([
    ['telecom-billing', 'refund', 200],
    ['telecom-billing', 'dispute-credit', 100],
    ['finance-ap', 'invoice-posting', 10000],
    ['network-ops', 'config-change', undefined],
  ])('reads %s/%s from the reference policy as %s', (fn, action, threshold) => {
    expect(autoAmountThreshold(reference, fn, action)).toBe(threshold);
  });
});

describe('describeAmountSuggestion', () => {
  const base = { targetOverrideRate: 0.05, labels: 60, toAuto: 0, toReview: 0 };
  it.each<[Partial<ThresholdSuggestion>, string]>([
    [
      { current: 200, suggested: 300, toAuto: 4 },
      'raise the amount from which telecom-billing/refund goes to people from 200 USD to 300 USD (4 decisions would have run on their own)',
    ],
    [
      { current: 200, suggested: 80, toReview: 1 },
      'lower the amount from which telecom-billing/refund goes to people from 200 USD to 80 USD (1 decision would have gone to review)',
    ],
    [
      { current: 200, suggested: 200 },
      'keep the amount from which telecom-billing/refund goes to people at 200 USD',
    ],
  ])('says %j in words', (suggestion, words) => {
    expect(
      describeAmountSuggestion('telecom-billing/refund', 'USD', {
        ...base,
        ...suggestion,
      } as ThresholdSuggestion),
    ).toBe(words);
  });
});
