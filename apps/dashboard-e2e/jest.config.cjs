// Browser tests: a real Chromium (playwright-core) against the standalone app, started as its own process on the
// test run's PostgreSQL with the demo data.
module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../../libs/testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'dashboard-e2e',
  rootDir: __dirname,
  testTimeout: 60_000,
};
