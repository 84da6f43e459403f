import { Label, Verdict } from './oversight-tally';
import { suggestThreshold, ThresholdSuggestion } from './threshold-suggestion';

const labels = (count: number, confidence: number, verdict: Verdict): Label[] =>
  Array.from({ length: count }, (_, i) => ({
    decisionId: `dec-${confidence}-${verdict}-${i}`,
    modelId: 'gpt-ops',
    modelVersion: '2026-10-01',
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    confidence,
    verdict,
  }));

describe('suggestThreshold', () => {
  it.each<[string, Label[], number, number, Partial<ThresholdSuggestion>]>([
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
