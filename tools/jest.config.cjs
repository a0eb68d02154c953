module.exports = {
  ...require('../jest.preset.cjs'),
  // The CLI's database commands against a real PostgreSQL (no Kafka).
  ...require('../libs/testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'tools',
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '/kafka/\\.jars/', '/kafka/\\.data/'],
};
