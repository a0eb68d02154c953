module.exports = {
  ...require('../../jest.preset.cjs'),
  // Real PostgreSQL; no Kafka: projections are driven directly with event envelopes.
  ...require('../testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'read-models',
  rootDir: __dirname,
};
