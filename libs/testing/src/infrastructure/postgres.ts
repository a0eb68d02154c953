import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type PostgresHandle } from '@chip-ledger/embedded-postgres';
import { Client } from 'pg';

export type { PostgresHandle };

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
    drop: () => withClient(adminUrl, (client) => dropDatabase(client, name)),
  };
}

/** How long a drop lets the database's connections close on their own before it ends them. */
const DROP_GRACE_MS = 2_000;

/**
 * `pool.end()` resolves before its connections' sockets have closed. Dropping the database WITH (FORCE) at once
 * has the server end those with 57P01, which their pool re-emits as an 'error' event: unhandled, it fails
 * whichever test is running (a flaky teardown). So the drop waits, briefly, for the database to have no other
 * session, and forces only what is still connected after that (a pool a test never ended).
 */
async function dropDatabase(client: Client, name: string): Promise<void> {
  const deadline = Date.now() + DROP_GRACE_MS;
  for (;;) {
    const { rows } = await client.query<{ sessions: number }>(
      'SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    if ((rows[0]?.sessions ?? 0) === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
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
