module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'audit-read',
  rootDir: __dirname,
};
