// The live check of the dashboards against a Prometheus that scrapes a running platform (PROMETHEUS_URL): not in
// the test command, since it needs `npm start` and the demo's traffic. The e2e ring's suite does the same
// against a platform and a Prometheus of its own.
module.exports = {
  ...require('../../jest.rings').integrationRing(__dirname),
  displayName: 'grafana-dashboards:live',
  testMatch: ['<rootDir>/live/**/*.live-spec.ts'],
  globalSetup: undefined,
  testTimeout: 300_000,
};
