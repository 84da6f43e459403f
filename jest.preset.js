// Shared by every project's jest configs. ts-jest transpiles only (isolatedModules in tsconfig.spec.json):
// type errors are caught by the `typecheck` target, which keeps a 2-core test run fast.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  // Decorated contract classes need the Reflect metadata API before they load.
  setupFiles: ['reflect-metadata'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: path.join(__dirname, '/') }),
  reporters: ['default', path.join(__dirname, 'libs/testing/src/jest/totals-reporter.js')],
};
