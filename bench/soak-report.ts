import fs from 'node:fs';
import path from 'node:path';
import { fmt, MachineInfo, ms, Target } from './report';
import { ReadFigures, ReadName, READS } from './soak-people';

/** One minute of a level: the worst sample of each gauge, what went over HTTP, what each process used. */
export interface SoakMinute {
  minute: number;
  at: string;
  /** Well-formed decisions published so far in the level, and how many of them routing has decided. */
  sent: number;
  routed: number;
  /** Proposed with no routing outcome yet (auto-approved, sent to people or blocked), the most seen. */
  inFlight: number;
  /** Age of the oldest event the audit service has not stored, the most seen (s). */
  auditLagSeconds: number;
  /** Age of the oldest ActionApproved the executor has not carried out, the most seen (s). */
  executorLagSeconds: number;
  auditBacklog: number;
  executorBacklog: number;
  reads: Partial<Record<ReadName, ReadFigures>>;
  requests: number;
  http5xx: number;
  reviewerActs: number;
  cpuCores: Record<string, number>;
  machineBusyCores: number;
  /** Mean resident memory over the minute (MB). */
  rssMB: Record<string, number>;
  httpFailures: string[];
}

export interface SoakLevelResult {
  rate: number;
  minutes: number;
  startedAt: string;
  decisions: number;
  maxInFlight: number;
  maxAuditLagSeconds: number;
  maxExecutorLagSeconds: number;
  /** p95 of each read over the whole level (ms); NaN when the read was never made. */
  readP95Ms: Record<string, number>;
  readsMs: Partial<Record<ReadName, ReadFigures>>;
  http5xx: number;
  peakRssMB: Record<string, number>;
  /** Audit records in the trail when the level started and once it drained (from the audit group's offsets). */
  storeRecordsAtStart: number;
  storeRecords: number;
  /** After the level's stream stopped: until nothing was in flight and the audit had stored everything. */
  drainSeconds: number;
  /** What was still to do when the drain gave up (the plan's drainLimitMs); absent when it finished. */
  undrained?: { inFlight: number; auditBacklog: number; executorBacklog: number };
  series: SoakMinute[];
  targets: Target[];
}

export interface SoakSeed {
  recordsBefore: number;
  target: number;
  /** False when the store already held enough records. */
  seeded: boolean;
  decisions: number;
  seconds: number;
  recordsAfter: number;
}

export interface SoakResults {
  mode: 'soak';
  scale: 'smoke' | 'full';
  store: string;
  status: 'completed' | 'failed';
  failure?: { message: string; details: string[]; serviceLogTails: Record<string, string[]> };
  startedAt: string;
  finishedAt?: string;
  machine: MachineInfo;
  code: { commit: string; uncommittedChanges: string[] };
  plan: Record<string, unknown>;
  ids: { runId: string; policyId: string; database: string };
  haltsInForce: string[];
  seed?: SoakSeed;
  levels: SoakLevelResult[];
  /** The run's events found in the trail, and the trail counted before the first and after the last stream. */
  audit?: { expectedEvents: number; storedEvents: number; trailAtStart: number; trailAtEnd: number };
}

/** The minute whose memory the last one is compared with: the fifth, or the first of a shorter level. */
export const rssBaselineMinute = (minutes: number) => (minutes >= 6 ? 5 : 1);

/** The verdict of one level against each soak target; a miss is a finding, never a failed run. */
export function soakTargets(level: Omit<SoakLevelResult, 'targets'>, services: readonly string[]): Target[] {
  const at = (m: SoakMinute) => `minute ${m.minute}`;
  const worst = (pick: (m: SoakMinute) => number) =>
    level.series.reduce<SoakMinute | undefined>((a, m) => (!a || pick(m) > pick(a) ? m : a), undefined);
  const targets: Target[] = [];
  const inFlight = worst((m) => m.inFlight);
  targets.push({
    name: 'decisions in flight',
    goal: '< 100 at every minute',
    actual: inFlight ? `at most ${count(inFlight.inFlight)} (${at(inFlight)})` : 'no minute measured',
    met: !!inFlight && level.maxInFlight < 100,
  });
  for (const [name, pick] of [
    ['audit lag', (m: SoakMinute) => m.auditLagSeconds],
    ['executor lag', (m: SoakMinute) => m.executorLagSeconds],
  ] as const) {
    const m = worst(pick);
    targets.push({
      name,
      goal: '< 5 s every minute',
      actual: m ? `at most ${ms(pick(m) * 1000)} (${at(m)})` : 'no minute measured',
      met: !!m && pick(m) < 5,
    });
  }
  for (const read of READS) {
    const p95 = level.readP95Ms[read];
    targets.push({
      name: `${read} p95`,
      goal: '< 300 ms',
      actual: Number.isFinite(p95) ? ms(p95) : 'never read',
      met: Number.isFinite(p95) && p95 < 300,
    });
  }
  targets.push({ name: 'HTTP 5xx', goal: '0', actual: count(level.http5xx), met: level.http5xx === 0 });
  const base = rssBaselineMinute(level.series.length);
  const first = level.series[base - 1];
  const last = level.series[level.series.length - 1];
  for (const name of services) {
    const from = first?.rssMB[name];
    const to = last?.rssMB[name];
    const growth = from && to ? (to - from) / from : NaN;
    targets.push({
      name: `${name} RSS flat`,
      goal: `last minute within 10 % of minute ${base}`,
      actual: Number.isFinite(growth)
        ? `${fmt(from as number)} → ${fmt(to as number)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %)`
        : 'not measured',
      met: Number.isFinite(growth) && Math.abs(growth) <= 0.1,
    });
  }
  return targets;
}

