/**
 * The price of metrics and tracing, from three full benchmark runs on one machine, back to back: without (the
 * platform before it had metrics), with metrics (a Prometheus scraping every 5 s), and with metrics and tracing
 * (`--tracing`, every span exported). Writes bench/results/latest-overhead.json and prints a Markdown table.
 *
 *   npm run bench-overhead -- <without.json> <metrics.json> <tracing.json>
 */
import fs from 'node:fs';
import path from 'node:path';
import { BenchResults, fmt } from './report';
import { RESULTS_DIR } from './run-context';
import { round } from './stats';

const VARIANTS = ['without', 'metrics', 'tracing'] as const;
type Variant = (typeof VARIANTS)[number];

interface VariantFigures {
  file: string;
  commit: string;
  startedAt: string;
  throughputPerSecond: number;
  /** CPU milliseconds per decision in the throughput burst, by service. */
  cpuMsPerDecision: Record<string, number>;
  /** p50 and p99 end to end at each offered load. */
  latencyMs: { offeredPerSecond: number; p50: number; p99: number }[];
  peakRssMB: Record<string, number>;
  tracing?: { exports: number; megabytes: number };
}

const SERVICES = ['scoring', 'routing', 'audit'];

function figuresOf(file: string): VariantFigures {
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults;
  if (results.status !== 'completed' || !results.throughput) {
    throw new Error(`${file}: the run did not complete (${results.failure?.message ?? 'no throughput'})`);
  }
  const { throughput } = results;
  const cores = throughput.cpu.coresByProcess;
  return {
    file: path.basename(file),
    commit: results.code.commit.slice(0, 10),
    startedAt: results.startedAt,
    throughputPerSecond: throughput.perSecond,
    cpuMsPerDecision: Object.fromEntries(
      SERVICES.map((name) => [
        name,
        round(((cores[name] ?? 0) * throughput.cpu.seconds * 1000) / throughput.decisions, 3),
      ]),
    ),
    latencyMs: results.latency.map((level) => ({
      offeredPerSecond: level.offeredPerSecond,
      p50: level.endToEndMs.p50,
      p99: level.endToEndMs.p99,
    })),
    peakRssMB: Object.fromEntries(SERVICES.map((name) => [name, results.memory?.[name]?.peakRssMB ?? NaN])),
    tracing: results.observability?.tracing,
  };
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length !== VARIANTS.length) {
    throw new Error('usage: npm run bench-overhead -- <without.json> <metrics.json> <tracing.json>');
  }
  const runs = Object.fromEntries(VARIANTS.map((v, i) => [v, figuresOf(files[i])])) as Record<
    Variant,
    VariantFigures
  >;
  const base = runs.without.throughputPerSecond;
  const report = {
    runs,
    throughputRatio: {
      metrics: round(runs.metrics.throughputPerSecond / base, 3),
      tracing: round(runs.tracing.throughputPerSecond / base, 3),
    },
  };
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest-overhead.json'), `${JSON.stringify(report, null, 2)}\n`);

  const row = (label: string, cell: (f: VariantFigures) => string) =>
    `| ${label} | ${VARIANTS.map((v) => cell(runs[v])).join(' | ')} |`;
  const lines = [
    '| | without | with metrics | with metrics and tracing |',
    '| --- | --- | --- | --- |',
    row('commit', (f) => f.commit),
    row(
      'throughput (decisions/s)',
      (f) => `${fmt(f.throughputPerSecond)} (${fmt((f.throughputPerSecond / base) * 100)} %)`,
    ),
    row('CPU ms per decision, scoring / routing / audit', (f) =>
      SERVICES.map((s) => fmt(f.cpuMsPerDecision[s])).join(' / '),
    ),
    ...runs.without.latencyMs.map((level, i) =>
      row(
        `p50 / p99 end to end at ${level.offeredPerSecond}/s (ms)`,
        (f) => `${fmt(f.latencyMs[i]?.p50 ?? NaN)} / ${fmt(f.latencyMs[i]?.p99 ?? NaN)}`,
      ),
    ),
    row('peak RSS scoring / routing / audit (MB)', (f) =>
      SERVICES.map((s) => fmt(f.peakRssMB[s])).join(' / '),
    ),
    row('spans exported', (f) =>
      f.tracing ? `${f.tracing.exports} exports, ${fmt(f.tracing.megabytes)} MB` : '–',
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
