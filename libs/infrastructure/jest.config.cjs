module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'infrastructure',
  rootDir: __dirname,
};
