module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'command-http',
  rootDir: __dirname,
};
