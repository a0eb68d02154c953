import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { Pool } from 'pg';
import { GenerationRegistry } from '../generations/generation-registry';
import { countingProjection } from '../test-support/counting-projection';

describe('Engine tables of a generation (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('engine_schema');
    pool = new Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('turns a generation deduplicated by event id into stream heads when the engine starts', async () => {
    // given generation 1 created by an engine that kept one applied_events row per event
    const registry = new GenerationRegistry(pool);
    await registry.migrate();
    const projection = countingProjection();
    const { schema } = await registry.ensureActive(projection);
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

  it("upgrades a live generation's read-model tables when the engine starts (migrate is create-or-upgrade)", async () => {
    // given a live generation whose read model has since gained a table (dropped here: an older version's schema)
    const registry = new GenerationRegistry(pool);
    await registry.migrate();
    const projection = countingProjection({ name: 'upgraded' });
    const { schema } = await registry.ensureActive(projection);
    await pool.query(`DROP TABLE ${schema}.event_log`);

    // when an engine starts on it
    await registry.ensureActive(projection);

    // then the table is there again, in the same generation
    const table = await pool.query(`SELECT to_regclass($1) AS t`, [`${schema}.event_log`]);
    expect(table.rows[0].t).not.toBeNull();
    expect((await registry.active('upgraded'))?.schema).toBe(schema);
  });
});
