// Unit tests of the dashboard's pure modules (view models, routes, tokens); the browser tests are apps/dashboard-e2e.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'dashboard',
  rootDir: __dirname,
  testMatch: ['**/?(*.)+(unit.spec).ts'],
};
