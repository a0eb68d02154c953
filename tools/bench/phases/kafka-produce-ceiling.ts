import { createKafkaClient } from '@chip-ledger/messaging';
import { createTestTopics } from '@chip-ledger/testing';
import { logLevel, type Message, Partitioners } from 'kafkajs';
import type { BenchFigures } from '../figures';
import { fmtRate } from '../lib/stats';
import type { BenchContext, BenchPhase } from './context';

const BATCH = 500;
const CONCURRENT_SENDS = 4;
const PARTITIONS = 6;
const VALUE_BYTES = 1024;

/**
 * Ceiling (b): how many ~1 KB messages per second kafkajs gets into this broker with the relay's producer
 * settings (idempotent, acks=-1, one request in flight, the Java-compatible partitioner, keys like stream
 * ids), sending batches of 500 to a fresh topic of 6 partitions with a few sends outstanding. The relay
 * cannot beat it: it also reads the events from PostgreSQL and moves its checkpoint between batches.
 */
export const kafkaProduceCeilingPhase: BenchPhase = {
  name: 'ceiling: raw kafkajs produce',
  async run(context: BenchContext): Promise<Partial<BenchFigures>> {
    const topic = `bench.ceiling.${context.runTag}`;
    await createTestTopics([topic], PARTITIONS, context.kafkaBrokers);
    const kafka = createKafkaClient({ brokers: context.kafkaBrokers, clientId: 'chip-ledger-bench-ceiling', logLevel: logLevel.NOTHING });
    context.onCleanup(async () => {
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    context.onCleanup(() => producer.disconnect());

    const value = JSON.stringify({ type: 'ChipsInstalled', data: { pad: 'x'.repeat(VALUE_BYTES - 50) } }).slice(0, VALUE_BYTES);
    const headers = { 'event-id': '00000000-0000-4000-8000-000000000000', 'event-type': 'ChipsInstalled', 'schema-version': '1', 'stream-version': '1', 'content-type': 'application/json' };
    const messages: Message[] = Array.from({ length: BATCH }, (_, i) => ({ key: `chip-stock-bench-dc-${String(i % 64).padStart(3, '0')}.nvidia-h20`, value, headers }));
    // One untimed send: metadata, producer id and connections are set up before the clock starts.
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });

    const deadline = Date.now() + context.settings.ceilingSec * 1000;
    const started = Date.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONCURRENT_SENDS }, async () => {
        while (Date.now() < deadline) {
          await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
          sent += BATCH;
        }
      }),
    );
    const kafkaProduceMsgsPerSec = sent / ((Date.now() - started) / 1000);
    context.log(
      `kafka produce: ${fmtRate(kafkaProduceMsgsPerSec)} messages/s  (${sent} messages of ${value.length} B, sendBatch of ${BATCH}, ${CONCURRENT_SENDS} sends outstanding, idempotent, acks=-1, ${PARTITIONS} partitions, ${context.settings.ceilingSec} s)`,
    );
    return { kafkaProduceMsgsPerSec };
  },
};
