// Shared Jest settings for every project: SWC transform (fast, keeps decorator metadata for Nest)
// and the tsconfig path aliases, so '@chip-ledger/*' imports resolve to library sources.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

/** Packages published only as ES modules that the tests load (directly or through NestJS). */
const ESM_ONLY_PACKAGES = ['@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', '@borewit', 'uint8array-extras', '@standard-schema'];

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
    // NestJS 12 (and a few packages it loads) ship only ES modules, which Jest's CommonJS module system cannot
    // load (Node itself can: `require(esm)` from 20.19). Jest compiles those packages to CommonJS with SWC too.
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec).ts'],
};
