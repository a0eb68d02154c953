import { ensureTopics, type TopicReplication } from '@chip-ledger/messaging';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { REGISTRY_SCHEMA } from './sql-names';

/** Where poison messages go, for every projection: one topic, keyed by the original position. */
export const DEAD_LETTER_TOPIC = 'chipledger.dead-letter.v1';

/** A message the engine gave up on: it could not be decoded, or its apply kept failing. */
export interface DeadLetter {
  readonly projection: string;
  readonly generation: number;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly eventId: string | null;
  readonly error: string;
  /** The message value as received (the original bytes as UTF-8), so it can be replayed once fixed. */
  readonly payload: string | null;
}

export interface DeadLetterRecord extends DeadLetter {
  readonly id: string;
  readonly createdAt: string;
}

/** Publishes dead letters to a topic; called inside the batch transaction, before COMMIT. */
export interface DeadLetterPublisher {
  publish(letters: readonly DeadLetter[]): Promise<void>;
}

/** Records dead letters in the batch's transaction: the row and the skipped offset commit together. */
export async function recordDeadLetters(client: PoolClient, letters: readonly DeadLetter[]): Promise<void> {
  for (const letter of letters) {
    await client.query(
      `INSERT INTO ${REGISTRY_SCHEMA}.dead_letters (projection, generation, topic, partition, "offset", event_id, error, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (projection, generation, topic, partition, "offset") DO NOTHING`,
      [letter.projection, letter.generation, letter.topic, letter.partition, letter.offset, letter.eventId, storable(letter.error), letter.payload === null ? null : storable(letter.payload)],
    );
  }
}

/**
 * A poison message may hold bytes PostgreSQL's text refuses (U+0000): stored as it is, the dead letter's own
 * INSERT would fail the batch for ever and stall the partition it was meant to free. Such characters become
 * U+FFFD in the table (the topic keeps the original bytes).
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what is replaced
const storable = (text: string): string => text.replace(/\u0000/g, '\uFFFD');

export interface ListDeadLettersQuery {
  readonly projection?: string;
  /** Default 100, at most 1,000. */
  readonly limit?: number;
  /** Only ids below this one (newest first paging). */
  readonly beforeId?: string;
}

/** Dead letters kept per projection (every instance's, every generation's): what an alert on dead letters reads. */
export async function countDeadLetters(pool: Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ projection: string; count: string }>(
    `SELECT projection, count(*)::text AS count FROM ${REGISTRY_SCHEMA}.dead_letters GROUP BY projection`,
  );
  return new Map(rows.map((row) => [row.projection, Number(row.count)]));
}

/** Newest first, for the API and the CLI. */
export async function listDeadLetters(pool: Pool, query: ListDeadLettersQuery = {}): Promise<DeadLetterRecord[]> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1_000);
  const { rows } = await pool.query<{
    id: string;
    projection: string;
    generation: number;
    topic: string;
    partition: number;
    offset: string;
    event_id: string | null;
    error: string;
    payload: string | null;
    created_at: Date;
  }>(
    `SELECT id, projection, generation, topic, partition, "offset", event_id, error, payload, created_at
       FROM ${REGISTRY_SCHEMA}.dead_letters
      WHERE ($1::text IS NULL OR projection = $1) AND ($2::bigint IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3`,
    [query.projection ?? null, query.beforeId ?? null, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    projection: row.projection,
    generation: row.generation,
    topic: row.topic,
    partition: row.partition,
    offset: row.offset,
    eventId: row.event_id,
    error: row.error,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
  }));
}

/**
 * The dead-letter topic through kafkajs' idempotent producer. Publishing happens before the batch
 * commits: if it fails the batch is retried (a dead letter may then appear twice on the topic, never zero
 * times; the table keeps exactly one row).
 */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic = DEAD_LETTER_TOPIC,
    private readonly replication: TopicReplication = {},
  ) {}

  async start(): Promise<void> {
    await ensureTopics(this.kafka, [{ topic: this.topic, partitions: 1, ...this.replication }]);
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
  }

  async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    if (!this.producer) throw new Error('KafkaDeadLetterPublisher.start() was not called');
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: letters.map((letter) => ({
        key: `${letter.topic}/${letter.partition}/${letter.offset}`,
        value: JSON.stringify(letter),
        headers: { projection: letter.projection, 'source-topic': letter.topic, ...(letter.eventId ? { 'event-id': letter.eventId } : {}) },
      })),
    });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = null;
  }
}
