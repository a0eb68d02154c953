import { createTestTopics, requireKafkaBrokers, uniqueTopicName } from '@chip-ledger/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';

/*
 * Smoke test of the real broker: the producer settings the relay relies on (idempotent, acks=-1) and a
 * consumer group reading everything back in per-key order.
 */
describe('Kafka broker (real, via kafkajs)', () => {
  const topic = uniqueTopicName('smoke');
  const kafka = new Kafka({ clientId: 'smoke', brokers: requireKafkaBrokers(), logLevel: logLevel.NOTHING });
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    await createTestTopics([topic], 3);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    consumer = kafka.consumer({ groupId: `${topic}.group` });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await consumer.disconnect();
    await producer.disconnect();
  });

  it('delivers 1,000 idempotently produced messages over 10 keys to a consumer group, in order per key', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `stream-${i}`);
    const sent = Array.from({ length: 1000 }, (_, i) => ({ key: keys[i % keys.length], value: String(Math.floor(i / keys.length)) }));
    for (let i = 0; i < sent.length; i += 100) {
      await producer.send({ topic, acks: -1, messages: sent.slice(i, i + 100) });
    }

    const received = new Map<string, number[]>();
    let count = 0;
    await consumer.subscribe({ topic, fromBeginning: true });
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const key = String(message.key);
          received.set(key, [...(received.get(key) ?? []), Number(String(message.value))]);
          if (++count === sent.length) resolve();
        },
      });
    });
    await allReceived;

    expect(count).toBe(1000);
    for (const key of keys) {
      expect(received.get(key)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    }
  });
});
