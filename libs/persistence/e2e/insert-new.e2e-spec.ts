import { MongoClient } from 'mongodb';
import { dropTestDatabase, testDatabaseUri } from '@oversight/testing';
import { insertInOrder, insertNew } from '../src';

describe('insertNew on the real store', () => {
  const uri = testDatabaseUri('persistence-e2e');
  const client = new MongoClient(uri, { retryWrites: false });
  const receipts = () => client.db().collection<{ _id: string; amount: number }>('receipts');

  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.close();
    await dropTestDatabase(uri);
  });

  it('inserts the new documents and names the positions of those already stored', async () => {
    await receipts().insertOne({ _id: 'b', amount: 1 });
    const result = await insertNew(receipts(), [
      { _id: 'a', amount: 2 },
      { _id: 'b', amount: 3 },
      { _id: 'c', amount: 4 },
      { _id: 'a', amount: 5 },
    ]);
    expect(result).toEqual({ inserted: 2, duplicates: [1, 3] });
    const stored = await receipts().find().sort({ _id: 1 }).toArray();
    // The first write of a key wins; a duplicate changes nothing.
    expect(stored).toEqual([
      { _id: 'a', amount: 2 },
      { _id: 'b', amount: 1 },
      { _id: 'c', amount: 4 },
    ]);
  });

  it('reports a batch of nothing but duplicates without throwing', async () => {
    await receipts().insertOne({ _id: 'x', amount: 1 });
    expect(await insertNew(receipts(), [{ _id: 'x', amount: 9 }])).toEqual({ inserted: 0, duplicates: [0] });
  });

  it('throws any error other than a duplicate key', async () => {
    const closed = new MongoClient(uri, { retryWrites: false });
    await closed.connect();
    await closed.close();
    await expect(
      insertNew(closed.db().collection<{ _id: string }>('receipts'), [{ _id: 'late' }]),
    ).rejects.toThrow(/must be connected/);
  });

  it('inserts in order up to the first stored key and nothing after it', async () => {
    await receipts().insertOne({ _id: 'o2', amount: 1 });
    const result = await insertInOrder(receipts(), [
      { _id: 'o1', amount: 2 },
      { _id: 'o2', amount: 3 },
      { _id: 'o3', amount: 4 },
    ]);
    expect(result).toEqual({ inserted: 1, duplicateAt: 1 });
    expect(
      await receipts()
        .find({ _id: { $in: ['o1', 'o2', 'o3'] } })
        .sort({ _id: 1 })
        .toArray(),
    ).toEqual([
      { _id: 'o1', amount: 2 },
      { _id: 'o2', amount: 1 },
    ]);
    expect(await insertInOrder(receipts(), [{ _id: 'o3', amount: 4 }])).toEqual({ inserted: 1 });
  });

  it('writes nothing after a stored key even when the docs span several of the store’s write batches', async () => {
    const key = (i: number) => `long-${String(i).padStart(3, '0')}`;
    await receipts().insertOne({ _id: key(50), amount: 0 });
    const docs = Array.from({ length: 250 }, (_, i) => ({ _id: key(i), amount: i }));
    expect(await insertInOrder(receipts(), docs)).toEqual({ inserted: 50, duplicateAt: 50 });
    const stored = await receipts()
      .find({ _id: { $in: docs.map((doc) => doc._id) } }, { projection: { _id: 1 } })
      .toArray();
    // 0–49 and the 50 that was there: none of 51–249, which FerretDB's own bulk insert would have written.
    expect(stored.map((doc) => doc._id).sort()).toEqual(Array.from({ length: 51 }, (_, i) => key(i)));
  });

  it('reaches past the store’s write batch when nothing clashes', async () => {
    const docs = Array.from({ length: 230 }, (_, i) => ({ _id: `wide-${i}`, amount: i }));
    expect(await insertInOrder(receipts(), docs)).toEqual({ inserted: 230 });
    expect(await receipts().countDocuments({ _id: { $in: docs.map((doc) => doc._id) } })).toBe(230);
  });
});
