module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../../libs/testing/jest.integration.cjs')(),
  displayName: 'rental-service',
  rootDir: __dirname,
};
