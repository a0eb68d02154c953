module.exports = {
  ...require('../../jest.preset.cjs'),
  // Real PostgreSQL; Kafka for the shared consumer-group test (the others drive projections directly).
  ...require('../testing/jest.integration.cjs')(),
  displayName: 'read-models',
  rootDir: __dirname,
};
