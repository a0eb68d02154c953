module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'audit-read',
  rootDir: __dirname,
};
