import { randomUUID } from 'node:crypto';
import { ClaimFilter } from './claim-filter';

describe('ClaimFilter: has this partition routed the decision?', () => {
  it('never answers "no" for a decision it was given', () => {
    const filter = ClaimFilter.sizedFor(10_000, 0.001);
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    ids.forEach((id) => filter.add(id));
    expect(ids.every((id) => filter.mightContain(id))).toBe(true);
    expect(filter.count).toBe(10_000);
  });

  it.each([
    [10_000, 0.01],
    [10_000, 0.001],
  ])(
    'at its capacity of %i, says "maybe" for unknown decisions at about the rate it was sized for (%d)',
    (capacity, rate) => {
      const filter = ClaimFilter.sizedFor(capacity, rate);
      for (let i = 0; i < capacity; i += 1) filter.add(randomUUID());
      const probes = 50_000;
      let maybes = 0;
      for (let i = 0; i < probes; i += 1) if (filter.mightContain(randomUUID())) maybes += 1;
      expect(maybes / probes).toBeLessThan(rate * 2);
    },
  );

  it('is sized by the standard formula: 1M decisions at 0.1 % take about 1.8 MB and 10 hashes', () => {
    const filter = ClaimFilter.sizedFor(1_000_000, 0.001);
    expect(filter.bits.length).toBeGreaterThan(1_790_000);
    expect(filter.bits.length).toBeLessThan(1_810_000);
    expect(filter.hashes).toBe(10);
  });

  it('answers the same after being saved and loaded from its bytes', () => {
    const filter = ClaimFilter.sizedFor(1_000, 0.001);
    const ids = Array.from({ length: 500 }, () => randomUUID());
    ids.forEach((id) => filter.add(id));
    const loaded = new ClaimFilter({
      bits: new Uint8Array(Buffer.from(filter.bits)),
      hashes: filter.hashes,
      added: filter.count,
    });
    expect(ids.every((id) => loaded.mightContain(id))).toBe(true);
    expect(loaded.count).toBe(500);
  });
});
