import { GenerationWriter } from '../engine/generation-writer';
import { KafkaProjectionSource } from './kafka-projection-source';
import type { Projection, ProjectionTransaction } from '../projection.port';
import { countingProjection } from '../testing/counting-projection';
import { countingTables, countRows, ledgerEvents, produceEvents, until } from '../testing/ledger-fixtures';
import { projectionTestBed, type ProjectionTestBed } from '../testing/projection-harness';

/**
 * A read model whose `load` throws a TypeError the first `failures` times: kafkajs classes a TypeError thrown
 * from `eachBatch` as non-retriable, so its consumer crashes with `restart: false` and kafkajs never starts it
 * again. The runner must replace the consumer itself.
 */
function failingAtFirst(options: { name: string; exclusive?: boolean; failures: number }): () => Projection {
  let failures = options.failures;
  return () => ({
    ...countingProjection({ name: options.name, exclusive: options.exclusive }),
    async load(_tx: ProjectionTransaction) {
      if (failures > 0) {
        failures--;
        throw new TypeError(`simulated bug in load (${failures} more)`);
      }
    },
  });
}

describe('Kafka projector recovering from a consumer kafkajs gave up on (real Kafka and PostgreSQL)', () => {
  let bed: ProjectionTestBed;

  beforeEach(async () => {
    bed = await projectionTestBed('recovery');
  });

  afterEach(async () => {
    await bed.close();
  });

  it.each([
    ['a shared feed', false],
    ['an exclusive generation', true],
  ])('%s replaces the consumer and applies every event once', async (_label, exclusive) => {
    const events = [...ledgerEvents(6, 10, 'dc'), ...ledgerEvents(3, 10, 'rental')];
    await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 60));
    await produceEvents(bed.kafka, bed.topics[1], events.slice(60));
    const engine = bed.engine([failingAtFirst({ name: 'fragile', exclusive, failures: 2 }), () => countingProjection({ name: 'steady' })], { subBatchSize: 20 });
    await engine.start();

    const fragile = () => engine.status().find((s) => s.projection === 'fragile');
    await until(async () => fragile()?.lastError ?? null, (error) => /simulated bug/.test(error ?? ''), 20_000, 'the crash to be reported');
    await until(() => countRows(bed.pool, 'proj_fragile_g1.event_log'), (n) => n >= events.length, 30_000, 'every event in the fragile read model');
    await until(() => countRows(bed.pool, 'proj_steady_g1.event_log'), (n) => n >= events.length, 30_000, 'every event in the steady one');
    const tables = await countingTables(bed.pool, 'proj_fragile_g1');
    expect(tables.log).toHaveLength(events.length);
    expect(tables).toEqual(await countingTables(bed.pool, 'proj_steady_g1'));
    await until(async () => fragile()?.state, (state) => state === 'running', 10_000, 'the runner to say running');
    expect(fragile()?.partitions).toBe(6);
  });
  it('measures each read model\'s lag, and which partitions with unapplied messages no member of its group holds', async () => {
    const events = ledgerEvents(6, 10, 'dc');
    await produceEvents(bed.kafka, bed.topics[0], events);
    const engine = bed.engine([() => countingProjection({ name: 'measured' })], { subBatchSize: 20 });
    await engine.start();
    await until(() => countRows(bed.pool, 'proj_measured_g1.event_log'), (n) => n >= events.length, 20_000, 'every event');
    const [caughtUp] = await engine.health();
    expect(caughtUp).toMatchObject({ projection: 'measured', lag: { lag: 0, unownedPartitions: 0, unownedLag: 0 }, error: null });
    expect(caughtUp.status).toMatchObject({ state: 'running', partitions: 6, groupId: expect.any(String) });

    // The same generation measured against a group nobody is in: every partition that got messages is unowned.
    await engine.stop();
    await produceEvents(bed.kafka, bed.topics[0], ledgerEvents(6, 2, 'late'));
    const source = new KafkaProjectionSource({ kafka: bed.kafka, topics: bed.topics });
    try {
      const writer = new GenerationWriter(bed.dataSource, countingProjection({ name: 'measured' }), { projection: 'measured', generation: 1, schema: 'proj_measured_g1' });
      const lag = await source.lag(writer, `nobody-${Date.now()}`);
      expect(lag.lag).toBe(12);
      expect(lag.unownedLag).toBe(12);
      expect(lag.unownedPartitions).toBeGreaterThan(0);
    } finally {
      await source.stop();
    }
  });
});
