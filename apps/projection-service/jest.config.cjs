module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../../libs/testing/jest.integration.cjs')(),
  displayName: 'projection-service',
  rootDir: __dirname,
};
