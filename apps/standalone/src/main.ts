import 'reflect-metadata';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig, startHttpApp } from '@chip-ledger/http';
import { startEmbeddedPostgres } from '@chip-ledger/embedded-postgres';
import { loadDemoDataInto, wantsDemoData } from '@chip-ledger/demo-data';
import { StandaloneModule } from './app/standalone.module';

/**
 * `npm start`: the whole product in one process. Without DATABASE_URL it runs a real PostgreSQL from the
 * `embedded-postgres` package, keeping its data under ./data/postgres between runs.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const started = Date.now();
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres') });
    databaseUrl = embedded.url;
    Logger.log(`Embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${path.join(config.dataDir, 'postgres')})`, 'Bootstrap');
  }
  const app = await startHttpApp(StandaloneModule.forRoot({ ...config, databaseUrl }), config, {
    name: 'Chip Ledger (standalone)',
    title: 'Chip Ledger',
    description: 'The system of record for AI-accelerator chips: procurement, rentals, export licences, audits and compliance findings.',
    dashboard: true,
  });
  if (wantsDemoData(process.argv.slice(2), process.env)) await loadDemoDataInto(app, config);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
