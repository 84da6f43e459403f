/** What the demo prints: the live summary, its one-line form for logs and CI, and the final report. Pure. */
import { Route, ROUTES, Topic, TIERS } from '@oversight/contracts';
import { MonitoringSnapshot, monitoringLines, MonitoringUrls } from './monitoring-watch';
import { TallySnapshot } from './run-tally';

export interface SummaryContext {
  runId: string;
  /** Time the stream has been (or was) running. */
  elapsedMs: number;
  /** Time the pipeline has been deciding: from the stream's start until now, or until its last outcome. */
  pipelineMs: number;
  durationSeconds?: number;
  rate: number;
  seed: number;
  /** e.g. `reference v1`, as scoring sees it on the policy topic. */
  policy: string;
  /** Halts in force on the demo's functions, e.g. `telecom-billing: suspected fraud`, and how many elsewhere. */
  halts: { touching: string[]; others: number };
  /** Events the audit service has stored since the run began (its committed offsets); undefined until read. */
  auditStored?: number;
  /** What the trail should hold once every outcome is stored. */
  auditExpected: number;
  services: { name: string; up: boolean }[];
  /** The services were stopped on purpose (the final report). */
  servicesStopped?: boolean;
  /** Problems worth a line of their own (a send refused, a count failing). */
  warnings: string[];
  where: WhereToLook;
  /** Prometheus's view of the run: scrape targets and alerts; undefined until asked, error when it failed. */
  monitoring?: { snapshot?: MonitoringSnapshot; error?: string };
}

export interface WhereToLook {
  logsDir: string;
  serviceLogs: string[];
  demoLog: string;
  mongodbUri: string;
  /** The store's collections, once known. */
  collections?: string[];
  kafkaBrokers: string;
  monitoring: MonitoringUrls;
  /** The console's Operations screen. */
  operationsUrl: string;
}

const ROUTE_LABEL: Record<Route, string> = { auto: 'approved', review: 'review', block: 'blocked' };
const COLLECTION_NOTES: Record<string, string> = {
  audit_events: 'the audit trail',
  routing_ledger: 'one outcome per decision',
};

const n = (value: number) => value.toLocaleString('en-US');

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function counted(record: Record<string, number>): string {
  return Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${name} ${n(count)}`)
    .join(', ');
}

function haltsText(halts: SummaryContext['halts']): string {
  const others = halts.others
    ? `${halts.touching.length ? '; ' : ''}${n(halts.others)} on other functions`
    : '';
  return halts.touching.length || halts.others ? `${halts.touching.join(', ')}${others}` : 'none';
}

function outcomeLines(s: TallySnapshot, ctx: SummaryContext): string[] {
  const perSecond = ctx.pipelineMs > 0 ? s.decided / (ctx.pipelineMs / 1000) : 0;
  const waiting = s.inFlight
    ? `; in flight ${n(s.inFlight)}: ${n(s.sent - s.scored)} to score, ${n(s.scored - s.decided)} to route`
    : '; none in flight';
  const e = s.execution;
  const lines = [
    `  outcomes     ${n(s.decided)} decided (${perSecond.toFixed(1)}/s)${waiting}`,
    `  executed     ${n(e.executed)} carried out by the demo executor; ${n(e.retried)} tries retried; ` +
      `${n(e.handedToPeople)} failed for good, for a person to resolve`,
  ];
  // More than five seconds of the stream waiting: the pipeline cannot keep up on this machine.
  if (!ctx.servicesStopped && ctx.elapsedMs > 10_000 && s.inFlight > ctx.rate * 5) {
    lines.push(
      `               ! behind the stream: ${perSecond.toFixed(1)} decided/s for ${ctx.rate}/s sent ` +
        `(--rate ${Math.max(1, Math.floor(perSecond))} keeps up)`,
    );
  }
  return lines;
}

/** The route × tier table with its totals. */
function routeTable(s: TallySnapshot): string[] {
  const cell = (value: string) => value.padStart(10);
  const lines = [`               ${ROUTES.map((r) => cell(ROUTE_LABEL[r])).join('')}`];
  for (const tier of TIERS) {
    lines.push(`    ${tier.padEnd(11)}${ROUTES.map((r) => cell(n(s.tiers[tier][r]))).join('')}`);
  }
  lines.push(
    `    ${'all'.padEnd(11)}${ROUTES.map((r) => cell(n(s.routes[r]))).join('')}` +
      `   + ${n(s.postHocSamples)} of the approved sampled for post-hoc review`,
  );
  return lines;
}

function deadLetterLines(s: TallySnapshot): string[] {
  const d = s.deadLetters;
  const lines = [
    `  dead letters ${n(d.total)} of ${n(d.expected)} expected: ${n(d.malformedCaught)} of ${n(s.malformed)} ` +
      `malformed messages caught` +
      (d.total ? ` (by ${counted(d.byGroup)})` : ''),
  ];
  if (d.total) lines.push(`               reasons: ${counted(d.byReason)}`);
  if (d.ofDecisions) lines.push(`               ! ${n(d.ofDecisions)} of them for well-formed decisions`);
  return lines;
}

function auditLine(s: TallySnapshot, ctx: SummaryContext): string {
  if (ctx.auditStored === undefined) return '  audit trail  counting...';
  const gap = ctx.auditExpected - ctx.auditStored;
  return (
    `  audit trail  ${n(ctx.auditStored)} events stored for this run's decisions` +
    (gap > 0 ? ` (${n(gap)} more to come)` : ' (all of them)')
  );
}

