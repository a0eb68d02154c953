module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../testing/jest.integration.cjs')(),
  displayName: 'messaging',
  rootDir: __dirname,
};
