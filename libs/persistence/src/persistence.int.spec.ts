import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantColumn, numberColumn } from './column-values';
import { openDataSource, poolOf } from './data-source';
import { migrationStatus, runMigrations, UnknownMigrationsError, type MigrationScope } from './migrations';
import { jsonRows, tableOf } from './table-sql';
import { withTransaction } from './transaction';

@Entity({ name: 'tallies' })
class Tally {
  @PrimaryColumn('text', { name: 'tally_id' }) tallyId!: string;
  @Column('bigint', { transformer: numberColumn }) total!: number;
  @Column('timestamptz', { name: 'last_at', transformer: instantColumn }) lastAt!: string;
  @Column('jsonb', { nullable: true }) notes!: string[] | null;
}

class CreateTallies1700000000001 implements MigrationInterface {
  name = 'CreateTallies1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    // Unqualified: the scope's schema is first on the search path.
    await runner.query(`CREATE TABLE tallies (tally_id text PRIMARY KEY, total bigint NOT NULL, last_at timestamptz NOT NULL, notes jsonb)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE tallies`);
  }
}

class SlowIndex1700000000002 implements MigrationInterface {
  name = 'SlowIndex1700000000002';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`SELECT pg_sleep(0.2)`);
    await runner.query(`CREATE INDEX tallies_by_last ON tallies (last_at)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX tallies_by_last`);
  }
}

