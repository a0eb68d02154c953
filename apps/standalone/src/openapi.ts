import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { standaloneOpenApiDocument } from './app/openapi-document';

/**
 * `node tools/scripts/ts-run.mjs apps/standalone/src/openapi.ts [file]`: writes the OpenAPI document that
 * GET /openapi.json serves (default tmp/openapi.json), with no database; `npm run lint:openapi` lints it.
 */
async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? 'tmp/openapi.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(await standaloneOpenApiDocument(), null, 2)}\n`);
  console.log(`OpenAPI document written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
