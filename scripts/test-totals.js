// Sums the per-run counts the jest totals reporter left in tmp/test-results and prints them alone on a line.
// A failed step that recorded no failing test (a lint error, a suite that could not start) still fails the
// run: it is listed, and the exit code is non-zero.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', 'tmp', 'test-results');
const [, , failedStepCount, ...failedSteps] = process.argv;
const runs = fs.existsSync(dir)
  ? fs.readdirSync(dir).map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')))
  : [];

const passed = runs.reduce((sum, run) => sum + run.passed, 0);
const failedTests = runs.reduce((sum, run) => sum + run.failed, 0);
// A step can fail without a failing test to show for it; the line must still not read "0 failed".
const failed = failedTests > 0 ? failedTests : Number(failedStepCount);
for (const run of runs.sort((a, b) => a.project.localeCompare(b.project))) {
  console.log(`  ${run.project.padEnd(40)} ${run.passed} passed, ${run.failed} failed`);
}
for (const run of runs) {
  for (const failure of run.failures ?? []) console.log(`  failed: ${run.project}: ${failure}`);
}
if (Number(failedStepCount) > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
