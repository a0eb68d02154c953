import 'reflect-metadata';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { InvalidConfigError, loadConfig, startHttpApp } from '@chip-ledger/http';
import { EmbeddedPostgresError, startEmbeddedPostgres, type PostgresHandle } from '@chip-ledger/embedded-postgres';
import { StandaloneModule } from './app/standalone.module';

/**
 * `npm start`: the whole product in one process. Without DATABASE_URL it runs a real PostgreSQL from the
 * `embedded-postgres` packages' binaries, keeping its data under ./data/postgres between runs, durably.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  let databaseUrl = config.databaseUrl;
  let embedded: PostgresHandle | null = null;
  if (!databaseUrl) {
    const started = Date.now();
    const dataDir = path.join(config.dataDir, 'postgres');
    embedded = await startEmbeddedPostgres({ dataDir });
    databaseUrl = embedded.url;
    Logger.log(`Embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${dataDir})`, 'Bootstrap');
  }
  await startHttpApp(StandaloneModule.forRoot({ ...config, databaseUrl }, { onShutdown: embedded?.stop }), config, {
    name: 'Chip Ledger (standalone)',
    title: 'Chip Ledger',
    description: 'The system of record for AI-accelerator chips: procurement, rentals, export licences, audits and compliance findings.',
  });
}

main().catch((error: unknown) => {
  // What a person can act on, without a stack trace: a setting to fix, or PostgreSQL's own words and what to do.
  if (error instanceof InvalidConfigError || error instanceof EmbeddedPostgresError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
