import { runMigrations } from '@chip-ledger/persistence';
import { generationMigrationScope } from '../engine/engine-migrations';
import { GenerationWriter, NotOwnerError } from '../engine/generation-writer';
import { toIncomingMessage } from '../engine/incoming-message';
import type { ProjectionEngine } from '../engine/projection-engine';
import { countingProjection } from '../testing/counting-projection';
import { countingTables, countRows, ledgerEvents, produceEvents, until } from '../testing/ledger-fixtures';
import { projectionTestBed, type ProjectionTestBed } from '../testing/projection-harness';

const statusOf = (engine: ProjectionEngine, projection: string) => {
  const status = engine.status().find((s) => s.projection === projection);
  if (!status) throw new Error(`no runner for ${projection}`);
  return status;
};

const ownerRow = async (bed: ProjectionTestBed, schema: string) =>
  (await bed.pool.query<{ epoch: string; owner: string }>(`SELECT epoch::text AS epoch, owner FROM ${schema}.generation_owner`)).rows[0];

/** Every event exactly once, each stream in version order. */
async function expectEachEventOnce(bed: ProjectionTestBed, schema: string, total: number): Promise<void> {
  const tables = await countingTables(bed.pool, schema);
  expect(tables.log).toHaveLength(total);
  expect(new Set((tables.log as { event_id: string }[]).map((row) => row.event_id)).size).toBe(total);
  expect(tables.counts.every((row) => (row as { in_order: boolean }).in_order)).toBe(true);
}

describe('exclusive projections (real Kafka and PostgreSQL)', () => {
  let bed: ProjectionTestBed;

  beforeEach(async () => {
    bed = await projectionTestBed('exclusive');
  });

  afterEach(async () => {
    await bed.close();
  });

  const projections = () => [() => countingProjection({ name: 'solo', exclusive: true, sleepMs: 5 }), () => countingProjection({ name: 'shared', sleepMs: 5 })];

  describe('when two instances run an exclusive and a shared projection', () => {
    it('runs the exclusive one on one instance over all partitions, shares the other, and the standby takes over when the owner stops', async () => {
      const dc = ledgerEvents(12, 10, 'dc');
      const rental = ledgerEvents(6, 10, 'rental');
      const late = [...ledgerEvents(3, 5, 'late-dc'), ...ledgerEvents(3, 5, 'late-rental')];
      const total = dc.length + rental.length + late.length;
      await produceEvents(bed.kafka, bed.topics[0], dc.slice(0, 60));
      const first = bed.engine(projections(), { subBatchSize: 10 });
      await first.start();
      await until(() => countRows(bed.pool, 'proj_solo_g1.event_log'), (n) => n >= 20, 20_000, 'the first instance to start');
      expect(statusOf(first, 'solo').state).toBe('running');

      // given a second instance in the same groups
      const second = bed.engine(projections(), { subBatchSize: 10 });
      await second.start();
      expect(statusOf(second, 'solo').state).toBe('standby');
      await produceEvents(bed.kafka, bed.topics[0], dc.slice(60));
      await produceEvents(bed.kafka, bed.topics[1], rental);

      // then the shared projection's partitions are shared, the exclusive one's all stay with the owner
      await until(async () => statusOf(second, 'shared').batches, (n) => n > 0, 20_000, 'the second instance to take shared partitions');
      await until(() => countRows(bed.pool, 'proj_solo_g1.event_log'), (n) => n >= dc.length + rental.length, 20_000, 'the owner to read every partition');
      expect(statusOf(second, 'solo')).toMatchObject({ state: 'standby', batches: 0, applied: 0 });
      expect(statusOf(first, 'solo').applied).toBe(dc.length + rental.length);
      expect((await ownerRow(bed, 'proj_solo_g1')).epoch).toBe('1');

      // when the owner stops, the standby takes over from the stored offsets (a stream stays on one topic)
      await first.stop();
      await produceEvents(bed.kafka, bed.topics[0], late.slice(0, 15));
      await produceEvents(bed.kafka, bed.topics[1], late.slice(15));
      await until(() => countRows(bed.pool, 'proj_solo_g1.event_log'), (n) => n >= total, 20_000, 'the standby to take over');
      await until(() => countRows(bed.pool, 'proj_shared_g1.event_log'), (n) => n >= total, 20_000, 'the shared projection');
      expect(statusOf(second, 'solo')).toMatchObject({ state: 'running', applied: late.length });
      expect((await ownerRow(bed, 'proj_solo_g1')).epoch).toBe('2');
      await expectEachEventOnce(bed, 'proj_solo_g1', total);
      await expectEachEventOnce(bed, 'proj_shared_g1', total);
    });
  });

  describe("when the owner's lock connection dies (network, failover)", () => {
    it('the standby takes over and the old owner stands down: no event lost or applied twice', async () => {
      const events = ledgerEvents(9, 12, 'dc');
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 60));
      const solo = () => [() => countingProjection({ name: 'solo', exclusive: true, sleepMs: 20 })];
      const first = bed.engine(solo(), { subBatchSize: 5 });
      await first.start();
      const second = bed.engine(solo(), { subBatchSize: 5 });
      await second.start();
      await until(() => countRows(bed.pool, 'proj_solo_g1.event_log'), (n) => n >= 10, 20_000, 'the owner to start');
      expect([statusOf(first, 'solo').state, statusOf(second, 'solo').state]).toEqual(['running', 'standby']);

      // when the owner's lease session is killed while it is applying batches
      const { rowCount } = await bed.pool.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.application_name = 'chip-ledger-projection-proj_solo_g1'`,
      );
      expect(rowCount).toBe(1);
      await until(async () => [statusOf(first, 'solo').state, statusOf(second, 'solo').state], (s) => s[0] === 'standby' && s[1] === 'running', 15_000, 'the roles to swap');
      await produceEvents(bed.kafka, bed.topics[0], events.slice(60));
      await until(() => countRows(bed.pool, 'proj_solo_g1.event_log'), (n) => n >= events.length, 20_000, 'every event');
      expect((await ownerRow(bed, 'proj_solo_g1')).epoch).toBe('2');
      await expectEachEventOnce(bed, 'proj_solo_g1', events.length);
    });
  });

  describe('when a writer of an exclusive projection was superseded', () => {
    it('fences its next transaction: nothing is written', async () => {
      const schema = 'proj_fenced_g1';
      const projection = countingProjection({ name: 'fenced', exclusive: true });
      await runMigrations(bed.dataSource, generationMigrationScope(schema, projection));
      const ref = { projection: 'fenced', generation: 1, schema };
      const old = new GenerationWriter(bed.dataSource, projection, ref);
      const next = new GenerationWriter(bed.dataSource, projection, ref);
      const [a, b] = ledgerEvents(2, 1, 'dc').map((event, offset) => toIncomingMessage(() => event, { topic: 't', partition: 0, offset: String(offset) }, null));

      await expect(old.applyPartitionBatch('t', 0, [a])).rejects.toBeInstanceOf(NotOwnerError);
      expect(await old.claimOwnership('old')).toBe('1');
      expect((await old.applyPartitionBatch('t', 0, [a])).kind).toBe('committed');
      expect(await next.claimOwnership('next')).toBe('2');
      await expect(old.applyPartitionBatch('t', 0, [b])).rejects.toThrow(/epoch 1 was superseded by 2/);
      expect(old.owns).toBe(false);
      expect(await old.tick(new Date())).toEqual([]);
      expect((await next.applyPartitionBatch('t', 0, [b])).kind).toBe('committed');
      expect(await countRows(bed.pool, `${schema}.event_log`)).toBe(2);
    });
  });
});
