// Integration and end-to-end rings: the real Kafka broker and FerretDB, started once by the global setup.
const path = require('node:path');
const base = require('./jest.preset.js');

module.exports = {
  ...base,
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
  testTimeout: 60_000,
};
