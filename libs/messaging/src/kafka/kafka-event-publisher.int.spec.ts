import { eventHash, GENESIS_HASH, type StoredEvent } from '@chip-ledger/event-store';
import { createTestTopics, requireKafkaBrokers, uniqueTopicName } from '@chip-ledger/testing';
import { logLevel } from 'kafkajs';
import { PublishError } from '../relay/event-publisher.port';
import { readTopic } from '../testing/topic-reader';
import { createKafkaClient } from './kafka-client';
import { KafkaEventPublisher } from './kafka-event-publisher';

/** A correctly chained stream of `count` events with a payload of about `size` bytes each. */
function stream(streamId: string, count: number, size: number, firstPosition: number): StoredEvent[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: count }, (_, i) => {
    const fields = {
      eventId: `00000000-0000-4000-8000-${String(firstPosition + i).padStart(12, '0')}`,
      type: 'ChipsDelivered',
      schemaVersion: 1,
      streamId,
      version: i + 1,
      occurredAt: '2025-11-05T00:00:00.000Z',
      recordedAt: '2025-11-05T00:00:01.000Z',
      actor: { id: 'u', organisation: 'o', role: 'operator' as const },
      correlationId: 'c',
      causationId: null,
      data: { padding: 'x'.repeat(size) },
    };
    const event = { ...fields, prevHash, hash: eventHash(prevHash, fields), globalPosition: firstPosition + i };
    prevHash = event.hash;
    return event;
  });
}

describe('KafkaEventPublisher (real Kafka)', () => {
  const kafka = createKafkaClient({ clientId: 'publisher-test', brokers: requireKafkaBrokers(), logLevel: logLevel.NOTHING });

  it('splits large batches into requests under the size limit, keeping each stream in order on one partition', async () => {
    const topic = uniqueTopicName('publisher');
    await createTestTopics([topic], 3);
    const events = [...stream('s-a', 40, 1_000, 1), ...stream('s-b', 40, 1_000, 101)].sort((x, y) => x.version - y.version);
    const publisher = new KafkaEventPublisher(kafka, { topic, maxRequestBytes: 8 * 1024 });
    try {
      await publisher.publish(events);
    } finally {
      await publisher.disconnect();
    }
    // 80 events of ~1.3 KB in requests of at most 8 KiB.
    expect(publisher.stats()).toEqual({ requests: expect.any(Number), events: 80, markers: 0, producerResets: 0 });
    expect(publisher.stats().requests).toBeGreaterThanOrEqual(14);

    const { events: received } = await readTopic(kafka, topic);
    expect(received).toHaveLength(80);
    for (const streamId of ['s-a', 's-b']) {
      const own = received.filter((e) => e.streamId === streamId);
      expect(new Set(own.map((e) => e.partition)).size).toBe(1);
      expect(own.map((e) => e.version)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      // The chain travels with the events: verifiable from the topic alone.
      own.forEach((e, i) => expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : own[i - 1].hash));
      own.forEach((e) => expect(eventHash(e.prevHash, e)).toBe(e.hash));
    }
  });

  it('reports a failure with the count acknowledged, and never creates a topic by itself', async () => {
    const missing = uniqueTopicName('missing');
    const publisher = new KafkaEventPublisher(kafka, { topic: missing, retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } });
    try {
      await expect(publisher.publish(stream('s', 2, 10, 1))).rejects.toMatchObject({ name: 'PublishError', acknowledged: 0 });
      await expect(publisher.publish(stream('s', 1, 10, 1))).rejects.toBeInstanceOf(PublishError);
    } finally {
      await publisher.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).not.toContain(missing);
    await admin.disconnect();
  });
});
