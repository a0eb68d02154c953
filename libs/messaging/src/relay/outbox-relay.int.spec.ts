import { PostgresEventStore, PostgresRelayOutbox, migrateEventStore } from '@chip-ledger/event-store';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { createTestDatabase, createTestTopics, requireKafkaBrokers, uniqueTopicName, type TestDatabase } from '@chip-ledger/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { KafkaEventPublisher } from '../kafka/kafka-event-publisher';
import { delayCommits, runWriters } from '../testing/ledger-writers';
import { readTopic } from '../testing/topic-reader';
import { OutboxRelay } from './outbox-relay';

describe('OutboxRelay to Kafka (real PostgreSQL and Kafka)', () => {
  const topic = uniqueTopicName('relay');
  const kafka = new Kafka({ clientId: 'relay-test', brokers: requireKafkaBrokers(), logLevel: logLevel.NOTHING });
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('relay');
    db = await openDatabase({ url: database.url, poolSize: 12 });
    pool = db.pool;
    store = new PostgresEventStore(pool, 'procurement');
    await migrateEventStore(db.dataSource, store.schema);
    await createTestTopics([topic], 3);
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('publishes every event once, in stream order, while 8 writers commit out of position order (two relay instances); every watermark marker comes after every event it covers', async () => {
    await delayCommits(pool, 'procurement', 0.04);
    const publishers = [new KafkaEventPublisher(kafka, { topic, context: 'procurement' }), new KafkaEventPublisher(kafka, { topic, context: 'procurement' })];
    // Two instances as two service replicas would run them: one is active, the other on standby. Markers as often as
    // they may go, so that many of them fall between commits that land out of position order.
    const relays = publishers.map(
      (publisher) => new OutboxRelay(new PostgresRelayOutbox(pool, 'procurement'), publisher, { batchSize: 50, pollIntervalMs: 10, leaseRetryMs: 200, markerIntervalMs: 0 }),
    );
    relays.forEach((relay) => relay.start());
    try {
      const streams = Array.from({ length: 12 }, (_, i) => `chip-stock-dc${i}.H20`);
      // Eight writers as eight service instances: each its own store, so their transactions interleave.
      const instances = Array.from({ length: 8 }, () => new PostgresEventStore(pool, 'procurement'));
      const written = await runWriters(instances, { writers: 8, appendsPerWriter: 25, streams });
      expect(written.outOfOrderCommits).toBeGreaterThan(0);

      const outbox = new PostgresRelayOutbox(pool, 'procurement');
      const deadline = Date.now() + 30_000;
      while ((await outbox.backlog(await outbox.loadCheckpoint())).pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const statuses = relays.map((relay) => relay.status());
      expect(statuses.map((s) => s.published).sort((a, b) => a - b)).toEqual([0, written.events]);
      expect(statuses.map((s) => s.state)).toContain('standby');

      const { events } = await readTopic(kafka, topic);
      expect(events).toHaveLength(written.events);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(written.events);
      // Per stream: one partition, versions 1..n in offset order, the ids the writers got back.
      for (const [streamId, ids] of written.streams) {
        const published = events.filter((e) => e.streamId === streamId);
        expect(new Set(published.map((e) => e.partition)).size).toBe(1);
        expect(published.map((e) => e.version)).toEqual(ids.map((_, i) => i + 1));
        expect(published.map((e) => e.eventId)).toEqual(ids);
      }
      expect(await relays[0].backlog()).toMatchObject({ pending: 0, lagMs: 0 });

      // Watermarks (ADR 0019): a marker "complete through W" on a partition follows every event of that partition at
      // or below W, whatever order the commits landed in; and the last ones cover everything.
      const { rows } = await pool.query<{ head: string }>('SELECT max(global_position)::text AS head FROM procurement.events');
      const head = Number(rows[0].head);
      const active = relays.find((relay) => relay.status().published > 0) as OutboxRelay;
      for (let wait = Date.now() + 10_000; active.status().markedThrough !== head && Date.now() < wait; ) await new Promise((r) => setTimeout(r, 20));
      expect(active.status()).toMatchObject({ completeThrough: head, markedThrough: head });
      const { events: all, markers } = await readTopic(kafka, topic);
      expect(all).toHaveLength(written.events);
      expect(markers.length).toBeGreaterThan(3 * 3);
      expect(all.every((e) => e.globalPosition !== null)).toBe(true);
      for (const marker of markers) {
        const late = all.filter((e) => e.partition === marker.partition && (e.globalPosition as number) <= marker.completeThrough && BigInt(e.offset) > BigInt(marker.offset));
        expect({ marker, late }).toEqual({ marker, late: [] });
        expect(marker).toMatchObject({ context: 'procurement', partitions: 3 });
      }
      for (const partition of [0, 1, 2]) expect(Math.max(...markers.filter((m) => m.partition === partition).map((m) => m.completeThrough))).toBe(head);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all(publishers.map((publisher) => publisher.disconnect()));
    }
  });

  it('hands over to the standby instance when the active one stops, without losing or repeating events', async () => {
    const topic2 = uniqueTopicName('relay-handover');
    await createTestTopics([topic2], 3);
    const schema = new PostgresEventStore(pool, 'rental');
    await migrateEventStore(db.dataSource, schema.schema);
    const publishers = [new KafkaEventPublisher(kafka, { topic: topic2 }), new KafkaEventPublisher(kafka, { topic: topic2 })];
    const [first, second] = publishers.map(
      (publisher) => new OutboxRelay(new PostgresRelayOutbox(pool, 'rental'), publisher, { batchSize: 20, pollIntervalMs: 10, leaseRetryMs: 100 }),
    );
    first.start();
    try {
      const before = await runWriters(schema, { writers: 4, appendsPerWriter: 10, streams: ['rental-a', 'rental-b', 'rental-c'] });
      await first.waitUntilCaughtUp(20_000);
      second.start();
      await first.stop();
      expect(first.status().state).toBe('stopped');
      const after = await runWriters(schema, { writers: 4, appendsPerWriter: 10, streams: ['rental-a', 'rental-b', 'rental-d'] });
      await second.waitUntilCaughtUp(20_000);

      const { events } = await readTopic(kafka, topic2);
      expect(events).toHaveLength(before.events + after.events);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
      expect(second.status().published).toBe(after.events);
    } finally {
      await first.stop();
      await second.stop();
      await Promise.all(publishers.map((publisher) => publisher.disconnect()));
    }
  });
});
