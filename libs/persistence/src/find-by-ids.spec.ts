import { findByIds, mapByIds } from './find-by-ids';

describe('finding documents by exact _id', () => {
  const store = new Map(['a', 'b', 'c', 'e'].map((id) => [id, { _id: id }]));

  it.each([
    ['all found, in the order asked', ['c', 'a', 'b'], ['c', 'a', 'b']],
    ['missing ones as undefined', ['a', 'x', 'e'], ['a', undefined, 'e']],
    ['none asked', [], []],
  ])('%s', async (_name, ids, expected) => {
    const found = await findByIds(ids, async (id) => store.get(id) ?? null);
    expect(found.map((doc) => doc?._id)).toEqual(expected);
  });

  it('looks each id up once, a bounded number at a time', async () => {
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const ids = Array.from({ length: 100 }, (_, i) => `id-${i}`);
    await findByIds(ids, async (id) => {
      asked.push(id);
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      return null;
    });
    expect(asked.sort()).toEqual([...ids].sort());
    expect(most).toBeLessThanOrEqual(16);
    expect(most).toBeGreaterThan(1);
  });

  it('maps the ids found, each looked up once however often asked', async () => {
    const asked: string[] = [];
    const byId = await mapByIds(['a', 'a', 'x', 'c'], async (id) => (asked.push(id), store.get(id)));
    expect([...byId.keys()]).toEqual(['a', 'c']);
    expect(asked).toEqual(['a', 'x', 'c']);
  });

  it('passes a failed lookup on', async () => {
    await expect(
      findByIds(['a'], async () => {
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
  });
});