class Broken1700000000003 implements MigrationInterface {
  name = 'Broken1700000000003';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE half_done (id int)`);
    await runner.query(`SELECT no_such_function()`);
  }
  async down(): Promise<void> {
    // Nothing to undo: up() fails before it creates anything that lasts.
  }
}

const scope = (schema: string, migrations: MigrationInterface[] = [new CreateTallies1700000000001(), new SlowIndex1700000000002()]): MigrationScope => ({ schema, migrations });

describe('persistence (real PostgreSQL through TypeORM)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('persistence');
    dataSource = await openDataSource({ url: database.url, applicationName: 'persistence-test', poolSize: 8, entities: [Tally] });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  describe('runMigrations', () => {
    it('applies each migration of a scope once, in its schema, and records it there', async () => {
      const first = await runMigrations(dataSource, scope('alpha'));
      expect(first).toEqual({ schema: 'alpha', applied: ['CreateTallies1700000000001', 'SlowIndex1700000000002'], alreadyApplied: [] });
      const again = await runMigrations(dataSource, scope('alpha'));
      expect(again).toEqual({ schema: 'alpha', applied: [], alreadyApplied: ['CreateTallies1700000000001', 'SlowIndex1700000000002'] });
      const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'alpha' ORDER BY 1`);
      expect(tables).toEqual([{ table_name: 'migrations' }, { table_name: 'tallies' }]);
      expect(await migrationStatus(dataSource, scope('alpha'))).toEqual([
        { name: 'CreateTallies1700000000001', applied: true },
        { name: 'SlowIndex1700000000002', applied: true },
      ]);
    });

    it('serialises services migrating the same schema at once: every migration runs exactly once', async () => {
      const reports = await Promise.all([1, 2, 3, 4].map(() => runMigrations(dataSource, scope('beta'))));
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(['CreateTallies1700000000001', 'SlowIndex1700000000002']);
      const recorded = await dataSource.query(`SELECT name FROM beta.migrations ORDER BY id`);
      expect(recorded).toEqual([{ name: 'CreateTallies1700000000001' }, { name: 'SlowIndex1700000000002' }]);
    });

    it('leaves nothing half done when a migration fails: the scope is as before, nothing recorded', async () => {
      await expect(runMigrations(dataSource, scope('gamma', [new CreateTallies1700000000001(), new Broken1700000000003()]))).rejects.toThrow(/no_such_function/);
      const [{ schema }] = await dataSource.query(`SELECT to_regnamespace('gamma') AS schema`);
      expect(schema).toBeNull();
      expect(await migrationStatus(dataSource, scope('gamma'))).toEqual([
        { name: 'CreateTallies1700000000001', applied: false },
        { name: 'SlowIndex1700000000002', applied: false },
      ]);
    });

    it('refuses a schema a newer version migrated (a migration it does not know is recorded)', async () => {
      await runMigrations(dataSource, scope('delta'));
      await expect(runMigrations(dataSource, scope('delta', [new CreateTallies1700000000001()]))).rejects.toThrow(UnknownMigrationsError);
    });

    it("adopts the hand-written migrator's record: listed ids count as run, the old table goes", async () => {
      await dataSource.query(`CREATE SCHEMA epsilon; CREATE TABLE epsilon.tallies (tally_id text PRIMARY KEY, total bigint NOT NULL, last_at timestamptz NOT NULL, notes jsonb)`);
      await dataSource.query(`CREATE TABLE epsilon.schema_migrations (id text PRIMARY KEY, checksum text NOT NULL); INSERT INTO epsilon.schema_migrations VALUES ('0001_tallies', 'x')`);
      const adopting: MigrationScope = { ...scope('epsilon'), adopt: { table: 'schema_migrations', names: { '0001_tallies': 'CreateTallies1700000000001' } } };
      expect(await migrationStatus(dataSource, adopting)).toEqual([
        { name: 'CreateTallies1700000000001', applied: true },
        { name: 'SlowIndex1700000000002', applied: false },
      ]);
      const report = await runMigrations(dataSource, adopting);
      expect(report.applied).toEqual(['SlowIndex1700000000002']);
      const [{ legacy }] = await dataSource.query(`SELECT to_regclass('epsilon.schema_migrations') AS legacy`);
      expect(legacy).toBeNull();
    });
  });

  describe('set-based writes named from entity metadata', () => {
    beforeAll(() => runMigrations(dataSource, scope('zeta')));

    it('upserts a batch in one statement, with expressions of the stored and incoming values, and reads it back as the entity', async () => {
      const tallies = tableOf(dataSource, Tally, 'zeta');
      const upsert = tallies.upsert({ update: { total: (stored, incoming) => `${stored} + ${incoming}`, lastAt: (stored, incoming) => `GREATEST(${stored}, ${incoming})`, notes: 'incoming' } });
      expect(upsert).toContain('INSERT INTO "zeta"."tallies" AS t ("tally_id", "total", "last_at", "notes")');
      await withTransaction(dataSource, async ({ client }) => {
        await client.query(upsert, [jsonRows([{ tallyId: 'a', total: 2, lastAt: '2025-01-02T00:00:00.000Z', notes: ['x'] }, { tallyId: 'b', total: 5, lastAt: '2025-01-01T00:00:00.000Z', notes: null }])]);
        await client.query(upsert, [jsonRows([{ tallyId: 'a', total: 3, lastAt: '2025-01-01T00:00:00.000Z', notes: ['y'] }])]);
      });
      const rows = await withTransaction(dataSource, ({ manager }) => manager.getRepository(Tally).find({ order: { tallyId: 'ASC' } }), { schema: 'zeta' });
      expect(rows).toEqual([
        { tallyId: 'a', total: 5, lastAt: '2025-01-02T00:00:00.000Z', notes: ['y'] },
        { tallyId: 'b', total: 5, lastAt: '2025-01-01T00:00:00.000Z', notes: null },
      ]);
    });

    it('names an unknown property instead of writing SQL with it', () => {
      expect(() => tableOf(dataSource, Tally, 'zeta').column('missing' as never)).toThrow(/Tally has no column for property missing/);
      expect(() => tableOf(dataSource, Tally, 'Zeta; DROP')).toThrow(/Invalid SQL identifier/);
    });

    it('rolls a transaction back when its work throws', async () => {
      await expect(
        withTransaction(dataSource, async ({ client }) => {
          await client.query(`INSERT INTO zeta.tallies VALUES ('c', 1, now(), null)`);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await dataSource.query(`SELECT tally_id FROM zeta.tallies WHERE tally_id = 'c'`)).toEqual([]);
    });
  });

  it('survives the server ending a connection that is checked out: the query fails, the process does not', async () => {
    const pool = poolOf(dataSource);
    const client = await pool.connect();
    try {
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(client.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release(true);
    }
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
