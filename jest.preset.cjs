// Shared Jest settings for every project: SWC transform (fast, keeps decorator metadata for Nest)
// and the tsconfig path aliases, so '@chip-ledger/*' imports resolve to library sources.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          // Path aliases rewritten at compile time too: Jest loads global setup files outside its
          // module system, where moduleNameMapper does not apply.
          baseUrl: __dirname,
          paths: compilerOptions.paths,
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec).ts'],
};