function storeLine(where: WhereToLook): string {
  const names = where.collections?.length ? where.collections : Object.keys(COLLECTION_NOTES);
  const described = names.map((name) =>
    COLLECTION_NOTES[name] ? `${name} (${COLLECTION_NOTES[name]})` : name,
  );
  return `  store        ${where.mongodbUri}: ${described.join(', ')}`;
}

export function whereToLookLines(where: WhereToLook, exampleDecision = 'demo-…'): string[] {
  return [
    `  service logs ${where.serviceLogs.join(', ')} (JSON lines)`,
    `  demo's own   ${where.demoLog} (kafkajs warnings)`,
    `  infra        npm run infra -- status; Kafka and FerretDB logs in ${where.logsDir}/`,
    storeLine(where),
    `  audit trail  npm run audit -- timeline ${exampleDecision}`,
    `               npm run audit -- verify (recomputes every hash chain)`,
    `               npm run audit -- export --format csv --route review (or ndjson; --function, --tier, --from, --to)`,
    `  topics       ${where.kafkaBrokers}: ${Topic.DecisionProposed} → ${Topic.DecisionScored} → ` +
      `${Topic.ActionApproved} | ${Topic.ReviewRequested} | ${Topic.DecisionBlocked}`,
    `               malformed input: ${Topic.DeadLetter} (reason and source offset in the dlq.* headers)`,
    `  monitoring   Prometheus ${where.monitoring.prometheus} (targets: /targets, alerts: /alerts), ` +
      `Alertmanager ${where.monitoring.alertmanager}, lag exporter ${where.monitoring.lagExporter}`,
    `               console Operations screen ${where.operationsUrl} (sign in as root: role sre)`,
  ];
}

/** The block redrawn in place on a terminal. */
export function liveSummary(
  s: TallySnapshot,
  ctx: SummaryContext,
  stopHint = 'Ctrl-C or q to stop',
): string[] {
  const time = ctx.durationSeconds
    ? `${clock(ctx.elapsedMs)} of ${clock(ctx.durationSeconds * 1000)}`
    : clock(ctx.elapsedMs);
  const services = ctx.servicesStopped
    ? `${ctx.services.map((svc) => svc.name).join(', ')} stopped`
    : ctx.services.map((svc) => `${svc.name} ${svc.up ? 'up' : 'DOWN'}`).join(' · ');
  return [
    `oversight demo · run ${ctx.runId} · ${time} · ${ctx.rate}/s (seed ${ctx.seed}) · policy ${ctx.policy}`,
    `  sent         ${n(s.sent)} decisions, ${n(s.malformed)} malformed messages`,
    ...outcomeLines(s, ctx),
    ...routeTable(s),
    ...deadLetterLines(s),
    auditLine(s, ctx),
    `  services     ${services} · halts: ${haltsText(ctx.halts)}`,
    ...monitoringLines(ctx.where.monitoring, ctx.monitoring?.snapshot, ctx.monitoring?.error),
    ...ctx.warnings.map((warning) => `  ! ${warning}`),
    ...(stopHint
      ? [
          `  look at      ${ctx.where.serviceLogs.join(', ')}; npm run infra -- status`,
          `               ${ctx.where.mongodbUri} audit_events; topics ${Topic.ActionApproved}, ${Topic.DeadLetter}, …`,
          `  ${stopHint}`,
        ]
      : []),
  ];
}

