import { randomUUID } from 'node:crypto';
import type { ChainedEvent } from '@chip-ledger/event-store';
import { encodeEventMessage } from '@chip-ledger/messaging';
import type { Kafka, Message } from 'kafkajs';
import type { Pool } from 'pg';

/** `perStream` events for each of `streams` streams, versions 1..n, interleaved across streams. */
export function ledgerEvents(streams: number, perStream: number, label = 'dc'): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  for (let version = 1; version <= perStream; version++) {
    for (let s = 0; s < streams; s++) {
      events.push({
        eventId: randomUUID(),
        type: 'ChipsDelivered',
        schemaVersion: 1,
        streamId: `${label}-${s}`,
        version,
        occurredAt: '2025-11-05T00:00:00.000Z',
        recordedAt: '2025-11-05T00:00:01.000Z',
        actor: { id: 'tester', organisation: 'org-1', role: 'operator' },
        correlationId: randomUUID(),
        causationId: null,
        data: { n: version },
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      });
    }
  }
  return events;
}

/** Produces messages as the relay does (key = stream id), in batches. */
export async function produceMessages(kafka: Kafka, topic: string, messages: readonly Message[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

export function produceEvents(kafka: Kafka, topic: string, events: readonly ChainedEvent[]): Promise<void> {
  return produceMessages(kafka, topic, events.map(encodeEventMessage));
}

/** The counting projection's whole tables, in a stable order, for comparing generations and runs. */
export async function countingTables(pool: Pool, schema: string): Promise<{ counts: unknown[]; log: unknown[] }> {
  const counts = await pool.query(`SELECT stream_id, events, last_version, in_order FROM ${schema}.stream_counts ORDER BY stream_id`);
  const log = await pool.query(`SELECT event_id, stream_id, version FROM ${schema}.event_log ORDER BY stream_id, version, event_id`);
  return { counts: counts.rows, log: log.rows };
}

export async function countRows(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0].n);
}

export async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
