import fs from 'node:fs';
import path from 'node:path';
import { BaselineResult } from './baseline';
import { Scale } from './bench-plan';
import { PhaseCpu } from './process-sampler';

const SERVICE_NAMES = ['scoring', 'routing', 'audit'];
import { Summary } from './stats';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryGiB: number;
  os: string;
  node: string;
  kafka: string;
  kafkaHeap: string;
  /** Busy cores measured for 2 s before the run: anything above ~0.1 means the machine was not quiet. */
  backgroundBusyCores?: number;
}

/** Where the time of one decision goes, from the timestamps each stage wrote (ms). */
export interface HopBreakdown {
  /** Publish call → the bench reads the proposal back: the broker alone, as in the baseline. */
  brokerHop: Summary;
  /** Publish call → scoring made DecisionScored: produce, scoring's fetch and queue, validation, scoring. */
  publishToScored: Summary;
  /** DecisionScored made → routing made ActionApproved: scoring's produce, routing's fetch and queue. */
  scoredToRouted: Summary;
  /** ActionApproved made → the bench reads it: routing's ledger write, produce, the bench's fetch. */
  routedToOut: Summary;
}

export interface LatencyLevel {
  offeredPerSecond: number;
  plannedSeconds: number;
  decisions: number;
  /** The rate the paced producer actually achieved, first to last publish. */
  achievedPerSecond: number;
  /** How late each publish call was against its schedule: large values mean the bench could not keep pace. */
  scheduleSlipMs: Summary;
  /** Publish call → ActionApproved read by the bench. */
  endToEndMs: Summary;
  hopsMs: HopBreakdown;
  /** Last publish → last ActionApproved: how long the pipeline needed to drain what was offered. */
  drainSeconds: number;
  postHocSamples: number;
  cpu: PhaseCpu;
}

export interface ThroughputResult {
  decisions: number;
  /** First publish call → last ActionApproved read. */
  seconds: number;
  perSecond: number;
  /** How long pushing every decision into the proposal topic took. */
  publishSeconds: number;
  ratioToBaseline: number;
  postHocSamples: number;
  cpu: PhaseCpu;
}

export interface AuditLag {
  phase: string;
  /** Last ActionApproved read → the audit trail holds every event of the phase (0 when it kept up). */
  lagMs: number;
  lastOutAt: string;
  storedAllAt: string;
}

export interface Target {
  name: string;
  goal: string;
  actual: string;
  met: boolean;
}

/** Single requests timed at idle, one at a time: what each publish or store write costs a service. */
export interface UnitCosts {
  produceRoundTripMs: Summary;
  storeInsertMs: Summary;
  storeUpdateByIdMs: Summary;
}

export interface BenchResults {
  scale: Scale;
  status: 'completed' | 'failed';
  failure?: { message: string; details: string[]; serviceLogTails: Record<string, string[]> };
  startedAt: string;
  finishedAt?: string;
  machine: MachineInfo;
  code: { commit: string; uncommittedChanges: string[] };
  plan: Record<string, unknown>;
  ids: { runId: string; policyId: string; database: string };
  baseline?: BaselineResult;
  unitCosts?: UnitCosts;
  throughput?: ThroughputResult;
  latency: LatencyLevel[];
  auditLag: AuditLag[];
  audit?: { expectedEvents: number; storedEvents: number; postHocSamples: number };
  memory?: Record<string, { peakRssMB: number; kernelPeakMB?: number }>;
  /** What watched the services: a Prometheus scraping their /metrics, and with `--tracing` the spans exported. */
  observability?: {
    prometheusScrapeSeconds: number;
    scrapesPerService: number;
    tracing?: { exports: number; megabytes: number };
  };
  targets: Target[];
}

/** The results' file name: the scale, and `-tracing` for a run with tracing on. */
const variantOf = (results: BenchResults) => `${results.scale}${results.plan.tracing ? '-tracing' : ''}`;

