import type { ChainedEvent, StoredEvent } from '@chip-ledger/event-store';
import { Partitioners, type Kafka, type Message, type Producer, type RetryOptions, type TopicMessages } from 'kafkajs';
import { PublishError, type EventPublisher } from '../relay/event-publisher.port';
import { encodeEventMessage, encodeWatermarkMarker, withContext } from './event-message';

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
  /**
   * The context whose store this publisher relays (procurement, rental, audit). Set, every event message says where
   * it is in that store (`ledger-context`, `global-position` headers) and `publishWatermark` works (a fixed `topic`
   * is then required).
   */
  readonly context?: string;
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
  private counters = { requests: 0, events: 0, markers: 0 };
  private readonly context: string | undefined;
  private readonly watermarkTopic: string | null;
  /** Markers go through a producer of their own: never queued behind, or interleaved with, the events' idempotent sequence. */
  private readonly markerProducer: Producer;
  private markerConnected: Promise<void> | null = null;
  private partitions: number | null = null;

  constructor(
    private readonly kafka: Kafka,
    options: KafkaEventPublisherOptions,
  ) {
    const topic = options.topic;
    this.context = options.context;
    this.watermarkTopic = typeof topic === 'string' ? topic : null;
    if (options.context !== undefined && this.watermarkTopic === null) throw new Error('KafkaEventPublisher: a context needs a fixed topic');
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
    // A marker says something already true of the log; a copy or a lost one does no harm (the next one says more).
    this.markerProducer = kafka.producer({ allowAutoTopicCreation: false, retry: options.retry ?? { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 } });
  }

  /** Connects (and obtains the producer id); `publish` also connects on first use. */
  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = null;
      throw error;
    });
    return this.connected;
  }

  /** Acknowledged produce requests, events and watermark markers (one per partition) since construction (for metrics and benchmarks). */
  stats(): { readonly requests: number; readonly events: number; readonly markers: number } {
    return { ...this.counters };
  }

  async disconnect(): Promise<void> {
    this.connected = null;
    this.markerConnected = null;
    await this.producer.disconnect();
    await this.markerProducer.disconnect();
  }

  /**
   * One marker per partition of the topic, in one request. The relay calls it only after the events up to
   * `completeThrough` were acknowledged, so on every partition the marker lands after them.
   */
  async publishWatermark(completeThrough: number): Promise<void> {
    if (this.context === undefined || this.watermarkTopic === null) return;
    this.markerConnected ??= this.markerProducer.connect().catch((error: unknown) => {
      this.markerConnected = null;
      throw error;
    });
    await this.markerConnected;
    const partitions = await this.partitionCount(this.watermarkTopic);
    const marker = { context: this.context, completeThrough, partitions };
    await this.markerProducer.send({ topic: this.watermarkTopic, acks: -1, messages: Array.from({ length: partitions }, (_, p) => encodeWatermarkMarker(marker, p)) });
    this.counters = { ...this.counters, markers: this.counters.markers + partitions };
  }

  /** The topic's partitions, asked once: a ledger topic never gets more (it would move streams between partitions). */
  private async partitionCount(topic: string): Promise<number> {
    if (this.partitions !== null) return this.partitions;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const count = topics[0]?.partitions.length ?? 0;
      if (count < 1) throw new Error(`Topic ${topic} has no partitions yet`);
      this.partitions = count;
      return count;
    } finally {
      await admin.disconnect();
    }
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
        this.counters = { ...this.counters, requests: this.counters.requests + 1, events: this.counters.events + chunk.count };
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
      const message = withContext(encodeEventMessage(event), this.context);
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
