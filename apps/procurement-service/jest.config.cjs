module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../../libs/testing/jest.integration.cjs')(),
  displayName: 'procurement-service',
  rootDir: __dirname,
};
