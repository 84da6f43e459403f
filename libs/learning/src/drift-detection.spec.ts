import { detectDrift, DriftBoundsInForce } from './drift-detection';
import { TalliedLabel, Verdict } from './oversight-tally';

const labels = (count: number, verdict: Verdict, confidence = 0.9): TalliedLabel[] =>
  Array.from({ length: count }, () => ({ confidence, verdict }));
const decisions = (count: number, confidence: number) =>
  Array.from({ length: count }, () => ({ confidence }));
const bounds: DriftBoundsInForce = {
  windowLabels: 20,
  baselineLabels: 40,
  overrideRateIncrease: 0.15,
  psi: 0.25,
};
const steady = { baselineDecisions: decisions(40, 0.92), currentDecisions: decisions(20, 0.92) };

describe('detectDrift', () => {
  it.each<[string, Parameters<typeof detectDrift>[0], boolean, RegExp[]]>([
    [
      'a steady model',
      {
        ...steady,
        baselineLabels: [...labels(36, 'agreed'), ...labels(4, 'overridden')],
        currentLabels: [...labels(18, 'agreed'), ...labels(2, 'overridden')],
      },
      false,
      [],
    ],
    [
      'a model overridden 40 points more often',
      {
        ...steady,
        baselineLabels: [...labels(36, 'agreed'), ...labels(4, 'overridden')],
        currentLabels: [...labels(10, 'agreed'), ...labels(10, 'overridden')],
      },
      true,
      [/override rate rose from 10 % \(40 answers\) to 50 % \(latest 20\)/],
    ],
    [
      'a rise inside the bound',
      {
        ...steady,
        baselineLabels: [...labels(36, 'agreed'), ...labels(4, 'overridden')],
        currentLabels: [...labels(15, 'agreed'), ...labels(5, 'overridden')],
      },
      false,
      [],
    ],
    [
      'too few labels in the current window to judge',
      { ...steady, baselineLabels: labels(40, 'agreed'), currentLabels: labels(19, 'overridden') },
      false,
      [],
    ],
    [
      'too little baseline to judge',
      { ...steady, baselineLabels: labels(39, 'agreed'), currentLabels: labels(20, 'overridden') },
      false,
      [],
    ],
    [
      'a model that grew unsure',
      {
        baselineDecisions: decisions(40, 0.95),
        currentDecisions: [...decisions(10, 0.95), ...decisions(10, 0.55)],
        baselineLabels: labels(40, 'agreed'),
        currentLabels: labels(20, 'agreed'),
      },
      true,
      [/confidence distribution shifted: population stability index \d+\.\d\d over the bound 0.25/],
    ],
  ])('%s', (_name, windows, drifting, reasons) => {
    const finding = detectDrift(windows, bounds);
    expect(finding.drifting).toBe(drifting);
    expect(finding.reasons).toHaveLength(reasons.length);
    reasons.forEach((reason, i) => expect(finding.reasons[i]).toMatch(reason));
  });

  it('reports both windows whether or not it alerts', () => {
    const finding = detectDrift(
      {
        ...steady,
        baselineLabels: [...labels(30, 'agreed'), ...labels(10, 'overridden')],
        currentLabels: labels(20, 'agreed'),
      },
      bounds,
    );
    expect(finding).toMatchObject({
      baseline: { labels: 40, overrideRate: 0.25 },
      current: { labels: 20, overrideRate: 0 },
      psi: 0,
    });
  });

  it('ignores a bound the policy does not set', () => {
    const windows = {
      ...steady,
      baselineLabels: labels(40, 'agreed'),
      currentLabels: labels(20, 'overridden'),
    };
    expect(detectDrift(windows, { ...bounds, overrideRateIncrease: undefined }).drifting).toBe(false);
  });
});
