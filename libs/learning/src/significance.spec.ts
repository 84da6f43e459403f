import { chiSquareP, higherRateP, homogeneityTest, lnGamma } from './significance';

describe('lnGamma', () => {
  it.each<[number, number]>([
    [1, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [101, 363.73937555556347], // ln 100!
  ])('ln Γ(%d)', (x, expected) => {
    expect(lnGamma(x)).toBeCloseTo(expected, 9);
  });

  it('refuses arguments it is not accurate for', () => {
    expect(() => lnGamma(0.2)).toThrow(RangeError);
  });
});

describe('higherRateP (one-sided Fisher exact test)', () => {
  it.each<[string, [number, number, number, number], number]>([
    // Fisher's tea tasting: 3 of 4 against 1 of 4 is (16 + 1) / 70.
    ['the lady tasting tea', [3, 4, 1, 4], 17 / 70],
    ['all 20 against none of 40: 1 / C(60, 20)', [20, 20, 0, 40], 1 / 4191844505805495],
    ['a lower rate is no evidence of a higher one', [0, 20, 10, 40], 1],
    // Exact hypergeometric tails, from the binomial coefficients.
    ['the same rate', [2, 20, 4, 40], 87014 / 131747],
    ['4 of 20 against none of 40: C(20, 4) / C(60, 4)', [4, 20, 0, 40], 4845 / 487635],
  ])('%s', (_name, [hits, trials, baselineHits, baselineTrials], expected) => {
    const p = higherRateP(hits, trials, baselineHits, baselineTrials);
    expect(p / expected).toBeCloseTo(1, 3);
  });
});

describe('chiSquareP', () => {
  it.each<[number, number, number]>([
    [3.841459, 1, 0.05],
    [6.634897, 1, 0.01],
    [21.66599, 9, 0.01],
    [2, 2, Math.exp(-1)],
    [0, 3, 1],
    [60, 1, 9.485e-15],
  ])('P(χ² > %d, %d degrees of freedom)', (statistic, degreesOfFreedom, expected) => {
    expect(chiSquareP(statistic, degreesOfFreedom) / expected).toBeCloseTo(1, 3);
  });
});

describe('homogeneityTest', () => {
  it.each<[string, number[], number[], { groups: number; degreesOfFreedom: number } | undefined]>([
    ['bins with enough counts stay apart', [50, 50, 100], [25, 25, 50], { groups: 3, degreesOfFreedom: 2 }],
    // Expected in the smaller window: 1·(100/400)… the stray bins join their neighbours until each expects 5.
    [
      'sparse bins are pooled with a neighbour',
      [1, 0, 2, 147, 150],
      [1, 0, 0, 49, 50],
      { groups: 2, degreesOfFreedom: 1 },
    ],
    ['everything in one bin leaves nothing to compare', [0, 40], [0, 20], undefined],
    ['a stray decision alone is pooled away', [0, 40], [1, 19], undefined],
    ['an empty window', [10, 10], [0, 0], undefined],
  ])('%s', (_name, baseline, current, expected) => {
    const test = homogeneityTest(baseline, current);
    if (expected === undefined) expect(test).toBeUndefined();
    else expect(test).toMatchObject(expected);
  });

  it('finds the same distribution at p = 1 and a moved one far below any level', () => {
    expect(homogeneityTest([50, 50, 100], [25, 25, 50])).toMatchObject({ statistic: 0, pValue: 1 });
    expect(homogeneityTest([10, 30, 160], [80, 60, 60])!.pValue).toBeLessThan(1e-12);
  });
});
