import 'reflect-metadata';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { exitOnStartupFailure, loadConfig, startHttpApp, useAppLogger } from '@chip-ledger/http';
import { startEmbeddedPostgres, type PostgresHandle } from '@chip-ledger/embedded-postgres';
import { loadDemoDataInto, wantsDemoData } from '@chip-ledger/demo-data';
import { STANDALONE_API_INFO } from './app/api-info';
import { StandaloneModule } from './app/standalone.module';

/**
 * `npm start`: the whole product in one process. Without DATABASE_URL it runs a real PostgreSQL from the
 * `embedded-postgres` packages' binaries, keeping its data under ./data/postgres between runs, durably.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { service: 'standalone' });
  useAppLogger(config);
  let databaseUrl = config.databaseUrl;
  let embedded: PostgresHandle | null = null;
  if (!databaseUrl) {
    const started = Date.now();
    const dataDir = path.join(config.dataDir, 'postgres');
    embedded = await startEmbeddedPostgres({ dataDir });
    databaseUrl = embedded.url;
    Logger.log(`Embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${dataDir})`, 'Bootstrap');
  }
  const app = await startHttpApp(StandaloneModule.forRoot({ ...config, databaseUrl }, { onShutdown: embedded?.stop }), config, {
    name: 'Chip Ledger (standalone)',
    ...STANDALONE_API_INFO,
    dashboard: true,
  });
  if (wantsDemoData(process.argv.slice(2), process.env)) await loadDemoDataInto(app, config);
}

// A setting to fix, or PostgreSQL's own words and what to do, print as they are: no stack trace.
main().catch(exitOnStartupFailure);
