/**
 * `tsx --tsconfig bench/tsconfig.json bench/store-queries.ts [docs] [repeats]`: what the store's read shapes
 * cost on a collection of small documents, for comparing FerretDB's backends (STORE_BACKEND=sqlite|postgres).
 * Reads MONGODB_URI (default: the local infra's), fills a throw-away database, times each query `repeats`
 * times after one warm-up run, prints a table and the JSON, then drops the database.
 *
 * On the postgres backend of the local infra it also times the equality finds with GIN indexes made in
 * PostgreSQL itself (see withGinIndexes).
 *
 * Documents are keyed like the platform's records, `<group>#<sequence>`: 100 in group `p`, the rest spread
 * over 500 other groups, so a prefix range on `_id` selects 100 of them.
 */
import { Collection, Db, MongoClient } from 'mongodb';
import { connectionEnv, LocalInfra, loadInfraConfig } from '@oversight/testing';
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

type Query = [name: string, run: () => Promise<unknown>];
type Row = { query: string; p50Ms: number; minMs: number; maxMs: number; result: unknown };

function queriesOn(collection: Collection<ProbeDoc>, count: number): Query[] {
  const middle = Math.floor(count / 2);
  const inIds = Array.from({ length: 50 }, (_, k) => idOf(Math.floor((k * count) / 50) + 7));
  return [
    ['find exact _id', async () => (await collection.findOne({ _id: idOf(middle) }))?._id],
    [
      'find string field = (1 match)',
      async () => (await collection.find({ ref: `r${middle}` }).toArray()).length,
    ],
    ['find string field = (1% match)', async () => (await collection.find({ kind: 'k7' }).toArray()).length],
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
}

/**
 * FerretDB v1 on PostgreSQL pushes a top-level equality down as `_jsonb->$1 @> $2`, which its own btree
 * indexes cannot serve; a GIN index on `(_jsonb->'field')`, made in PostgreSQL behind FerretDB's back, can, as
 * long as PostgreSQL plans with the values (a generic plan of `_jsonb->$1` matches no index). Made before the
 * first query, the index keeps every plan custom; made later, connections that already settled on a generic
 * seq-scan plan keep it. So this fills a second collection whose GIN indexes on `_id` and `ref` exist first.
 */
async function withGinIndexes(db: Db, count: number, repeats: number) {
  const postgres = new LocalInfra().postgres;
  await db.createCollection('docs_gin');
  const table = await postgres.sql(
    `SELECT _jsonb->>'table' FROM "${DATABASE}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'docs_gin'`,
  );
  for (const field of ['_id', 'ref']) {
    await postgres.sql(
      `CREATE INDEX ON "${DATABASE}"."${table}" USING gin ((_jsonb->'${field}') jsonb_path_ops)`,
    );
  }
  const collection = db.collection<ProbeDoc>('docs_gin');
  const fillMs = round(await fill(collection, count));
  await postgres.sql(`ANALYZE "${DATABASE}"."${table}"`);
  const rows: Row[] = [
    {
      query: 'fill, GIN indexes in PostgreSQL',
      p50Ms: fillMs,
      minMs: fillMs,
      maxMs: fillMs,
      result: `${Math.round(count / (fillMs / 1000))} docs/s`,
    },
  ];
  for (const [query, run] of queriesOn(collection, count).slice(0, 2)) {
    rows.push({ query: `${query}, GIN index in PostgreSQL`, ...(await time(repeats, run)) });
  }
  return rows;
}

async function main() {
  const count = Number(process.argv[2] ?? 100_000);
  const repeats = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(count) || count < 1_000 || !Number.isInteger(repeats) || repeats < 1) {
    throw new Error('usage: store-queries.ts [docs >= 1000] [repeats >= 1]');
  }
  const config = loadInfraConfig();
  const backend = config.store.backend;
  const uri = process.env.MONGODB_URI || connectionEnv(config).MONGODB_URI;
  const client = new MongoClient(uri, { socketTimeoutMS: 600_000 });
  await client.connect();
  const db = client.db(DATABASE);
  await db.dropDatabase();
  const collection = db.collection<ProbeDoc>('docs');
  try {
    const fillMs = await fill(collection, count);
    const queries = queriesOn(collection, count);
    const rows: Row[] = [];
    for (const [query, run] of queries) rows.push({ query, ...(await time(repeats, run)) });
    // FerretDB v1 on PostgreSQL builds real indexes; whether its queries use them is what this row shows.
    await collection.createIndex({ ref: 1 });
    const [indexedQuery, indexedRun] = queries[1];
    rows.push({ query: `${indexedQuery}, index on ref`, ...(await time(repeats, indexedRun)) });
    // Only on the local infra's own PostgreSQL, the one this process can reach with psql.
    if (backend === 'postgres' && !process.env.MONGODB_URI)
      rows.push(...(await withGinIndexes(db, count, repeats)));

    console.log(`store: ${uri} (STORE_BACKEND=${backend}), ${count} docs, ${repeats} timed runs each`);
    console.log(
      `fill: ${round(fillMs / 1000)} s (${Math.round(count / (fillMs / 1000))} docs/s, batches of 1000)`,
    );
    for (const row of rows) {
      console.log(
        `${row.query.padEnd(56)} p50 ${String(row.p50Ms).padStart(9)} ms  min ${String(row.minMs).padStart(9)} ms  (result ${String(row.result)})`,
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
