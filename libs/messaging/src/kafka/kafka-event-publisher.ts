import type { ChainedEvent, StoredEvent } from '@chip-ledger/event-store';
import { Partitioners, type Kafka, type Message, type Producer, type RetryOptions, type TopicMessages } from 'kafkajs';
import { PublishError, type EventPublisher } from '../relay/event-publisher.port';
import { encodeEventMessage } from './event-message';

export interface KafkaEventPublisherOptions {
  /** The topic of every event, or a function choosing it (e.g. by stream id prefix). */
  readonly topic: string | ((event: ChainedEvent) => string);
  /**
   * Upper bound of one produce request's payload. Kafka refuses a record batch above the topic's
   * `max.message.bytes` (1 MiB by default), so large relay batches go out in several requests. Default 512 KiB.
   */
  readonly maxRequestBytes?: number;
  /**
   * kafkajs' own retries inside one `sendBatch`. Bounded (kafkajs retries an idempotent producer forever
   * by default), so a dead broker surfaces as an error the relay backs off on, and the relay can stop.
   */
  readonly retry?: RetryOptions;
}

/**
 * Publishes stored events with kafkajs' idempotent producer: `acks: -1` (required by kafkajs for
 * idempotence), one request in flight, key = stream id with the Java-compatible partitioner, no topic
 * auto-creation (topics are created explicitly with `ensureTopics`).
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private readonly topicOf: (event: ChainedEvent) => string;
  private readonly maxRequestBytes: number;
  private connected: Promise<void> | null = null;
  private counters = { requests: 0, events: 0 };

  constructor(kafka: Kafka, options: KafkaEventPublisherOptions) {
    const topic = options.topic;
    this.topicOf = typeof topic === 'string' ? () => topic : topic;
    this.maxRequestBytes = options.maxRequestBytes ?? 512 * 1024;
    this.producer = kafka.producer({
      idempotent: true,
      // kafkajs does not enforce it for idempotence but it is what keeps per-partition order on retries.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner: other consumers or tools agree on a stream's partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: options.retry ?? { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  /** Connects (and obtains the producer id); `publish` also connects on first use. */
  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = null;
      throw error;
    });
    return this.connected;
  }

  /** Acknowledged produce requests and events since construction (for metrics and benchmarks). */
  stats(): { readonly requests: number; readonly events: number } {
    return { ...this.counters };
  }

  async disconnect(): Promise<void> {
    this.connected = null;
    await this.producer.disconnect();
  }

  /**
   * Sends in requests of at most `maxRequestBytes`, one after the other, so the order of a stream holds
   * across requests. A failed request is reported with the count acknowledged before it: resending from
   * there repeats the failed request exactly, which the idempotent producer deduplicates (kafkajs rolls
   * its sequence numbers back on failure).
   */
  async publish(events: readonly StoredEvent[]): Promise<void> {
    let acknowledged = 0;
    try {
      await this.connect();
      for (const chunk of this.chunks(events)) {
        await this.producer.sendBatch({ acks: -1, topicMessages: chunk.topicMessages });
        acknowledged += chunk.count;
        this.counters = { requests: this.counters.requests + 1, events: this.counters.events + chunk.count };
      }
    } catch (error) {
      throw new PublishError(acknowledged, error);
    }
  }

  private *chunks(events: readonly StoredEvent[]): Generator<{ topicMessages: TopicMessages[]; count: number }> {
    let byTopic = new Map<string, Message[]>();
    let bytes = 0;
    let count = 0;
    for (const event of events) {
      const message = encodeEventMessage(event);
      const size = messageSize(message);
      if (count > 0 && bytes + size > this.maxRequestBytes) {
        yield { topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), count };
        byTopic = new Map();
        bytes = 0;
        count = 0;
      }
      const topic = this.topicOf(event);
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
      bytes += size;
      count++;
    }
    if (count > 0) yield { topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), count };
  }
}

function messageSize(message: Message): number {
  const headers = Object.entries(message.headers ?? {}).reduce((sum, [k, v]) => sum + k.length + String(v).length, 0);
  // Record overhead (lengths, varints, timestamp delta) is well under 64 bytes per record.
  return Buffer.byteLength(String(message.value)) + Buffer.byteLength(String(message.key)) + headers + 64;
}
