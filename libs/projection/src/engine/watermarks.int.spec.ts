import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { PostgresEventStore, PostgresRelayOutbox, type NewEvent, migrateEventStore } from '@chip-ledger/event-store';
import { KafkaEventPublisher, OutboxRelay } from '@chip-ledger/messaging';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { LogProjectionSource } from '../log/log-projection-source';
import type { Projection, ProjectedEvent, ProjectionContext, ProjectionTransaction } from '../projection.port';
import { projectionTestBed, type ProjectionTestBed } from '../testing/projection-harness';
import { until } from '../testing/ledger-fixtures';
import { ProjectionEngine } from './projection-engine';

/*
 * Watermarks end to end (ADR 0019): two context stores written by concurrent instances whose commits land out of
 * position order, published by their relays (markers included) or read from the PostgreSQL log, applied by the
 * engine. Whatever the delivery order across partitions and contexts, no event may reach a projection at or below
 * a watermark it was already told (`context.complete`), and a read-your-writes wait on the stores' heads answers
 * once, and only once, everything up to them is applied.
 */

const actor = { id: 'writer', organisation: 'org-1', role: 'operator' } as const;
const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: 'ChipsDelivered', schemaVersion: 1, occurredAt: '2025-11-05T00:00:00.000Z', actor, correlationId: randomUUID(), causationId: null, data: {} });

/** Records what the engine hands it: every event's origin, and the watermarks it was told with each batch. */
class WatchingProjection {
  readonly origins: ProjectedEvent['origin'][] = [];
  /** Events that arrived at or below a watermark of their context already announced: must stay empty. */
  readonly contradictions: { origin: ProjectedEvent['origin']; complete: number }[] = [];
  complete = new Map<string, number>();
  readonly projection: Projection = {
    name: 'watch',
    exclusive: true,
    migrations: [],
    apply: async (_tx: ProjectionTransaction, events: readonly ProjectedEvent[], context?: ProjectionContext) => {
      for (const event of events) {
        this.origins.push(event.origin);
        const known = event.origin ? this.complete.get(event.origin.context) : undefined;
        if (event.origin && known !== undefined && event.origin.position <= known) this.contradictions.push({ origin: event.origin, complete: known });
      }
      for (const [ctx, through] of context?.complete ?? []) this.complete.set(ctx, Math.max(through, this.complete.get(ctx) ?? 0));
      return [];
    },
  };
}

async function writeConcurrently(pool: Pool, schemas: readonly string[], appendsPerWriter: number): Promise<void> {
  // Eight writers as eight service instances: separate stores, so their transactions interleave.
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      const schema = schemas[w % schemas.length];
      const store = new PostgresEventStore(pool, schema);
      for (let i = 0; i < appendsPerWriter; i++) await store.append([{ streamId: `${schema}-w${w}-s${i % 5}`, expectedVersion: Math.floor(i / 5), events: [newEvent()] }]);
    }),
  );
}

async function delayCommits(pool: Pool, schema: string): Promise<void> {
  await pool.query(`CREATE FUNCTION ${schema}.delay_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(random() * 0.03); RETURN NULL; END $$`);
  await pool.query(`CREATE TRIGGER delay_commit AFTER INSERT ON ${schema}.events FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.delay_commit()`);
}

async function heads(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ p: string; r: string }>('SELECT (SELECT max(global_position) FROM procurement.events)::text AS p, (SELECT max(global_position) FROM rental.events)::text AS r');
  return new Map([
    ['procurement', Number(rows[0].p)],
    ['rental', Number(rows[0].r)],
  ]);
}

describe('watermarks and read-your-writes on the ledger heads', () => {
  describe('over Kafka, from the relays (3 partitions per topic)', () => {
    let bed: ProjectionTestBed;
    beforeAll(async () => {
      bed = await projectionTestBed('watermarks');
    });
    afterAll(async () => {
      await bed.close();
    });

    it('never hands a projection an event below a watermark it announced, and answers a wait on the heads once all is applied', async () => {
      const stores = ['procurement', 'rental'];
      for (const schema of stores) {
        await migrateEventStore(bed.dataSource, schema);
        await delayCommits(bed.pool, schema);
      }
      const publishers = stores.map((context, i) => new KafkaEventPublisher(bed.kafka, { topic: bed.topics[i], context }));
      const relays = stores.map((schema, i) => new OutboxRelay(new PostgresRelayOutbox(bed.pool, schema), publishers[i], { batchSize: 20, pollIntervalMs: 5, markerIntervalMs: 10 }));
      const watching = new WatchingProjection();
      const engine = bed.engine([() => watching.projection]);
      await engine.start();
      relays.forEach((relay) => relay.start());
      try {
        await writeConcurrently(bed.pool, stores, 25);
        const written = await heads(bed.pool);
        expect(await engine.waitFor({ heads: written }, { timeoutMs: 20_000 })).toBe(true);
        // Everything up to the heads is applied at that moment: 200 events, each with its origin.
        expect(watching.origins).toHaveLength(200);
        expect(watching.origins.every((o) => o !== null && o.position <= (written.get(o.context) ?? 0))).toBe(true);
        expect(watching.contradictions).toEqual([]);
        expect(await engine.completeness('watch')).toEqual(written);
        // A position no write has reached yet is not waited into existence.
        expect(await engine.waitFor({ heads: new Map([['procurement', (written.get('procurement') ?? 0) + 1]]) }, { timeoutMs: 300 })).toBe(false);
      } finally {
        await Promise.all(relays.map((relay) => relay.stop()));
        await Promise.all(publishers.map((publisher) => publisher.disconnect()));
      }
    });
  });

  describe('from the PostgreSQL log (embedded form)', () => {
    let database: TestDatabase;
    let db: Database;
    let pool: Pool;
    beforeAll(async () => {
      database = await createTestDatabase('watermarks_log');
      db = await openDatabase({ url: database.url, poolSize: 12 });
      pool = db.pool;
    });
    afterAll(async () => {
      await db.close();
      await database.drop();
    });

    it('never hands a projection an event below a watermark it announced, and answers a wait on the heads once all is applied', async () => {
      const stores = ['procurement', 'rental'].map((schema) => new PostgresEventStore(pool, schema));
      for (const store of stores) {
        await migrateEventStore(db.dataSource, store.schema);
        await delayCommits(pool, store.schema);
      }
      const watching = new WatchingProjection();
      const engine = new ProjectionEngine({
        dataSource: db.dataSource,
        source: new LogProjectionSource({ pool, stores, feed: { batchSize: 20, pollIntervalMs: 5 } }),
        projections: [() => watching.projection],
        reconcileIntervalMs: 200,
      });
      await engine.start();
      try {
        await writeConcurrently(pool, ['procurement', 'rental'], 25);
        const written = await heads(pool);
        expect(await engine.waitFor({ heads: written }, { timeoutMs: 20_000 })).toBe(true);
        expect(watching.origins).toHaveLength(200);
        expect(watching.contradictions).toEqual([]);
        await until(() => engine.completeness('watch'), (complete) => complete.get('rental') === written.get('rental'), 5_000, 'the rental watermark');
        expect(await engine.waitFor({ heads: new Map([['rental', (written.get('rental') ?? 0) + 1]]) }, { timeoutMs: 300 })).toBe(false);
      } finally {
        await engine.stop();
      }
    });
  });
});
