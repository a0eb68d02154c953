import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { Client, type Pool } from 'pg';
import { openDatabase, type Database } from './data-source';

/** Ends a session as `pg_ctl restart -m fast` does (SQLSTATE 57P01 to the client), from another connection. */
async function terminate(url: string, applicationName: string): Promise<number> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [applicationName],
    );
    return rows[0].n;
  } finally {
    await admin.end();
  }
}

describe('guarded connections: the server ending sessions (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;
  const errors: Error[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('guarded_pool');
    db = await openDatabase({ url: database.url, poolSize: 4, applicationName: 'guarded-pool-test', onConnectionError: (error) => errors.push(error) });
    pool = db.pool;
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('survives the session of a checked-out, idle client being ended, and reports it', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    expect(await terminate(database.url, 'guarded-pool-test')).toBe(1);
    // Unguarded, the client's 'error' event has no listener here and throws out of the socket handler.
    await ended;
    expect(errors.map((e) => (e as { code?: string }).code)).toContain('57P01');
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    // The pool opens a new connection for the next query.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('survives idle pooled clients being ended', async () => {
    await Promise.all([pool.query('SELECT pg_sleep(0.01)'), pool.query('SELECT pg_sleep(0.01)')]);
    expect(pool.idleCount).toBeGreaterThan(0);
    await terminate(database.url, 'guarded-pool-test');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
