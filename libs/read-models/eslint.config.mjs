// The read models' lint: the workspace's, plus the layer inside this library. A read model's data-access code (its
// pure evolve, its projection, its entities, migrations and query functions) runs in the projection engine, the
// tests, the CLI and the benchmarks without Nest: only its handlers, controllers, DTOs and modules are Nest wiring.
import base from '../../eslint.config.mjs';

export default [
  ...base,
  {
    files: ['**/*.{evolve,projection,entities,migrations,queries}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*'],
              message: "Data-access code (evolve, projection, entities, migrations, queries) stays Nest-free: Nest wiring goes in the read model's *.handlers.ts / *.controller.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // Query handlers are decorated Nest classes: their injected classes need value imports for DI metadata.
    files: ['**/*.handlers.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
];
