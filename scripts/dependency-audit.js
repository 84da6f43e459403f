// `npm audit --omit=dev` as a step of the test command: fails on any high or critical advisory against a
// production dependency unless security/audit-exceptions.json accepts it, with a reason and a review date.
// Where the registry's advisory endpoint cannot be reached (some mirrors and sandboxes answer 405), it says so
// plainly and passes: an audit that could not run is reported, not counted as a finding.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const EXCEPTIONS_FILE = path.join(__dirname, '..', 'security', 'audit-exceptions.json');
const BLOCKING = new Set(['high', 'critical']);

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.log(
    `dependency audit: npm audit gave no report (${(run.stderr || run.error || '').toString().trim()})`,
  );
  process.exit(1);
}
if (!report.vulnerabilities) {
  const why = report.message ?? report.error?.summary ?? JSON.stringify(report).slice(0, 200);
  console.log(`dependency audit: NOT RUN, the registry's advisory endpoint is unavailable here: ${why}`);
  process.exit(0);
}

const { exceptions } = JSON.parse(fs.readFileSync(EXCEPTIONS_FILE, 'utf8'));
const today = new Date().toISOString().slice(0, 10);
const problems = [];
for (const [url, exception] of Object.entries(exceptions)) {
  if (!exception.reason || !/^\d{4}-\d{2}-\d{2}$/.test(exception.reviewBy ?? '')) {
    problems.push(`exception ${url} needs a reason and a reviewBy date (YYYY-MM-DD)`);
  } else if (exception.reviewBy < today) {
    problems.push(
      `exception ${url} was to be reviewed by ${exception.reviewBy}: review it, renew or drop it`,
    );
  }
}
let accepted = 0;
for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
  for (const advisory of vulnerability.via.filter((via) => typeof via === 'object')) {
    if (!BLOCKING.has(advisory.severity)) continue;
    if (exceptions[advisory.url]) accepted++;
    else
      problems.push(
        `${advisory.severity}: ${name} ${vulnerability.range}: ${advisory.title} (${advisory.url})`,
      );
  }
}
const counts = report.metadata?.vulnerabilities ?? {};
console.log(
  `dependency audit: ${Object.entries(counts)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ')}; ${accepted} accepted by security/audit-exceptions.json`,
);
for (const problem of problems) console.log(`  ${problem}`);
process.exit(problems.length ? 1 : 0);
