import type { ChainedEvent } from '@chip-ledger/event-store';
import type { Kafka } from 'kafkajs';
import { decodeEventMessage, decodeWatermarkMarker, eventOrigin, isMarkerMessage, type WatermarkMarker } from '../kafka/event-message';

export interface TopicContents {
  /** Every event message of the topic, in partition order, decoded, with its global position when it carries one. */
  readonly events: (ChainedEvent & { partition: number; offset: string; globalPosition: number | null })[];
  /** The watermark markers (ADR 0019), which are no events. */
  readonly markers: (WatermarkMarker & { partition: number; offset: string })[];
}

/**
 * Reads a whole topic (markers apart from events): counts its messages from the partitions' offsets (so a duplicate can never hide
 * behind a consumer that stopped early), then consumes exactly that many from the beginning.
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<TopicContents> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const events: TopicContents['events'] = [];
  const markers: TopicContents['markers'] = [];
  if (total === 0) return { events, markers };

  const consumer = kafka.consumer({ groupId: `${topic}.reader.${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Read ${events.length} of ${total} messages of ${topic} in ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (isMarkerMessage(message)) markers.push({ ...decodeWatermarkMarker(message), partition, offset: message.offset });
          else events.push({ ...decodeEventMessage(message), partition, offset: message.offset, globalPosition: eventOrigin(message)?.position ?? null });
          if (events.length + markers.length >= total) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return { events, markers };
}
