/**
 * What the learning loop's fold-at-read design costs: the gateway reads a window's records and folds them into
 * the metrics on every request. Writes N routed decisions and N answers into a database of its own (through
 * the learning store, as the learning service does), then times the read and the fold for growing N: median of
 * five reads each. Prints a Markdown table; needs the local infrastructure (npm run infra -- up).
 *
 *   npm run bench-learning                 1,000 / 10,000 / 50,000
 *   npm run bench-learning -- 2000 20000   other sizes
 */
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { DecisionObservation, Label, oversightMetrics } from '@oversight/learning';
import {
  DecisionObservationRecord,
  DecisionObservationSchema,
  LabelRecord,
  LabelSchema,
  LabelWaitRecord,
  LabelWaitSchema,
  OversightRecords,
  ReviewEditRecord,
  ReviewEditSchema,
} from '@oversight/learning-store';
import { STORE_CONNECTION_OPTIONS } from '@oversight/persistence';
import { summarize } from './stats';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [1_000, 10_000, 50_000];
const READS = 5;
const BATCH = 500;
const base = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/oversight';

async function main(): Promise<void> {
  console.log(
    '| records (decisions + answers) | write | read window (median) | fold (median) | drift windows, 250 + 250 (median) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const size of SIZES) {
    const uri = base.replace(/\/[^/?]*(\?|$)/, `/bench-learning-${size}-${Date.now().toString(36)}$1`);
    const connection = await mongoose.createConnection(uri, STORE_CONNECTION_OPTIONS).asPromise();
    try {
      const records = new OversightRecords(
        connection.model(DecisionObservationRecord.name, DecisionObservationSchema),
        connection.model(LabelRecord.name, LabelSchema),
        connection.model(ReviewEditRecord.name, ReviewEditSchema),
        connection.model(LabelWaitRecord.name, LabelWaitSchema),
      );
      const now = Date.now();
      const startWrite = performance.now();
      for (let offset = 0; offset < size; offset += BATCH) {
        const count = Math.min(BATCH, size - offset);
        const at = (i: number) => new Date(now - ((offset + i) % 86_400) * 1000).toISOString();
        const decisions: DecisionObservation[] = Array.from({ length: count }, (_, i) => ({
          decisionId: `bench-${offset + i}`,
          businessFunction: 'telecom-billing',
          actionType: 'refund',
          modelId: 'gpt-ops',
          modelVersion: i % 2 ? 'v1' : 'v2',
          confidence: 0.5 + ((offset + i) % 50) / 100,
          route: i % 3 ? 'review' : 'auto',
          tier: i % 3 ? 'medium' : 'low',
          routedAt: at(i),
          parameters: { accountId: `ACC-${i}` },
        }));
        const labels = decisions.map((decision, i): { id: string; label: Label } => ({
          id: `${decision.decisionId}#answer`,
          label: {
            decisionId: decision.decisionId,
            modelId: decision.modelId,
            modelVersion: decision.modelVersion,
            businessFunction: decision.businessFunction,
            actionType: decision.actionType,
            confidence: decision.confidence,
            verdict: i % 10 === 0 ? 'overridden' : i % 17 === 0 ? 'edited' : 'agreed',
            source: 'review',
            answeredAt: decision.routedAt,
            latencyMinutes: i % 90,
            withinSla: i % 90 < 60,
          },
        }));
        await records.recordDecisions(decisions);
        await records.recordLabels(labels);
      }
      const writeMs = performance.now() - startWrite;
      const to = new Date(now + 1000);
      const from = new Date(now - 25 * 3_600_000);
      const reads: number[] = [];
      const folds: number[] = [];
      const drifts: number[] = [];
      for (let i = 0; i < READS; i++) {
        const startRead = performance.now();
        const window = await records.window({ businessFunction: 'telecom-billing' }, from, to);
        reads.push(performance.now() - startRead);
        const startFold = performance.now();
        oversightMetrics(window.observations, window.labels, { from, to, bucketMinutes: 60 });
        folds.push(performance.now() - startFold);
        const startDrift = performance.now();
        await Promise.all([
          records.latestLabels('telecom-billing', new Date(0), 250),
          records.latestDecisions('telecom-billing', new Date(0), 250),
        ]);
        drifts.push(performance.now() - startDrift);
      }
      console.log(
        `| ${(size * 2).toLocaleString('en-GB')} | ${(writeMs / 1000).toFixed(1)} s | ${summarize(reads).p50.toFixed(0)} ms | ${summarize(folds).p50.toFixed(0)} ms | ${summarize(drifts).p50.toFixed(0)} ms |`,
      );
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench-learning: ${error.message}`);
    process.exit(1);
  },
);
