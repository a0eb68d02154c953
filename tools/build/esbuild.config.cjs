// esbuild settings for `nx build <app>` (@nx/esbuild): one CommonJS file per app, npm packages left external.
// esbuild itself does not emit decorator metadata (`design:paramtypes`), which Nest's dependency injection and
// the OpenAPI/validation decorators read, so TypeScript goes through SWC first, with the same settings as
// `npm start` and the tests (jest.preset.cjs); esbuild then only bundles the JavaScript SWC emits.
const { transformFile } = require('@swc/core');

/** @type {import('esbuild').Plugin} */
const swcWithDecoratorMetadata = {
  name: 'swc-decorator-metadata',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const { code } = await transformFile(path, {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
        swcrc: false,
        configFile: false,
      });
      return { contents: code, loader: 'js' };
    });
  },
};

module.exports = {
  outExtension: { '.js': '.js' },
  keepNames: true,
  plugins: [swcWithDecoratorMetadata],
};