/** Writes `<timestamp>-soak[-smoke].json`, `latest-soak[-smoke].json` and the SVG beside it. */
export function writeSoakResults(dir: string, results: SoakResults): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const name = results.scale === 'smoke' ? 'soak-smoke' : 'soak';
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const written = [path.join(dir, `${stamp}-${name}.json`), path.join(dir, `latest-${name}.json`)];
  for (const file of written) fs.writeFileSync(file, json);
  if (results.levels.some((l) => l.series.length)) {
    const svg = path.join(dir, `latest-${name}.svg`);
    fs.writeFileSync(svg, renderSoakSvg(results));
    written.push(svg);
  }
  return written;
}

/** Whole numbers as they are (fmt gives small ones decimals, as for rates and seconds). */
const count = (value: number) => (Number.isNaN(value) ? '–' : value.toLocaleString('en-US'));

const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/** One line per minute as it is measured, on stderr. */
export function minuteLine(rate: number, m: SoakMinute): string {
  const p95 = READS.map((r) => `${r} ${m.reads[r] ? ms(m.reads[r].p95) : '–'}`).join(', ');
  return (
    `${rate}/s minute ${m.minute}: in flight ${m.inFlight}, audit lag ${ms(m.auditLagSeconds * 1000)}, ` +
    `executor lag ${ms(m.executorLagSeconds * 1000)}, 5xx ${m.http5xx}, reviewer acts ${m.reviewerActs}; ` +
    `p95 ${p95}`
  );
}

