import mongoose, { Schema } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../src';

/**
 * What the platform relies on from its MongoDB-compatible store, checked through mongoose against the real
 * server (FerretDB locally, MongoDB in production). A store that fails here cannot back the audit trail.
 */
describe('store compatibility (mongoose on the real store)', () => {
  const uri = testDatabaseUri('store-e2e');
  const connection = mongoose.createConnection(uri, { retryWrites: false });

  interface Receipt {
    _id: string;
    decisionId: string;
    amount: number;
    at: Date;
  }
  const Receipts = connection.model<Receipt>(
    'Receipt',
    new Schema<Receipt>(
      {
        _id: { type: String, required: true },
        decisionId: { type: String, required: true },
        amount: { type: Number, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ).index({ decisionId: 1, amount: 1 }, { unique: true, name: 'decision_amount_unique' }),
  );

  beforeAll(async () => {
    await connection.asPromise();
    await Receipts.init();
  });

  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  it('writes and reads documents back with their types', async () => {
    const at = new Date('2026-11-25T10:00:00.000Z');
    await Receipts.create({ _id: 'r-1', decisionId: 'd-1', amount: 12.5, at });
    const found = await Receipts.findById('r-1').lean();
    expect(found).toEqual({ _id: 'r-1', decisionId: 'd-1', amount: 12.5, at });
  });

  it('builds declared indexes and enforces unique ones with error 11000', async () => {
    const indexes = await Receipts.collection.indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'decision_amount_unique', unique: true })]),
    );
    await Receipts.create({ _id: 'r-2', decisionId: 'd-2', amount: 1, at: new Date() });
    await expect(
      Receipts.create({ _id: 'r-3', decisionId: 'd-2', amount: 1, at: new Date() }),
    ).rejects.toMatchObject({
      code: 11000,
    });
    await expect(
      Receipts.create({ _id: 'r-2', decisionId: 'd-9', amount: 9, at: new Date() }),
    ).rejects.toMatchObject({
      code: 11000,
    });
  });

  it('inserts the rest of an unordered batch and reports each duplicate (idempotent batch writes)', async () => {
    await Receipts.create({ _id: 'b-2', decisionId: 'd-b', amount: 2, at: new Date() });
    const batch = [1, 2, 3].map((n) => ({ _id: `b-${n}`, decisionId: 'd-b', amount: n, at: new Date() }));
    const error = await Receipts.insertMany(batch, { ordered: false }).then(
      () => undefined,
      (e: { code?: number; writeErrors?: { code: number; index: number }[] }) => e,
    );
    expect(error?.writeErrors?.map((w) => [w.index, w.code])).toEqual([[1, 11000]]);
    expect((await Receipts.find({ decisionId: 'd-b' }).sort({ amount: 1 }).lean()).map((r) => r._id)).toEqual(
      ['b-1', 'b-2', 'b-3'],
    );
  });

  it('answers range queries with sort and limit', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    await Receipts.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        _id: `q-${i}`,
        decisionId: 'd-q',
        amount: i,
        at: new Date(base + i * 60_000),
      })),
    );
    const page = await Receipts.find({ decisionId: 'd-q', at: { $gte: new Date(base + 5 * 60_000) } })
      .sort({ at: -1 })
      .limit(3)
      .lean();
    expect(page.map((r) => r.amount)).toEqual([19, 18, 17]);
    expect(await Receipts.countDocuments({ decisionId: 'd-q', amount: { $lt: 5 } })).toBe(5);
  });
});
