module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'event-store',
  rootDir: __dirname,
};
