import { Db } from 'mongodb';
import { newEvent } from '@oversight/contracts';
import { benchProposal } from './baseline';
import { monoNow, summarize, Summary } from './stats';

/**
 * Times single writes to the store at idle, one at a time, shaped like the services' own: an insert of an
 * audit-record-sized document keyed by a string _id, and an update of one field by _id (which the services'
 * insert-only stores avoid: FerretDB v1 scans the collection for every update). Runs in the bench's throw-away
 * database, before the services start.
 */
export async function storeWriteCosts(
  db: Db,
  samples: number,
  runId: string,
): Promise<{ insertMs: Summary; updateByIdMs: Summary }> {
  const collection = db.collection<{ _id: string; event: unknown; recordedAt: Date; publishedAt?: Date }>(
    'bench_unit_costs',
  );
  const ids = Array.from({ length: samples }, (_, i) => `${runId}-store-${i}`);
  const inserts: number[] = [];
  for (const _id of ids) {
    const event = newEvent('DecisionProposed', {
      decisionId: _id,
      producer: 'bench',
      payload: benchProposal(),
    });
    const started = monoNow();
    await collection.insertOne({ _id, event, recordedAt: new Date() });
    inserts.push(monoNow() - started);
  }
  const updates: number[] = [];
  for (const _id of ids) {
    const started = monoNow();
    await collection.updateOne({ _id }, { $set: { publishedAt: new Date() } });
    updates.push(monoNow() - started);
  }
  await collection.drop();
  return { insertMs: summarize(inserts), updateByIdMs: summarize(updates) };
}