/** Writes `<timestamp>-<scale>.json` and the `latest-<scale>` JSON and SVG beside it; returns their paths. */
export function writeResults(dir: string, results: BenchResults): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const written = [
    path.join(dir, `${stamp}-${variantOf(results)}.json`),
    path.join(dir, `latest-${variantOf(results)}.json`),
  ];
  for (const file of written) fs.writeFileSync(file, json);
  if (results.status === 'completed') {
    const svg = path.join(dir, `latest-${variantOf(results)}.svg`);
    fs.writeFileSync(svg, renderSvg(results));
    written.push(svg);
  }
  return written;
}

export const ms = (value: number) =>
  Number.isNaN(value) ? '–' : value >= 1000 ? `${fmt(value / 1000)} s` : `${fmt(value)} ms`;
export function fmt(value: number): string {
  if (Number.isNaN(value)) return '–';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}
const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/** The Markdown the run prints, ready to paste into the README. */
export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const out: string[] = [];
  out.push(
    `### Benchmark (${variantOf(results)}, ${results.startedAt.slice(0, 10)})`,
    '',
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, ${machine.os}, Node ${machine.node}, ` +
      `Kafka ${machine.kafka} (heap ${machine.kafkaHeap}, single node) and FerretDB on the same machine; ` +
      `scoring, routing and audit as separate processes. Commit ${results.code.commit.slice(0, 10)}` +
      (results.code.uncommittedChanges.length ? ' with uncommitted changes.' : '.') +
      (machine.backgroundBusyCores === undefined
        ? ''
        : ` Before the run ${fmt(machine.backgroundBusyCores)} of ${machine.cores} cores were busy with other work.`) +
      (results.observability
        ? ` A Prometheus scraped each service every ${results.observability.prometheusScrapeSeconds} s` +
          (results.observability.tracing
            ? `; tracing was on, ${results.observability.tracing.exports} OTLP/HTTP exports ` +
              `(${fmt(results.observability.tracing.megabytes)} MB) received.`
            : '; tracing was off.')
        : ''),
    '',
  );
  if (results.failure)
    out.push(
      `**Run failed:** ${results.failure.message}`,
      '',
      ...results.failure.details.map((d) => `- ${d}`),
      '',
    );

  out.push(
    table(
      ['target', 'goal', 'measured', ''],
      results.targets.map((t) => [t.name, t.goal, t.actual, t.met ? 'met' : '**missed**']),
    ),
    '',
  );

  const { baseline, throughput } = results;
  if (baseline && throughput) {
    out.push(
      table(
        ['throughput', 'messages', 'first in → last out', 'per second'],
        [
          [
            `raw kafkajs pass-through (${baseline.partitions} partitions, ${baseline.messageBytes} B)`,
            fmt(baseline.messages),
            `${fmt(baseline.seconds)} s`,
            fmt(baseline.perSecond),
          ],
          [
            'auto path: DecisionProposed → ActionApproved',
            fmt(throughput.decisions),
            `${fmt(throughput.seconds)} s`,
            `${fmt(throughput.perSecond)} (${(throughput.ratioToBaseline * 100).toFixed(1)} % of raw)`,
          ],
        ],
      ),
      '',
    );
  }

  if (results.latency.length) {
    out.push(
      table(
        ['offered / s', 'achieved / s', 'decisions', 'p50', 'p95', 'p99', 'max', 'drain after load'],
        results.latency.map((l) => [
          fmt(l.offeredPerSecond),
          fmt(l.achievedPerSecond),
          fmt(l.decisions),
          ms(l.endToEndMs.p50),
          ms(l.endToEndMs.p95),
          ms(l.endToEndMs.p99),
          ms(l.endToEndMs.max),
          `${fmt(l.drainSeconds)} s`,
        ]),
      ),
      '',
      "Where the time goes (p50 / p99 per hop, from the publish call, the events' occurredAt and the bench's reads):",
      '',
      table(
        ['offered / s', 'broker hop', 'publish → scored', 'scored → routed', 'routed → read'],
        results.latency.map((l) => [
          fmt(l.offeredPerSecond),
          ...[
            l.hopsMs.brokerHop,
            l.hopsMs.publishToScored,
            l.hopsMs.scoredToRouted,
            l.hopsMs.routedToOut,
          ].map((s) => `${ms(s.p50)} / ${ms(s.p99)}`),
        ]),
      ),
      '',
    );
  }

  const cpuPhases: [string, PhaseCpu][] = [
    ...(throughput ? [['throughput burst', throughput.cpu] as [string, PhaseCpu]] : []),
    ...results.latency.map((l) => [`${fmt(l.offeredPerSecond)}/s`, l.cpu] as [string, PhaseCpu]),
  ];
  if (cpuPhases.length) {
    const names = Object.keys(cpuPhases[0][1].coresByProcess);
    out.push(
      'CPU in cores (1.00 = one core busy for the whole phase, until its last outcome was read):',
      '',
      table(
        ['phase', ...names, 'other processes', 'machine'],
        cpuPhases.map(([phase, cpu]) => [
          phase,
          ...names.map((n) => fmt(cpu.coresByProcess[n] ?? NaN)),
          fmt(cpu.otherCores),
          `${fmt(cpu.machineBusyCores)} of ${machine.cores}`,
        ]),
      ),
      '',
    );
  }

  if (throughput) {
    // Cores × seconds ÷ decisions: what each service spends on one decision when it is never idle.
    const perDecision = (cores: number) => (cores * throughput.cpu.seconds * 1000) / throughput.decisions;
    const names = SERVICE_NAMES.filter((n) => throughput.cpu.coresByProcess[n] !== undefined);
    out.push(
      'CPU per decision in the throughput burst (ms of one core):',
      '',
      table(names, [names.map((n) => fmt(perDecision(throughput.cpu.coresByProcess[n])))]),
      '',
    );
  }

  if (results.unitCosts) {
    const u = results.unitCosts;
    out.push(
      'Unit costs at idle (p50 / p99, one request at a time):',
      '',
      table(
        ['produce, acks=all', 'store insert', 'store update by _id'],
        [
          [u.produceRoundTripMs, u.storeInsertMs, u.storeUpdateByIdMs].map(
            (s) => `${ms(s.p50)} / ${ms(s.p99)}`,
          ),
        ],
      ),
      '',
    );
  }

  if (results.auditLag.length || results.memory) {
    out.push(
      table(
        ['audit lag after', 'lag'],
        results.auditLag.map((a) => [a.phase, ms(a.lagMs)]),
      ),
      '',
    );
  }
  if (results.memory) {
    out.push(
      table(
        ['process', 'peak RSS (MB)'],
        Object.entries(results.memory).map(([name, m]) => [name, fmt(m.peakRssMB)]),
      ),
      '',
    );
  }
  if (results.audit) {
    out.push(
      `Audit trail: ${fmt(results.audit.storedEvents)} of ${fmt(results.audit.expectedEvents)} events of the run stored ` +
        `(${fmt(results.audit.postHocSamples)} decisions sampled for post-hoc review).`,
      '',
    );
  }
  return out.join('\n');
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Two panels: end-to-end latency percentiles per offered load (log scale, since an overloaded level is orders
 * of magnitude slower than an idle one) with the 50 ms goal, and raw against auto-path throughput.
 */
export function renderSvg(results: BenchResults): string {
  const width = 960;
  const height = 400;
  const parts: string[] = [];
  const text = (x: number, y: number, body: string, attrs = '') =>
    parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(body)}</text>`);

  // Latency panel.
  const lx = 70;
  const ly = 50;
  const lw = 520;
  const lh = 280;
  const values = results.latency.flatMap((l) => [l.endToEndMs.p50, l.endToEndMs.p95, l.endToEndMs.p99]);
  const top = Math.max(100, ...values.filter((v) => Number.isFinite(v)));
  const decades = { low: 0, high: Math.ceil(Math.log10(top)) };
  const y = (value: number) =>
    ly + lh - ((Math.log10(Math.max(1, value)) - decades.low) / (decades.high - decades.low)) * lh;
  text(lx, 28, 'End-to-end latency, publish → ActionApproved read (log scale)', 'font-weight="bold"');
  for (let d = decades.low; d <= decades.high; d += 1) {
    const gy = y(10 ** d);
    parts.push(`<line x1="${lx}" y1="${gy}" x2="${lx + lw}" y2="${gy}" stroke="#ddd"/>`);
    text(lx - 8, gy + 4, ms(10 ** d), 'text-anchor="end" font-size="11"');
  }
  const goal = y(50);
  parts.push(
    `<line x1="${lx}" y1="${goal}" x2="${lx + lw}" y2="${goal}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
  );
  text(lx + lw - 4, goal - 5, 'p99 goal 50 ms', 'text-anchor="end" font-size="11" fill="#c0392b"');
  const colors = { p50: '#7fb3d5', p95: '#2e86c1', p99: '#1b4f72' };
  const group = lw / Math.max(1, results.latency.length);
  const bar = Math.min(40, (group - 30) / 3);
  results.latency.forEach((level, i) => {
    const gx = lx + i * group + (group - bar * 3) / 2;
    (['p50', 'p95', 'p99'] as const).forEach((p, j) => {
      const value = level.endToEndMs[p];
      const by = y(value);
      parts.push(
        `<rect x="${(gx + j * bar).toFixed(1)}" y="${by.toFixed(1)}" width="${(bar - 2).toFixed(1)}" ` +
          `height="${(ly + lh - by).toFixed(1)}" fill="${colors[p]}"><title>${p} ${ms(value)}</title></rect>`,
      );
      text(gx + j * bar + bar / 2 - 1, by - 4, ms(value), 'text-anchor="middle" font-size="9"');
    });
    text(
      gx + bar * 1.5,
      ly + lh + 18,
      `${fmt(level.offeredPerSecond)}/s offered`,
      'text-anchor="middle" font-size="11"',
    );
  });
  (['p50', 'p95', 'p99'] as const).forEach((p, j) => {
    parts.push(`<rect x="${lx + j * 60}" y="${ly + lh + 32}" width="12" height="12" fill="${colors[p]}"/>`);
    text(lx + j * 60 + 16, ly + lh + 42, p, 'font-size="11"');
  });

  // Throughput panel.
  const tx = 660;
  const tw = 260;
  text(tx, 28, 'Throughput, first in → last out', 'font-weight="bold"');
  if (results.baseline && results.throughput) {
    const rows: [string, number, string][] = [
      ['raw kafkajs', results.baseline.perSecond, '#7f8c8d'],
      ['auto path', results.throughput.perSecond, '#27ae60'],
    ];
    const max = Math.max(...rows.map(([, v]) => v));
    rows.forEach(([label, value, color], i) => {
      const by = ly + 30 + i * 90;
      const w = Math.max(1, (value / max) * tw);
      text(tx, by - 8, label, 'font-size="12"');
      parts.push(`<rect x="${tx}" y="${by}" width="${w.toFixed(1)}" height="36" fill="${color}"/>`);
      text(tx + Math.min(w, tw - 90) + 6, by + 23, `${fmt(value)}/s`, 'font-size="12"');
    });
    const half = tx + (results.baseline.perSecond / 2 / max) * tw;
    parts.push(
      `<line x1="${half}" y1="${ly + 10}" x2="${half}" y2="${ly + 210}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
    );
    text(half, ly + 226, 'goal: 50 % of raw', 'text-anchor="middle" font-size="11" fill="#c0392b"');
    text(
      tx,
      ly + 256,
      `auto path = ${(results.throughput.ratioToBaseline * 100).toFixed(1)} % of raw`,
      'font-size="12" font-weight="bold"',
    );
  }
  text(
    lx,
    height - 12,
    `${variantOf(results)} run ${results.startedAt} · ${results.machine.cpuModel} · ${results.machine.cores} cores · Kafka ${results.machine.kafka}`,
    'font-size="10" fill="#555"',
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
