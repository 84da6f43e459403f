/**
 * The two tests drift needs, exact or standard enough to be read as p-values: whether one window's rate is
 * higher than another's (one-sided Fisher exact test), and whether two windows' counts over the same bins
 * come from one distribution (chi-square test of homogeneity). Pure arithmetic, no dependencies.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x ≥ 0.5 (Lanczos, g = 7: about 15 significant digits, plenty for p-values). */
export function lnGamma(x: number): number {
  if (!(x >= 0.5)) throw new RangeError(`lnGamma is defined here for x ≥ 0.5, not ${x}`);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const lnChoose = (n: number, k: number) => lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);

/**
 * One-sided Fisher exact test that `hits` of `trials` is a higher rate than `baselineHits` of
 * `baselineTrials`: the chance, with both windows drawn from one rate, that the first holds at least `hits`
 * of all the hits (hypergeometric upper tail). Exact, so a window expecting two or three overrides is judged
 * as fairly as one expecting two hundred.
 */
export function higherRateP(
  hits: number,
  trials: number,
  baselineHits: number,
  baselineTrials: number,
): number {
  const total = trials + baselineTrials;
  const allHits = hits + baselineHits;
  const most = Math.min(allHits, trials);
  const lnAll = lnChoose(total, trials);
  let p = 0;
  for (let x = hits; x <= most; x++) {
    const term = Math.exp(lnChoose(allHits, x) + lnChoose(total - allHits, trials - x) - lnAll);
    p += term;
    // Past the mode the terms only shrink: stop once they no longer change the sum.
    if (term < p * 1e-16) break;
  }
  return Math.min(1, p);
}

/**
 * Regularized upper incomplete gamma Q(a, x): a series below a + 1, Lentz's continued fraction above, which
 * keeps small tails (the ones that matter here) accurate.
 */
function upperGammaRegularized(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPrefix = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(lnPrefix) * h);
}

/** P(χ² with `degreesOfFreedom` > `statistic`). */
export function chiSquareP(statistic: number, degreesOfFreedom: number): number {
  return upperGammaRegularized(degreesOfFreedom / 2, statistic / 2);
}

/** The smallest expected count per cell for which the chi-square approximation is trusted (Cochran). */
const MIN_EXPECTED = 5;

export interface HomogeneityTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** How many groups of adjacent bins were compared, after pooling the sparse ones. */
  groups: number;
}

/**
 * Chi-square test that two windows' counts over the same ordered bins come from one distribution. Adjacent
 * bins are pooled until every cell expects at least five counts, since sparse bins (a bin that one stray
 * low-confidence decision lands in) are what make small windows look shifted. Undefined when fewer than two
 * groups remain: at that resolution there is nothing to compare.
 */
export function homogeneityTest(
  baseline: readonly number[],
  current: readonly number[],
): HomogeneityTest | undefined {
  const baselineTotal = baseline.reduce((sum, n) => sum + n, 0);
  const currentTotal = current.reduce((sum, n) => sum + n, 0);
  const total = baselineTotal + currentTotal;
  if (baselineTotal === 0 || currentTotal === 0) return undefined;
  // The smaller window's cell is the one that runs short: its expected count is its share of the bin.
  const neededInBin = (MIN_EXPECTED * total) / Math.min(baselineTotal, currentTotal);

  const groups = baseline
    .map((b, i) => ({ baseline: b, current: current[i] }))
    .filter((bin) => bin.baseline + bin.current > 0);
  const size = (group: { baseline: number; current: number }) => group.baseline + group.current;
  while (groups.length > 1) {
    let smallest = 0;
    groups.forEach((group, i) => size(group) < size(groups[smallest]) && (smallest = i));
    if (size(groups[smallest]) >= neededInBin) break;
    const lower = smallest - 1;
    const upper = smallest + 1;
    const into =
      upper >= groups.length || (lower >= 0 && size(groups[lower]) <= size(groups[upper])) ? lower : upper;
    groups[into] = {
      baseline: groups[into].baseline + groups[smallest].baseline,
      current: groups[into].current + groups[smallest].current,
    };
    groups.splice(smallest, 1);
  }
  if (groups.length < 2) return undefined;

  const statistic = groups.reduce((sum, group) => {
    const expectedBaseline = (size(group) * baselineTotal) / total;
    const expectedCurrent = (size(group) * currentTotal) / total;
    return (
      sum +
      (group.baseline - expectedBaseline) ** 2 / expectedBaseline +
      (group.current - expectedCurrent) ** 2 / expectedCurrent
    );
  }, 0);
  const degreesOfFreedom = groups.length - 1;
  return {
    statistic,
    degreesOfFreedom,
    pValue: chiSquareP(statistic, degreesOfFreedom),
    groups: groups.length,
  };
}