/** One line every few seconds when the output is not a terminal. */
export function progressLine(s: TallySnapshot, ctx: SummaryContext): string {
  const audit = ctx.auditStored === undefined ? '-' : n(ctx.auditStored);
  const down = ctx.services.filter((svc) => !svc.up).map((svc) => svc.name);
  return (
    `demo ${clock(ctx.elapsedMs)}  sent ${n(s.sent)} (+${n(s.malformed)} malformed) · approved ${n(s.routes.auto)}` +
    ` · review ${n(s.routes.review)} · blocked ${n(s.routes.block)} · post-hoc ${n(s.postHocSamples)}` +
    ` · executed ${n(s.execution.executed)} · in flight ${n(s.inFlight)} · dead letters ${n(s.deadLetters.total)} · audit ${audit}` +
    (down.length ? ` · DOWN: ${down.join(', ')}` : '') +
    (ctx.monitoring?.snapshot?.total
      ? ` · targets up ${ctx.monitoring.snapshot.up}/${ctx.monitoring.snapshot.total}`
      : '') +
    ctx.warnings.map((warning) => ` · ! ${warning}`).join('')
  );
}

/** Sent and routed per scenario, against what the reference policy says. */
export function scenarioTable(s: TallySnapshot): string[] {
  const cell = (value: string, width = 9) => value.padStart(width);
  const lines = [
    `  ${'scenario'.padEnd(30)}${cell('sent', 6)}${ROUTES.map((r) => cell(ROUTE_LABEL[r])).join('')}  policy says`,
  ];
  for (const row of s.byScenario) {
    const malformed = row.expect === 'dead-letter';
    const counts = malformed
      ? ' '.repeat(9 * ROUTES.length)
      : ROUTES.map((r) => cell(n(row.routes[r]))).join('');
    const fate = malformed
      ? `dead letter (${n(row.deadLettered)} of ${n(row.sent)} caught)`
      : ROUTE_LABEL[row.expect as Route];
    const flag = row.unexpected ? `  ! ${n(row.unexpected)} went elsewhere` : '';
    lines.push(`  ${row.label.padEnd(30)}${cell(n(row.sent), 6)}${counts}  ${fate}${flag}`);
  }
  return lines;
}

export function finalReport(s: TallySnapshot, ctx: SummaryContext): string[] {
  const lines = ['', ...liveSummary(s, ctx, ''), '', 'by scenario', ...scenarioTable(s), ''];
  if (s.unexpectedRoutes) {
    lines.push(
      `! ${n(s.unexpectedRoutes)} decisions went elsewhere than the reference policy sends them` +
        (ctx.halts.touching.length
          ? ` (halts in force: ${ctx.halts.touching.join(', ')})`
          : ' (was a halt or another policy in force for a while?)'),
    );
  } else if (s.decided) {
    lines.push(`all ${n(s.decided)} decided decisions went where the reference policy sends them`);
  }
  if (s.inFlight) {
    lines.push(`${n(s.inFlight)} decisions had no outcome yet when the services stopped (not counted above)`);
  }
  const examples = ROUTES.flatMap((route) => {
    const example = s.examples[route];
    return example ? [`  ${ROUTE_LABEL[route].padEnd(9)} ${example.decisionId}  (${example.scenario})`] : [];
  });
  if (examples.length) lines.push('', 'decisions to look up', ...examples);
  lines.push(
    '',
    'where to look next',
    ...whereToLookLines(ctx.where, s.examples.block?.decisionId ?? s.examples.review?.decisionId),
  );
  return lines;
}
