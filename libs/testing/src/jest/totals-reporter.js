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
    const record = {
      project: path.relative(path.resolve(__dirname, '../../../..'), this.rootDir) || '.',
      passed: results.numPassedTests,
      failed: results.numFailedTests + brokenSuites + failedToStart,
      pending: results.numPendingTests + results.numTodoTests,
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

module.exports = TotalsReporter;
