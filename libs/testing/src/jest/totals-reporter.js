// Writes each jest run's pass/fail counts to tmp/test-results/, so the test command can print one total
// over every project and ring (CI reads `tests: N passed, N failed`, not jest's own summary).
const fs = require('node:fs');
const path = require('node:path');

const RESULTS_DIR = path.resolve(__dirname, '../../../../tmp/test-results');

class TotalsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    // A suite that failed to run (syntax error, failed globalSetup) reports no tests: count it as a failure.
    const brokenSuites = results.testResults.filter(
      (suite) => suite.testExecError && suite.numPassingTests + suite.numFailingTests === 0,
    ).length;
    const failedToStart = results.runExecError ? 1 : 0;
    // Named in the run's last lines, so a CI log that keeps only its tail still says what broke.
    const failures = results.testResults.flatMap((suite) => [
      ...(suite.testExecError
        ? [`${path.basename(suite.testFilePath)}: ${firstLines(suite.testExecError.message)}`]
        : []),
      ...suite.testResults
        .filter((test) => test.status === 'failed')
        .map((test) => `${test.fullName}: ${firstLines(test.failureMessages.join('\n'))}`),
    ]);
    const record = {
      project: path.relative(path.resolve(__dirname, '../../../..'), this.rootDir) || '.',
      passed: results.numPassedTests,
      failed: results.numFailedTests + brokenSuites + failedToStart,
      pending: results.numPendingTests + results.numTodoTests,
      failures,
      finishedAt: new Date().toISOString(),
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(
      RESULTS_DIR,
      `${record.project.replace(/[^a-z0-9]+/gi, '_')}-${process.pid}-${Date.now()}.json`,
    );
    fs.writeFileSync(file, JSON.stringify(record));
  }
}

function firstLines(message) {
  // eslint-disable-next-line no-control-regex
  const plain = String(message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const lines = plain
    .split('\n')
    .map((text) => text.trim())
    .filter((text) => text !== '');
  return lines.slice(0, 4).join(' | ').slice(0, 400);
}

module.exports = TotalsReporter;
