// The two test rings every project's jest configs are built from, so a rule about tests lives in one place.
// ts-jest only transpiles (isolatedModules in each tsconfig.spec.json): the `typecheck` target catches type
// errors, which keeps a 2-core test run fast.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

function ring(projectDir, suffix) {
  const { name } = require(path.join(projectDir, 'project.json'));
  return {
    displayName: suffix ? `${name}:${suffix}` : name,
    rootDir: projectDir,
    testEnvironment: 'node',
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: path.join(__dirname, '/') }),
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(projectDir, 'tsconfig.spec.json') }] },
    // Decorated contract classes need the Reflect metadata API before they load.
    setupFiles: ['reflect-metadata'],
    // Per-run counts for the one `tests: N passed, N failed` line of the test command.
    reporters: ['default', path.join(__dirname, 'libs/testing/src/jest/totals-reporter.js')],
  };
}

/** Unit ring: `src/**\/*.spec.ts` beside the code, no I/O. */
exports.unitRing = (projectDir) => ({ ...ring(projectDir), testMatch: ['<rootDir>/src/**/*.spec.ts'] });

/** Integration ring: `e2e/**\/*.e2e-spec.ts` against the real broker and store, started once by the global setup. */
exports.integrationRing = (projectDir) => ({
  ...ring(projectDir, 'e2e'),
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
  testTimeout: 120_000,
});

/** A check over what the integration ring left behind (e.g. its store command log): no broker, no store. */
exports.checkRing = (projectDir) => ({
  ...ring(projectDir, 'check'),
  testMatch: ['<rootDir>/check/**/*.check-spec.ts'],
});
