// The live check of the dashboards against a Prometheus that scrapes a running platform (PROMETHEUS_URL). Not
// in the e2e ring: it needs the platform's metrics and the lag exporter scraped, which `npm start` provides.
module.exports = {
  ...require('../../jest.rings').integrationRing(__dirname),
  globalSetup: undefined,
  testTimeout: 300_000,
};
