/**
 * `tsx --tsconfig bench/tsconfig.json bench/store-queries.ts [docs] [repeats]`: what the store's read shapes
 * cost on a collection of small documents, for comparing FerretDB's backends (STORE_BACKEND=sqlite|postgres).
 * Reads MONGODB_URI (default: the local infra's), fills a throw-away database, times each query `repeats`
 * times after one warm-up run, prints a table and the JSON, then drops the database.
 *
 * Documents are keyed like the platform's records, `<group>#<sequence>`: 100 in group `p`, the rest spread
 * over 500 other groups, so a prefix range on `_id` selects 100 of them.
 */
import { Collection, MongoClient } from 'mongodb';
import { connectionEnv, loadInfraConfig } from '@oversight/testing';
import { monoNow, round, summarize } from './stats';

interface ProbeDoc {
  _id: string;
  kind: string;
  ref: string;
  n: number;
  at: Date;
}

const DATABASE = 'store_queries_probe';
const PREFIX_GROUP_SIZE = 100;

function idOf(i: number): string {
  const seq = String(i).padStart(7, '0');
  return i < PREFIX_GROUP_SIZE ? `p#${seq}` : `g${i % 500}#${seq}`;
}

function docOf(i: number): ProbeDoc {
  return { _id: idOf(i), kind: `k${i % 100}`, ref: `r${i}`, n: i, at: new Date(1_700_000_000_000 + i) };
}

async function fill(collection: Collection<ProbeDoc>, count: number): Promise<number> {
  const started = monoNow();
  const batch = 1_000;
  for (let from = 0; from < count; from += batch) {
    const docs = Array.from({ length: Math.min(batch, count - from) }, (_, k) => docOf(from + k));
    await collection.insertMany(docs, { ordered: false });
  }
  return monoNow() - started;
}

async function time(repeats: number, query: () => Promise<unknown>) {
  await query();
  const samples: number[] = [];
  let result: unknown;
  for (let r = 0; r < repeats; r++) {
    const started = monoNow();
    result = await query();
    samples.push(monoNow() - started);
  }
  const summary = summarize(samples);
  return { p50Ms: summary.p50, minMs: summary.min, maxMs: summary.max, result };
}

async function main() {
  const count = Number(process.argv[2] ?? 100_000);
  const repeats = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(count) || count < 1_000 || !Number.isInteger(repeats) || repeats < 1) {
    throw new Error('usage: store-queries.ts [docs >= 1000] [repeats >= 1]');
  }
  const config = loadInfraConfig();
  const uri = process.env.MONGODB_URI || connectionEnv(config).MONGODB_URI;
  const client = new MongoClient(uri, { socketTimeoutMS: 600_000 });
  await client.connect();
  const db = client.db(DATABASE);
  await db.dropDatabase();
  const collection = db.collection<ProbeDoc>('docs');
  try {
    const fillMs = await fill(collection, count);
    const middle = Math.floor(count / 2);
    const inIds = Array.from({ length: 50 }, (_, k) => idOf(Math.floor((k * count) / 50) + 7));
    const queries: [string, () => Promise<unknown>][] = [
      ['find exact _id', async () => (await collection.findOne({ _id: idOf(middle) }))?._id],
      [
        'find string field = (1 match)',
        async () => (await collection.find({ ref: `r${middle}` }).toArray()).length,
      ],
      [
        'find string field = (1% match)',
        async () => (await collection.find({ kind: 'k7' }).toArray()).length,
      ],
      ['find _id $in 50 ids', async () => (await collection.find({ _id: { $in: inIds } }).toArray()).length],
      [
        "find _id range 'p#'..'p$' (100)",
        async () => (await collection.find({ _id: { $gte: 'p#', $lt: 'p$' } }).toArray()).length,
      ],
      ['countDocuments({})', () => collection.countDocuments({})],
      ['estimatedDocumentCount()', () => collection.estimatedDocumentCount()],
      [
        'updateOne exact _id ($set)',
        async () =>
          (await collection.updateOne({ _id: idOf(middle) }, { $set: { at: new Date() } })).modifiedCount,
      ],
    ];
    const rows: { query: string; p50Ms: number; minMs: number; maxMs: number; result: unknown }[] = [];
    for (const [query, run] of queries) rows.push({ query, ...(await time(repeats, run)) });
    // FerretDB v1 on PostgreSQL builds real indexes; whether its queries use them is what this row shows.
    await collection.createIndex({ ref: 1 });
    const [indexedQuery, indexedRun] = queries[1];
    rows.push({ query: `${indexedQuery}, index on ref`, ...(await time(repeats, indexedRun)) });

    const backend = config.store.backend;
    console.log(`store: ${uri} (STORE_BACKEND=${backend}), ${count} docs, ${repeats} timed runs each`);
    console.log(
      `fill: ${round(fillMs / 1000)} s (${Math.round(count / (fillMs / 1000))} docs/s, batches of 1000)`,
    );
    for (const row of rows) {
      console.log(
        `${row.query.padEnd(44)} p50 ${String(row.p50Ms).padStart(9)} ms  min ${String(row.minMs).padStart(9)} ms  (result ${String(row.result)})`,
      );
    }
    console.log(JSON.stringify({ backend, count, repeats, fillMs: round(fillMs), rows }));
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().catch((error: Error) => {
  console.error(`store-queries: ${error.message}`);
  process.exit(1);
});
