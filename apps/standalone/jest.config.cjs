module.exports = {
  ...require('../../jest.preset.cjs'),
  ...require('../../libs/testing/jest.integration.cjs')({ kafka: false }),
  displayName: 'standalone',
  rootDir: __dirname,
};
