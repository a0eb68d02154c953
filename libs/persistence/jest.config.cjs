module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'persistence',
  rootDir: __dirname,
};
