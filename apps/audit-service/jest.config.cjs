module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../../libs/testing/jest.integration.cjs')(),
  displayName: 'audit-service',
  rootDir: __dirname,
};
