import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { PostgresEventStore, type NewEvent, migrateEventStore } from '@chip-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { ProjectionEngine } from '../engine/projection-engine';
import { countingProjection } from '../testing/counting-projection';
import { countingTables, countRows, until } from '../testing/ledger-fixtures';
import { LogProjectionSource } from './log-projection-source';

const actor = { id: 'writer', organisation: 'org-1', role: 'operator' } as const;
const newEvent = (n: number): NewEvent => ({ eventId: randomUUID(), type: 'ChipsDelivered', schemaVersion: 1, occurredAt: '2025-11-05T00:00:00.000Z', actor, correlationId: randomUUID(), causationId: null, data: { n } });

describe('PostgreSQL-log driver (embedded mode, real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('projection_log');
    db = await openDatabase({ url: database.url, poolSize: 10 });
    pool = db.pool;
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('applies every event of two stores once, in stream order, while they are written, and rebuilds to the same tables', async () => {
    const procurement = new PostgresEventStore(pool, 'procurement');
    const rental = new PostgresEventStore(pool, 'rental');
    await migrateEventStore(db.dataSource, procurement.schema);
    await migrateEventStore(db.dataSource, rental.schema);
    const engine = new ProjectionEngine({
      dataSource: db.dataSource,
      source: new LogProjectionSource({ pool, stores: [procurement, rental], feed: { batchSize: 30, pollIntervalMs: 10 } }),
      // An exclusive projection too: one process, so its lease is taken at once.
      projections: [() => countingProjection(), () => countingProjection({ name: 'solo', exclusive: true })],
      reconcileIntervalMs: 200,
      retiredGraceMs: 3_600_000,
    });
    await engine.start();
    try {
      const writes: Promise<unknown>[] = [];
      for (let s = 0; s < 10; s++) {
        const store = s % 2 === 0 ? procurement : rental;
        writes.push(
          (async () => {
            for (let v = 0; v < 10; v += 2) await store.append([{ streamId: `stream-${s}`, expectedVersion: v, events: [newEvent(v + 1), newEvent(v + 2)] }]);
          })(),
        );
      }
      await Promise.all(writes);
      const last = await procurement.append([{ streamId: 'stream-0', expectedVersion: 10, events: [newEvent(11)] }]);
      expect(await engine.waitFor({ streamId: 'stream-0', version: last.streams[0].version })).toBe(true);
      await until(() => countRows(pool, 'proj_counting_g1.event_log'), (n) => n >= 101, 20_000, 'every event');
      const tables = await countingTables(pool, 'proj_counting_g1');
      expect(tables.log).toHaveLength(101);
      expect(tables.counts.every((row) => (row as { in_order: boolean }).in_order)).toBe(true);
      await until(() => countRows(pool, 'proj_solo_g1.event_log'), (n) => n >= 101, 20_000, 'every event (exclusive)');
      expect(await countingTables(pool, 'proj_solo_g1')).toEqual(tables);
      expect(engine.status().find((s) => s.projection === 'solo')).toMatchObject({ state: 'running', driver: 'postgres-log', applied: 101 });

      await engine.rebuild('counting');
      const done = await until(() => engine.progress('counting', 2), (p) => p?.state === 'active', 20_000, 'the rebuild');
      expect(done).toMatchObject({ done: 101, total: 101 });
      expect(await countingTables(pool, 'proj_counting_g2')).toEqual(tables);
    } finally {
      await engine.stop();
    }
  });

  it('reports its lag in events (every store) until it has caught up', async () => {
    const procurement = new PostgresEventStore(pool, 'lag_procurement');
    const rental = new PostgresEventStore(pool, 'lag_rental');
    await migrateEventStore(db.dataSource, procurement.schema);
    await migrateEventStore(db.dataSource, rental.schema);
    for (let s = 0; s < 6; s++) {
      const store = s % 2 === 0 ? procurement : rental;
      await store.append([{ streamId: `lag-${s}`, expectedVersion: 0, events: [1, 2, 3, 4, 5].map(newEvent) }]);
    }
    const engine = new ProjectionEngine({
      dataSource: db.dataSource,
      source: new LogProjectionSource({ pool, stores: [procurement, rental], feed: { batchSize: 3, pollIntervalMs: 10 } }),
      projections: [() => countingProjection({ name: 'lagging', sleepMs: 200 })],
      reconcileIntervalMs: 200,
    });
    await engine.start();
    try {
      const [first] = await engine.lag();
      expect(first).toMatchObject({ projection: 'lagging', generation: 1, state: 'active' });
      expect(first.behind).toBeGreaterThan(0);
      expect(first.behind).toBeLessThanOrEqual(30);
      await until(async () => (await engine.lag())[0].behind, (behind) => behind === 0, 30_000, 'no lag');
      expect(engine.status()[0].applied).toBe(30);
    } finally {
      await engine.stop();
    }
  });

  it('starts again a runner whose start failed (its database or broker was unreachable at that moment)', async () => {
    const store = new PostgresEventStore(pool, 'audit');
    await migrateEventStore(db.dataSource, store.schema);
    const source = new LogProjectionSource({ pool, stores: [store], feed: { batchSize: 30, pollIntervalMs: 10 } });
    let refusals = 2;
    const errors: unknown[] = [];
    const engine = new ProjectionEngine({
      dataSource: db.dataSource,
      source: {
        driver: source.driver,
        captureEnd: () => source.captureEnd(),
        measure: (writer, end) => source.measure(writer, end),
        behind: (writer, end) => source.behind(writer, end),
        lag: (writer) => source.lag(writer),
        createRunner: (writer) => {
          const runner = source.createRunner(writer);
          if (refusals-- <= 0) return runner;
          return Object.assign(Object.create(runner) as typeof runner, { start: () => Promise.reject(new Error('connect ECONNREFUSED (simulated)')) });
        },
      },
      projections: [() => countingProjection({ name: 'late' })],
      reconcileIntervalMs: 100,
      retiredGraceMs: 3_600_000,
      onError: (error) => errors.push(error),
    });
    await engine.start();
    try {
      expect(engine.status()[0]).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/ECONNREFUSED/) });
      await store.append([{ streamId: 'audit-1', expectedVersion: 0, events: [newEvent(1), newEvent(2)] }]);
      await until(() => countRows(pool, 'proj_late_g1.event_log'), (n) => n >= 2, 10_000, 'the events, once the runner started');
      expect(engine.status()[0]).toMatchObject({ state: 'running', applied: 2 });
      expect(errors).toHaveLength(2);
    } finally {
      await engine.stop();
    }
  });
});
