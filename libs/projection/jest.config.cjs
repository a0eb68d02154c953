module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../testing/jest.integration.cjs')(),
  displayName: 'projection',
  rootDir: __dirname,
};
