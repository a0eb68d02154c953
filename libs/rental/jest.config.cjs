module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'rental',
  rootDir: __dirname,
};
