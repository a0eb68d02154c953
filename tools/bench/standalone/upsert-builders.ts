/**
 * Why the projector's batches are hand-built set-based SQL and not TypeORM's builders (ADR 0024):
 * `node tools/scripts/ts-run.mjs tools/bench/standalone/upsert-builders.ts [--rows N] [--batch B]`
 *
 * The same batches of chip-mix counts (half new keys, half keys already stored: "stored + incoming") written three
 * ways into the real table, on the machine's PostgreSQL (DATABASE_URL), in a schema of its own:
 *   - tableOf(…).upsert(): one INSERT … SELECT FROM jsonb_to_recordset($1) ON CONFLICT DO UPDATE SET n = t.n + excluded.n
 *     (what the projector runs: one bind value per batch);
 *   - TypeORM's InsertQueryBuilder with orUpdate: one INSERT … VALUES with a bind value per column per row (it can
 *     only overwrite on conflict, so it does less than the projector needs, and still binds every value; batches
 *     are cut below PostgreSQL's 65,535 bind values);
 *   - Repository.save per row (what "just use the ORM" would be): a read and a write per row.
 * Each way gets the same batches, in one transaction per batch, after a warm-up.
 */
import { parseArgs } from 'node:util';
import { CHIP_MIX_MIGRATIONS, ChipMixCount } from '@chip-ledger/read-models';
import { jsonRows, openDatabase, quoteIdentifier, runMigrations, tableOf, withTransaction, type Database } from '@chip-ledger/persistence';

type CountRow = Omit<ChipMixCount, never>;

const COUNTS: readonly (keyof ChipMixCount & string)[] = ['ordered', 'cancelled', 'delivered', 'installed', 'inStock', 'removed', 'transferredIn', 'transferredOut'];

function batches(rows: number, batchSize: number): CountRow[][] {
  const out: CountRow[][] = [];
  for (let start = 0; start < rows; start += batchSize) {
    const batch: CountRow[] = [];
    for (let i = start; i < Math.min(rows, start + batchSize); i++) {
      // Every second row names a key an earlier batch wrote: the upsert adds to it.
      const key = i % 2 === 0 ? i : i - batchSize;
      batch.push({
        dataCenterId: `dc-${Math.max(0, key) % 5000}`,
        modelId: `model-${Math.max(0, key) % 7}-${Math.floor(Math.max(0, key) / 35000)}`,
        ordered: 1,
        cancelled: 0,
        delivered: 1,
        installed: 1,
        inStock: 0,
        removed: 0,
        transferredIn: 0,
        transferredOut: 0,
        lastEventAt: new Date(Date.UTC(2025, 10, 5, 0, 0, i % 60)).toISOString(),
      });
    }
    // One row per key within a batch (ON CONFLICT refuses to touch a row twice in one statement).
    const unique = new Map(batch.map((r) => [`${r.dataCenterId}/${r.modelId}`, r]));
    out.push([...unique.values()]);
  }
  return out;
}

interface Way {
  readonly name: string;
  write(db: Database, schema: string, batch: CountRow[]): Promise<void>;
}

const WAYS: readonly Way[] = [
  {
    name: 'tableOf().upsert (jsonb_to_recordset, stored + incoming)',
    async write(db, schema, batch) {
      const sql = tableOf(db.dataSource, ChipMixCount, schema).upsert({
        update: {
          ...Object.fromEntries(COUNTS.map((c) => [c, (stored: string, incoming: string) => `${stored} + ${incoming}`])),
          lastEventAt: (stored, incoming) => `GREATEST(${stored}, ${incoming})`,
        },
      });
      await withTransaction(db.dataSource, ({ client }) => client.query(sql, [jsonRows(batch)]), { schema });
    },
  },
  {
    name: 'InsertQueryBuilder.orUpdate (bind per value, overwrite only)',
    async write(db, schema, batch) {
      const perStatement = Math.floor(60_000 / 11);
      await withTransaction(
        db.dataSource,
        async ({ manager }) => {
          for (let i = 0; i < batch.length; i += perStatement) {
            await manager
              .createQueryBuilder()
              .insert()
              .into(ChipMixCount)
              .values(batch.slice(i, i + perStatement))
              .orUpdate([...COUNTS.map((c) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)), 'last_event_at'], ['data_center_id', 'model_id'])
              .execute();
          }
        },
        { schema },
      );
    },
  },
  {
    name: 'Repository.save per row',
    async write(db, schema, batch) {
      await withTransaction(
        db.dataSource,
        async ({ manager }) => {
          const repository = manager.getRepository(ChipMixCount);
          for (const row of batch) await repository.save(row);
        },
        { schema },
      );
    },
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '60000' }, batch: { type: 'string', default: '5000' } } });
  const rows = Number(values.rows);
  const batchSize = Number(values.batch);
  const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await openDatabase({ url, poolSize: 2, entities: [ChipMixCount] });
  const work = batches(rows, batchSize);
  const total = work.reduce((n, b) => n + b.length, 0);
  console.log(`${work.length} batches, ${total} rows (batch ${batchSize}, half of each adding to stored keys), PostgreSQL at ${new URL(url).host}`);
  try {
    for (const way of WAYS) {
      // save() per row is orders slower: a tenth of the rows tells as much.
      const run = way.name.startsWith('Repository') ? work.slice(0, Math.max(1, Math.ceil(work.length / 10))) : work;
      const schema = `bench_upsert_${Date.now().toString(36)}`;
      await runMigrations(db.dataSource, { schema, migrations: CHIP_MIX_MIGRATIONS });
      try {
        await way.write(db, schema, run[0]); // warm-up (plans, metadata), not timed
        const started = process.hrtime.bigint();
        for (const batch of run.slice(1)) await way.write(db, schema, batch);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const written = run.slice(1).reduce((n, b) => n + b.length, 0);
        console.log(`${way.name.padEnd(62)} ${Math.round(written / seconds).toLocaleString('en-US').padStart(9)} rows/s  (${written} rows in ${seconds.toFixed(2)} s)`);
      } finally {
        await db.dataSource.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      }
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
