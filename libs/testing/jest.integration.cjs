// Jest settings for a project whose tests need the real PostgreSQL and (unless told otherwise) Kafka:
//   ...require('../testing/jest.integration.cjs')({ kafka: false })
const path = require('node:path');

module.exports = ({ kafka = true } = {}) => ({
  globalSetup: path.join(__dirname, 'src/jest/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'src/jest/global-teardown.ts'),
  globals: { chipLedgerNeedsKafka: kafka },
  testTimeout: 60_000,
});
