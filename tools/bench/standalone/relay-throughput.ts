import { randomUUID } from 'node:crypto';
import { openDatabase } from '@chip-ledger/persistence';
/**
 * How fast the outbox relay drains a backlog into Kafka.
 *
 *   DATABASE_URL=... KAFKA_BROKERS=... node tools/scripts/ts-run.mjs tools/bench/standalone/relay-throughput.ts [events] [batchSize]
 *
 * Appends `events` single-event appends (32 concurrent writers) while no relay runs, then starts one and
 * times the drain; also reports the end-to-end lag of a trickle of appends once caught up.
 */
import { PostgresEventStore, PostgresRelayOutbox, migrateEventStore } from '@chip-ledger/event-store';
import { createTestDatabase, createTestTopics, requireKafkaBrokers, uniqueTopicName } from '@chip-ledger/testing';
import { logLevel } from 'kafkajs';
import { createKafkaClient, KafkaEventPublisher, OutboxRelay } from '@chip-ledger/messaging';
import type { NewEvent } from '@chip-ledger/event-store';

const newEvent = (data: Record<string, unknown> = {}): NewEvent => ({
  eventId: randomUUID(),
  type: 'ChipsDelivered',
  schemaVersion: 1,
  occurredAt: '2025-11-05T00:00:00.000Z',
  actor: { id: 'writer', organisation: 'org-1', role: 'operator' },
  correlationId: randomUUID(),
  causationId: null,
  data,
});

const [total, batchSize] = [Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 500)];

async function main(): Promise<void> {
  const database = await createTestDatabase('relay_bench');
  const db = await openDatabase({ url: database.url, poolSize: 16 });
  const pool = db.pool;
  const topic = uniqueTopicName('relay-bench');
  await createTestTopics([topic], 6);
  const kafka = createKafkaClient({ clientId: 'relay-bench', brokers: requireKafkaBrokers(), logLevel: logLevel.NOTHING });
  // As KafkaRelays runs it: events name their context, and watermark markers go out (ADR 0019).
  const publisher = new KafkaEventPublisher(kafka, { topic, context: 'procurement' });
  const store = new PostgresEventStore(pool, 'procurement');
  await migrateEventStore(db.dataSource, store.schema);
  const relay = new OutboxRelay(new PostgresRelayOutbox(pool, 'procurement'), publisher, { batchSize, pollIntervalMs: 20 });
  try {
    let next = 0;
    const appendStarted = Date.now();
    // Each writer owns a few streams and knows their versions, so nothing conflicts.
    await Promise.all(
      Array.from({ length: 32 }, async (_, w) => {
        const versions = [0, 0, 0, 0, 0, 0];
        while (next < total) {
          const i = next++;
          const s = i % versions.length;
          await store.append([{ streamId: `chip-stock-dc${w}.m${s}`, expectedVersion: versions[s]++, events: [newEvent({ i })] }]);
        }
      }),
    );
    console.log(`appended ${total} events in ${((Date.now() - appendStarted) / 1000).toFixed(1)} s`);

    const started = Date.now();
    relay.start();
    await relay.waitUntilCaughtUp(300_000, 100);
    const seconds = (Date.now() - started) / 1000;
    console.log(`relay drained ${total} events in ${seconds.toFixed(1)} s: ${(total / seconds).toFixed(0)} events/s, ${publisher.stats().requests} produce requests (batch ${batchSize}), ${publisher.stats().markers} watermark markers`);

    const lags: number[] = [];
    for (let i = 0; i < 50; i++) {
      const appended = Date.now();
      await store.append([{ streamId: `trickle-${i}`, expectedVersion: 0, events: [newEvent()] }]);
      relay.notify();
      while ((await relay.backlog()).pending > 0) await new Promise((r) => setTimeout(r, 2));
      lags.push(Date.now() - appended);
    }
    lags.sort((a, b) => a - b);
    console.log(`append-to-acknowledged lag when caught up: p50 ${lags[25]} ms, max ${lags[49]} ms`);
  } finally {
    await relay.stop();
    await publisher.disconnect();
    await db.close();
    await database.drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
