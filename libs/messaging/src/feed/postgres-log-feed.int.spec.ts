import { PostgresEventStore, type ChainedEvent, migrateEventStore } from '@chip-ledger/event-store';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { delayCommits, runWriters, type WritersReport } from '../testing/ledger-writers';
import type { FeedBatch, FeedCheckpoint } from './event-feed.port';
import { PostgresLogFeed } from './postgres-log-feed';

/** A projection's stand-in: applies a batch and stores the checkpoint "in the same transaction". */
class RecordingProjection {
  readonly applied: ChainedEvent[] = [];
  checkpoint: FeedCheckpoint | null = null;
  failNext = 0;
  /** Watermarks claimed that an event applied later contradicts (an event at or below one arriving after it). */
  readonly contradicted: { completeThrough: number; position: number }[] = [];

  readonly handle = async (batch: FeedBatch, ack: () => Promise<void>): Promise<void> => {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('read model unavailable');
    }
    const claimed = this.checkpoint?.completeThrough ?? 0;
    for (const event of batch.events) {
      const position = (event as { globalPosition?: number }).globalPosition ?? 0;
      if (position <= claimed) this.contradicted.push({ completeThrough: claimed, position });
    }
    this.applied.push(...batch.events);
    this.checkpoint = batch.checkpoint;
    await ack();
  };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function expectExactlyOnceInOrder(applied: readonly ChainedEvent[], written: WritersReport): void {
  expect(applied).toHaveLength(written.events);
  expect(new Set(applied.map((e) => e.eventId)).size).toBe(written.events);
  for (const [streamId, ids] of written.streams) {
    expect(applied.filter((e) => e.streamId === streamId).map((e) => e.eventId)).toEqual(ids);
  }
}

describe('PostgresLogFeed (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('log_feed');
    db = await openDatabase({ url: database.url, poolSize: 12 });
    pool = db.pool;
    store = new PostgresEventStore(pool, 'procurement');
    await migrateEventStore(db.dataSource, store.schema);
    await delayCommits(pool, 'procurement', 0.03);
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('delivers every event once, in stream order, while writers commit out of position order; no watermark is claimed before an event it covers', async () => {
    const projection = new RecordingProjection();
    const feed = new PostgresLogFeed(store, { batchSize: 40, pollIntervalMs: 5 });
    const subscription = await feed.subscribe(projection.handle);
    try {
      // Eight writers as eight service instances: each its own store, so their transactions interleave.
      const instances = Array.from({ length: 8 }, () => new PostgresEventStore(pool, 'procurement'));
      const written = await runWriters(instances, { writers: 8, appendsPerWriter: 20, streams: Array.from({ length: 10 }, (_, i) => `data-center-${i}`) });
      expect(written.outOfOrderCommits).toBeGreaterThan(0);
      await until(() => projection.applied.length >= written.events, 20_000, 'all events');
      expectExactlyOnceInOrder(projection.applied, written);
      expect(projection.checkpoint?.source).toBe('pg:procurement');
      // Watermarks (ADR 0019): every batch says through which global position the store is whole once it is applied;
      // no event may come after a watermark covering it, and the last one covers everything.
      const head = Math.max(...projection.applied.map((e) => (e as { globalPosition?: number }).globalPosition ?? 0));
      await until(() => projection.checkpoint?.completeThrough === head, 5_000, 'the watermark to reach the head');
      expect(projection.contradicted).toEqual([]);
    } finally {
      await subscription.stop();
    }
  });

  it('resumes from the stored checkpoint after a restart and redelivers a batch the handler failed', async () => {
    const other = new PostgresEventStore(pool, 'rental');
    await migrateEventStore(db.dataSource, other.schema);
    await delayCommits(pool, 'rental', 0.03);
    const feed = new PostgresLogFeed(other, { batchSize: 15, pollIntervalMs: 5, retry: { initialMs: 10 } });
    const projection = new RecordingProjection();
    const errors: unknown[] = [];
    const restartable = new PostgresLogFeed(other, { batchSize: 15, pollIntervalMs: 5, retry: { initialMs: 10 }, onError: (e) => errors.push(e) });

    const writing = runWriters(other, { writers: 8, appendsPerWriter: 15, streams: ['rental-a', 'rental-b', 'rental-c', 'rental-d'] });
    let subscription = await feed.subscribe(projection.handle);
    await until(() => projection.applied.length >= 30, 20_000, 'a first part');
    await subscription.stop();

    // "Restart": a new subscription starting where the projection's stored checkpoint says.
    projection.failNext = 2;
    subscription = await restartable.subscribe(projection.handle, { startAt: (source) => (source === projection.checkpoint?.source ? projection.checkpoint.position : null) });
    try {
      const written = await writing;
      await until(() => projection.applied.length >= written.events, 20_000, 'all events');
      expectExactlyOnceInOrder(projection.applied, written);
      expect(errors).toHaveLength(2);
    } finally {
      await subscription.stop();
    }
  });

  it('delivers a batch again when the handler returns without acknowledging it', async () => {
    const audit = new PostgresEventStore(pool, 'audit');
    await migrateEventStore(db.dataSource, audit.schema);
    const written = await runWriters(audit, { writers: 1, appendsPerWriter: 3, streams: ['audit-dc1'] });
    let calls = 0;
    const received: ChainedEvent[] = [];
    const subscription = await new PostgresLogFeed(audit, { pollIntervalMs: 5, retry: { initialMs: 10 } }).subscribe(async (batch, ack) => {
      if (++calls === 1) return; // forgot to ack
      received.push(...batch.events);
      await ack();
    });
    try {
      await until(() => received.length >= written.events, 10_000, 'the redelivery');
      expectExactlyOnceInOrder(received, written);
    } finally {
      await subscription.stop();
    }
  });
});
