import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { Column, DataSource, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

@Entity({ name: 'smoke_note' })
class SmokeNote {
  @PrimaryColumn('text') id!: string;
  @Column('integer') quantity!: number;
  @Column('timestamptz') recordedAt!: Date;
}

class CreateSmokeNote1700000000000 implements MigrationInterface {
  name = 'CreateSmokeNote1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE smoke_note (id text PRIMARY KEY, quantity integer NOT NULL CHECK (quantity > 0), "recordedAt" timestamptz NOT NULL)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE smoke_note`);
  }
}

describe('PostgreSQL through TypeORM (real server)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('smoke');
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [SmokeNote], migrations: [CreateSmokeNote1700000000000], synchronize: false });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('runs a migration, then writes and reads rows', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateSmokeNote1700000000000']);

    const repo = dataSource.getRepository(SmokeNote);
    const at = new Date('2025-11-05T00:00:00Z');
    await repo.insert([{ id: 'a', quantity: 512, recordedAt: at }, { id: 'b', quantity: 8, recordedAt: at }]);

    const rows = await repo.find({ order: { id: 'ASC' } });
    expect(rows).toEqual([{ id: 'a', quantity: 512, recordedAt: at }, { id: 'b', quantity: 8, recordedAt: at }]);
  });

  it('enforces the schema written by the migration', async () => {
    await expect(dataSource.query(`INSERT INTO smoke_note VALUES ('c', -1, now())`)).rejects.toThrow(/check constraint/);
  });
});
