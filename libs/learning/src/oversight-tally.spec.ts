import {
  addLabel,
  bucketOf,
  emptyTally,
  TalliedLabel,
  mergeTallies,
  OversightTally,
  populationStabilityIndex,
  ratesOf,
  reliabilityOf,
  Verdict,
} from './oversight-tally';

const label = (confidence: number, verdict: Verdict): TalliedLabel => ({ confidence, verdict });

const tallyOf = (...labels: TalliedLabel[]): OversightTally => labels.reduce(addLabel, emptyTally());
const many = (count: number, confidence: number, verdict: Verdict) =>
  Array.from({ length: count }, () => label(confidence, verdict));

describe('oversight tally', () => {
  it.each<[number, number]>([
    [0, 0],
    [0.05, 0],
    [0.1, 1],
    [0.95, 9],
    [1, 9],
  ])('puts confidence %s in bucket %s', (confidence, bucket) => {
    expect(bucketOf(confidence)).toBe(bucket);
  });

  it.each<[string, TalliedLabel[], ReturnType<typeof ratesOf>]>([
    ['no labels', [], { labels: 0 }],
    [
      'three agreements and one override',
      [...many(3, 0.9, 'agreed'), label(0.9, 'overridden')],
      { labels: 4, agreementRate: 0.75, overrideRate: 0.25, editRate: 0 },
    ],
    [
      'an edit counts as neither agreement nor override',
      [label(0.8, 'agreed'), label(0.8, 'edited')],
      { labels: 2, agreementRate: 0.5, overrideRate: 0, editRate: 0.5 },
    ],
  ])('rates %s', (_name, labels, expected) => {
    expect(ratesOf(tallyOf(...labels))).toEqual(expected);
  });

  it('merges two tallies into the tally of all their labels', () => {
    const first = [label(0.9, 'agreed'), label(0.35, 'overridden')];
    const second = [label(0.92, 'edited'), label(0.5, 'agreed')];
    expect(mergeTallies(tallyOf(...first), tallyOf(...second))).toEqual(tallyOf(...first, ...second));
  });

  it.each<[string, TalliedLabel[], number]>([
    [
      'perfectly calibrated: 90 % confident, 9 in 10 agreed',
      [...many(9, 0.9, 'agreed'), label(0.9, 'overridden')],
      0,
    ],
    [
      'overconfident: 90 % confident, half agreed',
      [...many(5, 0.9, 'agreed'), ...many(5, 0.9, 'overridden')],
      0.4,
    ],
    [
      'two buckets, weighted by their labels',
      [...many(4, 0.95, 'agreed'), ...many(4, 0.25, 'agreed')],
      // |0.95 − 1| · ½ + |0.25 − 1| · ½
      0.4,
    ],
  ])('finds the expected calibration error when %s', (_name, labels, ece) => {
    expect(reliabilityOf(tallyOf(...labels)).expectedCalibrationError).toBeCloseTo(ece, 10);
  });

  it('lists the reliability of each bucket that has labels', () => {
    expect(reliabilityOf(tallyOf(label(0.92, 'agreed'), label(0.98, 'overridden'))).buckets).toEqual([
      { from: 0.9, to: 1, labels: 2, meanConfidence: 0.95, agreementRate: 0.5 },
    ]);
  });

  it.each<[string, TalliedLabel[], TalliedLabel[], (psi: number) => boolean]>([
    [
      'the same distribution is stable',
      many(10, 0.9, 'agreed'),
      many(30, 0.93, 'agreed'),
      (psi) => psi === 0,
    ],
    [
      'a small shift stays under 0.1',
      [...many(50, 0.95, 'agreed'), ...many(50, 0.85, 'agreed')],
      [...many(55, 0.95, 'agreed'), ...many(45, 0.85, 'agreed')],
      (psi) => psi > 0 && psi < 0.1,
    ],
    [
      'a model that grew unsure is a major shift',
      many(100, 0.95, 'agreed'),
      [...many(50, 0.95, 'agreed'), ...many(50, 0.55, 'agreed')],
      (psi) => psi > 0.25,
    ],
  ])('measures population stability: %s', (_name, baseline, current, check) => {
    const psi = populationStabilityIndex(tallyOf(...baseline), tallyOf(...current));
    expect(psi).toBeDefined();
    expect(check(psi as number)).toBe(true);
  });

  it('has no stability index without labels on both sides', () => {
    expect(populationStabilityIndex(emptyTally(), tallyOf(label(0.9, 'agreed')))).toBeUndefined();
  });
});