/** The Markdown the soak prints, ready to paste into the README. */
export function renderSoakMarkdown(results: SoakResults): string {
  const { machine } = results;
  const out: string[] = [
    `### Soak (${results.scale}, ${results.startedAt.slice(0, 10)}, store ${results.store})`,
    '',
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, Kafka ` +
      `${machine.kafka}; every service as its own process, the demo's stream, ` +
      `${(results.plan.reviewers as string[]).length} simulated reviewers. Commit ${results.code.commit.slice(0, 10)}` +
      (results.code.uncommittedChanges.length ? ' with uncommitted changes.' : '.'),
    '',
  ];
  if (results.failure) {
    out.push(
      `**Run failed:** ${results.failure.message}`,
      '',
      ...results.failure.details.map((d) => `- ${d}`),
      '',
    );
  }
  if (results.seed) {
    const s = results.seed;
    out.push(
      s.seeded
        ? `Seed: ${count(s.decisions)} decisions through scoring, routing and audit, every route auto, in ${fmt(s.seconds)} s; the audit trail went from ` +
            `${count(s.recordsBefore)} to ${count(s.recordsAfter)} records (target ${count(s.target)}).`
        : `Seed: the store already held ${count(s.recordsBefore)} audit records (target ${count(s.target)}).`,
      '',
    );
  }
  for (const level of results.levels) {
    out.push(
      `#### ${fmt(level.rate)} decisions/s for ${count(level.minutes)} min (${count(level.decisions)} decisions, ` +
        `store ${fmt(level.storeRecordsAtStart)} → ${fmt(level.storeRecords)} audit records, ${drainText(level)})`,
      '',
      table(
        ['target', 'goal', 'measured', ''],
        level.targets.map((t) => [t.name, t.goal, t.actual, t.met ? 'met' : '**missed**']),
      ),
      '',
      table(
        ['read', 'count', 'p50', 'p95', 'p99', 'max', 'timeouts', 'errors'],
        READS.map((r) => {
          const f = level.readsMs[r];
          return f
            ? [
                r,
                count(f.count),
                ms(f.p50),
                ms(f.p95),
                ms(f.p99),
                ms(f.max),
                count(f.timeouts),
                count(f.errors),
              ]
            : [r, '0', '–', '–', '–', '–', '–', '–'];
        }),
      ),
      '',
      table(
        [
          'minute',
          'in flight',
          'audit lag',
          'executor lag',
          'queue p95',
          'task p95',
          'list p95',
          '5xx',
          'machine CPU',
        ],
        level.series.map((m) => [
          String(m.minute),
          count(m.inFlight),
          ms(m.auditLagSeconds * 1000),
          ms(m.executorLagSeconds * 1000),
          ms(m.reads.queue?.p95 ?? NaN),
          ms(m.reads.taskView?.p95 ?? NaN),
          ms(m.reads.decisionList?.p95 ?? NaN),
          count(m.http5xx),
          `${fmt(m.machineBusyCores)} of ${machine.cores}`,
        ]),
      ),
      '',
      table(
        ['process', 'peak RSS (MB)'],
        Object.entries(level.peakRssMB).map(([name, mb]) => [name, fmt(mb)]),
      ),
      '',
    );
  }
  if (results.audit) {
    out.push(
      `Audit trail: ${count(results.audit.storedEvents)} of ${count(results.audit.expectedEvents)} events of the run stored; ` +
        `${count(results.audit.trailAtStart)} records before the run, ${count(results.audit.trailAtEnd)} after.`,
      '',
    );
  }
  return out.join('\n');
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Per level, three panels over the minutes: decisions in flight (goal 100), audit and executor lag (goal 5 s)
 * and each read's p95 (log scale, goal 300 ms).
 */
export function renderSoakSvg(results: SoakResults): string {
  const panelW = 300;
  const panelH = 180;
  const gapX = 70;
  const rowH = panelH + 90;
  const width = 60 + 3 * (panelW + gapX);
  const height = 40 + results.levels.length * rowH + 30;
  const parts: string[] = [];
  const text = (x: number, y: number, body: string, attrs = '') =>
    parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(body)}</text>`);
  const palette = ['#1b4f72', '#2e86c1', '#27ae60', '#d35400', '#8e44ad', '#c0392b', '#7f8c8d'];

  results.levels.forEach((level, row) => {
    const top = 50 + row * rowH;
    text(10, top - 22, `${fmt(level.rate)} decisions/s for ${fmt(level.minutes)} min`, 'font-weight="bold"');
    const n = Math.max(1, level.series.length);
    const panel = (
      col: number,
      title: string,
      lines: { label: string; values: number[] }[],
      goal: number,
      unit: (v: number) => string,
      log: boolean,
    ) => {
      const x0 = 60 + col * (panelW + gapX);
      const all = lines.flatMap((l) => l.values).filter((v) => Number.isFinite(v));
      const topValue = Math.max(goal * 1.5, ...all);
      const scale = (v: number) =>
        log
          ? (Math.log10(Math.max(1, v)) / Math.log10(Math.max(10, topValue))) * panelH
          : (v / (topValue || 1)) * panelH;
      const y = (v: number) => top + panelH - scale(v);
      const x = (i: number) => x0 + (n === 1 ? panelW / 2 : (i / (n - 1)) * panelW);
      text(x0, top - 6, title, 'font-size="12"');
      parts.push(
        `<rect x="${x0}" y="${top}" width="${panelW}" height="${panelH}" fill="none" stroke="#ccc"/>`,
        `<line x1="${x0}" y1="${y(goal)}" x2="${x0 + panelW}" y2="${y(goal)}" stroke="#c0392b" stroke-dasharray="6 4"/>`,
      );
      text(
        x0 + panelW - 4,
        y(goal) - 4,
        `goal ${unit(goal)}`,
        'text-anchor="end" font-size="10" fill="#c0392b"',
      );
      text(x0 - 6, top + 10, unit(topValue), 'text-anchor="end" font-size="10"');
      text(x0 - 6, top + panelH, log ? unit(1) : unit(0), 'text-anchor="end" font-size="10"');
      text(x0, top + panelH + 14, 'minute 1', 'font-size="10"');
      text(x0 + panelW, top + panelH + 14, `minute ${n}`, 'text-anchor="end" font-size="10"');
      lines.forEach((line, i) => {
        const color = palette[i % palette.length];
        const points = line.values
          .map((v, j) => (Number.isFinite(v) ? `${x(j).toFixed(1)},${y(v).toFixed(1)}` : ''))
          .filter(Boolean);
        if (points.length === 1) {
          const [px, py] = points[0].split(',');
          parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
        } else if (points.length) {
          parts.push(
            `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
          );
        }
        const lx = x0 + (i % 4) * 78;
        const ly = top + panelH + 30 + Math.floor(i / 4) * 14;
        parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${color}"/>`);
        text(lx + 13, ly, line.label, 'font-size="10"');
      });
    };
    const s = level.series;
    panel(
      0,
      'decisions in flight',
      [{ label: 'in flight', values: s.map((m) => m.inFlight) }],
      100,
      fmt,
      false,
    );
    panel(
      1,
      'lag (s)',
      [
        { label: 'audit', values: s.map((m) => m.auditLagSeconds) },
        { label: 'executor', values: s.map((m) => m.executorLagSeconds) },
      ],
      5,
      (v) => `${fmt(v)} s`,
      false,
    );
    panel(
      2,
      'read p95 (log scale)',
      READS.map((r) => ({ label: r, values: s.map((m) => m.reads[r]?.p95 ?? NaN) })),
      300,
      ms,
      true,
    );
  });
  text(
    10,
    height - 10,
    `soak ${results.scale} ${results.startedAt} · store ${results.store} · ${results.machine.cpuModel} · ${results.machine.cores} cores`,
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

function drainText(level: SoakLevelResult): string {
  const left = level.undrained;
  if (!left) return `drained in ${fmt(level.drainSeconds)} s`;
  return (
    `not drained after ${fmt(level.drainSeconds)} s: ${count(left.inFlight)} decisions in flight, ` +
    `${count(left.auditBacklog)} messages for the audit service, ${count(left.executorBacklog)} for the executor`
  );
}
