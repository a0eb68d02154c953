import { openDatabase, type Database } from '@chip-ledger/persistence';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GenerationRegistry } from '../generations/generation-registry';
import { countingProjection } from '../testing/counting-projection';

/** A migration a later version of the counting read model adds. */
class CountingNotes1700000000002 implements MigrationInterface {
  readonly name = 'CountingNotes1700000000002';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE notes (note text)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE notes`);
  }
}

describe('Engine tables of a generation (real PostgreSQL)', () => {
  let db: TestDatabase;
  let database: Database;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('engine_schema');
    database = await openDatabase({ url: db.url, poolSize: 3 });
    pool = database.pool;
  });

  afterAll(async () => {
    await database.close();
    await db.drop();
  });

  it('turns a generation deduplicated by event id into stream heads when the engine starts', async () => {
    // given generation 1 created by an engine that kept one applied_events row per event
    const registry = new GenerationRegistry(database.dataSource);
    await registry.migrate();
    const projection = countingProjection();
    const { schema } = await registry.ensureActive(projection);
    // (an engine of that version kept no record of its migrations either)
    await pool.query(`DROP TABLE ${schema}.migrations`);
    await pool.query(`DROP TABLE ${schema}.stream_heads`);
    await pool.query(`CREATE TABLE ${schema}.applied_events (event_id uuid PRIMARY KEY, stream_id text NOT NULL, version integer NOT NULL)`);
    await pool.query(
      `INSERT INTO ${schema}.applied_events VALUES
         ('00000000-0000-4000-8000-000000000001', 'dc-1', 1), ('00000000-0000-4000-8000-000000000002', 'dc-1', 2),
         ('00000000-0000-4000-8000-000000000003', 'dc-1', 3), ('00000000-0000-4000-8000-000000000004', 'rental-7', 1)`,
    );

    // when an engine of this version starts on it (twice: the migration is idempotent)
    await registry.ensureActive(projection);
    await registry.ensureActive(projection);

    // then each stream's head is its highest applied version, and the per-event table is gone
    const heads = await pool.query(`SELECT stream_id, version FROM ${schema}.stream_heads ORDER BY stream_id`);
    expect(heads.rows).toEqual([
      { stream_id: 'dc-1', version: 3 },
      { stream_id: 'rental-7', version: 1 },
    ]);
    const old = await pool.query(`SELECT to_regclass($1) AS t`, [`${schema}.applied_events`]);
    expect(old.rows[0].t).toBeNull();
  });

  it("upgrades a live generation's read-model tables when the engine starts (the read model's new migrations run there)", async () => {
    // given a live generation written by a version of the read model without its second migration
    const registry = new GenerationRegistry(database.dataSource);
    await registry.migrate();
    const older = countingProjection({ name: 'upgraded' });
    const { schema } = await registry.ensureActive(older);
    expect((await pool.query(`SELECT to_regclass($1) AS t`, [`${schema}.notes`])).rows[0].t).toBeNull();

    // when an engine of the version that has it starts on it (twice: a migration runs once)
    const newer = { ...older, migrations: [...older.migrations, new CountingNotes1700000000002()] };
    await registry.ensureActive(newer);
    await registry.ensureActive(newer);

    // then the table is there, in the same generation, and the migration is recorded once
    const table = await pool.query(`SELECT to_regclass($1) AS t`, [`${schema}.notes`]);
    expect(table.rows[0].t).not.toBeNull();
    expect((await registry.active('upgraded'))?.schema).toBe(schema);
    const recorded = await pool.query(`SELECT name FROM ${schema}.migrations ORDER BY id`);
    expect(recorded.rows.map((r) => r.name)).toEqual(['CountingTables1700000000001', 'GenerationTables1735689600201', 'CountingNotes1700000000002']);
  });
});
