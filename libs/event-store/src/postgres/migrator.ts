import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { eventStoreMigrations, type EventStoreMigration } from './migrations';
import { quoteSchema } from './schema-name';

export interface MigrationReport {
  readonly schema: string;
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/**
 * Creates the schema and applies the missing migrations, each in its own transaction, recording them in
 * `<schema>.schema_migrations`. Safe to run from several instances at once (an advisory lock serialises
 * them) and at every start (applied migrations are skipped; an edited one is refused).
 */
export async function migrateEventStore(
  pool: Pool,
  schema: string,
  migrations: readonly EventStoreMigration[] = eventStoreMigrations,
): Promise<MigrationReport> {
  const quoted = quoteSchema(schema);
  const client = await pool.connect();
  try {
    // Session lock keyed by schema: concurrent starts wait instead of racing on CREATE TABLE.
    await client.query(`SELECT pg_advisory_lock(hashtext('chip-ledger.migrate'), hashtext($1))`, [schema]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
           id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ id: string; checksum: string }>(`SELECT id, checksum FROM ${quoted}.schema_migrations`);
      const done = new Map(rows.map((row) => [row.id, row.checksum]));
      const applied: string[] = [];
      const alreadyApplied: string[] = [];
      for (const migration of migrations) {
        const checksum = createHash('sha256').update(migration.sql).digest('hex');
        const recorded = done.get(migration.id);
        if (recorded !== undefined) {
          if (recorded !== checksum) throw new Error(`Migration ${migration.id} in schema ${schema} was changed after it was applied`);
          alreadyApplied.push(migration.id);
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(migration.sql.replaceAll('{{schema}}', quoted));
          await client.query(`INSERT INTO ${quoted}.schema_migrations (id, checksum) VALUES ($1, $2)`, [migration.id, checksum]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.id);
      }
      return { schema, applied, alreadyApplied };
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('chip-ledger.migrate'), hashtext($1))`, [schema]);
    }
  } finally {
    client.release();
  }
}
