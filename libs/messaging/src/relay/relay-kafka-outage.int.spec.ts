import { PostgresEventStore, PostgresRelayOutbox, migrateEventStore } from '@chip-ledger/event-store';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { createKafkaClient } from '../kafka/kafka-client';
import { KafkaEventPublisher } from '../kafka/kafka-event-publisher';
import { ensureTopics, ledgerTopic } from '../topics/ledger-topics';
import { startDedicatedKafka, type DedicatedKafka } from '../testing/dedicated-kafka';
import { runWriters } from '../testing/ledger-writers';
import { readTopic } from '../testing/topic-reader';
import { OutboxRelay } from './outbox-relay';

/*
 * A real outage: this file runs a broker of its own (other ports and data directory, so the shared broker
 * and the other test files are untouched), stops it while appends go on, and starts it again on its data.
 */
describe('OutboxRelay across a Kafka outage (real PostgreSQL, a dedicated Kafka broker stopped and restarted)', () => {
  let broker: DedicatedKafka;
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;

  beforeAll(async () => {
    [broker, database] = await Promise.all([startDedicatedKafka(), createTestDatabase('relay_outage')]);
    db = await openDatabase({ url: database.url, poolSize: 8 });
    pool = db.pool;
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
    await broker?.destroy();
  });

  it('keeps appending while Kafka is down and publishes everything, once each, when it is back', async () => {
    const store = new PostgresEventStore(pool, 'procurement');
    await migrateEventStore(db.dataSource, store.schema);
    // A topic name of production's shape is safe here: the broker is this test's own.
    const topic = ledgerTopic('procurement');
    // Bounded client retries: a send to the stopped broker fails in about a second and the relay backs off.
    const kafka = createKafkaClient({ clientId: 'outage-test', brokers: broker.brokers, logLevel: logLevel.NOTHING, connectionTimeoutMs: 1_000, retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 500 } });
    expect(await ensureTopics(kafka, [{ topic, partitions: 3 }])).toEqual({ created: [topic], existing: [] });
    const publisher = new KafkaEventPublisher(kafka, { topic, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } });
    const relay = new OutboxRelay(new PostgresRelayOutbox(pool, 'procurement'), publisher, { batchSize: 100, pollIntervalMs: 20, backoff: { initialMs: 100, maxMs: 1_000 } });
    const streams = ['purchase-order-1', 'purchase-order-2', 'purchase-order-3', 'purchase-order-4'];
    relay.start();
    try {
      const before = await runWriters(store, { writers: 4, appendsPerWriter: 10, streams });
      await relay.waitUntilCaughtUp(20_000);

      await broker.stop();
      const during = await runWriters(store, { writers: 4, appendsPerWriter: 15, streams });
      // Appends are unaffected; the relay keeps failing and retrying, and reports its backlog.
      const deadline = Date.now() + 15_000;
      while (relay.status().consecutiveFailures < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(relay.status()).toMatchObject({ state: expect.stringMatching(/retrying|publishing/), lastError: expect.any(String) });
      expect((await relay.backlog()).pending).toBe(during.events);
      expect((await relay.backlog()).lagMs).toBeGreaterThan(0);

      await broker.restart();
      const after = await runWriters(store, { writers: 4, appendsPerWriter: 5, streams });
      await relay.waitUntilCaughtUp(45_000);
      expect(relay.status()).toMatchObject({ consecutiveFailures: 0, lastError: null });

      const { events } = await readTopic(kafka, topic);
      const total = before.events + during.events + after.events;
      expect(events).toHaveLength(total);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(total);
      for (const streamId of streams) {
        const versions = events.filter((e) => e.streamId === streamId).map((e) => e.version);
        expect(versions).toEqual(versions.map((_, i) => i + 1));
      }
    } finally {
      await relay.stop();
      await publisher.disconnect();
    }
  }, 120_000);
});
