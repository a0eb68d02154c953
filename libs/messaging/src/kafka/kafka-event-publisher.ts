import type { ChainedEvent, StoredEvent } from '@chip-ledger/event-store';
import { Partitioners, type Admin, type Kafka, type Message, type PartitionMetadata, type Producer, type RetryOptions, type TopicMessages } from 'kafkajs';
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
   * kafkajs' own retries inside one `sendBatch`. Default one (kafkajs refuses an idempotent producer without any):
   * past a retry, a partition that moved to a broker that had already answered within the same call is skipped
   * (kafkajs 2.2.4 keeps one answer per broker across its retries) and the call resolves without having written it.
   * The relay retries with backoff instead, and every answer is checked to cover every partition sent.
   */
  readonly retry?: RetryOptions;
  /**
   * The context whose store this publisher relays (procurement, rental, audit). Set, every event message says where
   * it is in that store (`ledger-context`, `global-position` headers) and `publishWatermark` works (a fixed `topic`
   * is then required).
   */
  readonly context?: string;
}

/** Producer errors after which its sequence numbers cannot go on: only a new producer id gets out of them. */
const FATAL_PRODUCER_ERRORS = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

interface Routed {
  readonly event: StoredEvent;
  readonly topic: string;
  readonly message: Message;
}

/**
 * Publishes stored events with kafkajs' idempotent producer: `acks: -1` (required by kafkajs for idempotence), one
 * request in flight, key = stream id with the Java-compatible partitioner, no topic auto-creation (topics are created
 * explicitly with `ensureTopics`).
 *
 * Each request goes to one broker (events are grouped by their partition's leader), so when a broker fails the
 * publisher knows exactly which partitions were written: the others' events are reported as acknowledged
 * (`PublishError.acknowledgedIds`) and only the failed ones are sent again. A request to a dead broker fails as a
 * whole and kafkajs rolls its sequence numbers back, so sending the same events again is deduplicated by the broker
 * if the dead leader had in fact replicated them. A producer whose sequence the broker no longer accepts
 * (OUT_OF_ORDER_SEQUENCE_NUMBER after a failover, an expired producer id) is replaced by a new one: what it may
 * have written is then sent again (at least once, consumers deduplicate), never skipped.
 */
export class KafkaEventPublisher implements EventPublisher {
  private producer: Producer;
  private readonly topicOf: (event: ChainedEvent) => string;
  private readonly maxRequestBytes: number;
  private connected: Promise<void> | null = null;
  private counters = { requests: 0, events: 0, markers: 0, producerResets: 0 };
  private readonly context: string | undefined;
  private readonly watermarkTopic: string | null;
  /** Markers go through a producer of their own: never queued behind, or interleaved with, the events' idempotent sequence. */
  private readonly markerProducer: Producer;
  private markerConnected: Promise<void> | null = null;
  private admin: Promise<Admin> | null = null;
  /** Per topic: its partitions and their leaders, refreshed after any failure. */
  private metadata = new Map<string, PartitionMetadata[]>();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaEventPublisherOptions,
  ) {
    const topic = options.topic;
    this.context = options.context;
    this.watermarkTopic = typeof topic === 'string' ? topic : null;
    if (options.context !== undefined && this.watermarkTopic === null) throw new Error('KafkaEventPublisher: a context needs a fixed topic');
    this.topicOf = typeof topic === 'string' ? () => topic : topic;
    this.maxRequestBytes = options.maxRequestBytes ?? 512 * 1024;
    this.producer = this.newProducer();
    // A marker says something already true of the log; a copy or a lost one does no harm (the next one says more).
    this.markerProducer = kafka.producer({ allowAutoTopicCreation: false, retry: options.retry ?? { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 } });
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      // kafkajs does not enforce it for idempotence but it is what keeps per-partition order on retries.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner: other consumers or tools agree on a stream's partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: this.options.retry ?? { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
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

  /**
   * Acknowledged produce requests, events and watermark markers (one per partition) since construction, and producers
   * replaced (for metrics, benchmarks and tests).
   */
  stats(): { readonly requests: number; readonly events: number; readonly markers: number; readonly producerResets: number } {
    return { ...this.counters };
  }

  async disconnect(): Promise<void> {
    this.connected = null;
    this.markerConnected = null;
    await this.producer.disconnect();
    await this.markerProducer.disconnect();
    const admin = this.admin;
    this.admin = null;
    await (await admin?.catch(() => null))?.disconnect().catch(() => undefined);
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
    // A ledger topic never gets more partitions (it would move streams between partitions): its count is known.
    const partitions = (await this.partitionsOf(this.watermarkTopic)).length;
    const marker = { context: this.context, completeThrough, partitions };
    await this.markerProducer.send({ topic: this.watermarkTopic, acks: -1, messages: Array.from({ length: partitions }, (_, p) => encodeWatermarkMarker(marker, p)) });
    this.counters = { ...this.counters, markers: this.counters.markers + partitions };
  }

  /**
   * Sends the events in requests of at most `maxRequestBytes`, one broker per request, the brokers side by side and
   * each broker's requests one after the other (a partition's events keep their order). On a failure, the events of
   * every request that was acknowledged are reported in the error, and a broker's later requests are not sent.
   */
  async publish(events: readonly StoredEvent[]): Promise<void> {
    const acknowledged = new Set<string>();
    try {
      await this.connect();
      const byLeader = await this.routeByLeader(events);
      const results = await Promise.allSettled([...byLeader.values()].map((routed) => this.sendInOrder(routed, acknowledged)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      // Leaders may have moved: ask again next time.
      this.metadata.clear();
      if (isFatalProducerError(error)) await this.resetProducer();
      let prefix = 0;
      while (prefix < events.length && acknowledged.has(events[prefix].eventId)) prefix++;
      throw new PublishError(prefix, error, acknowledged);
    }
  }

  private async sendInOrder(routed: readonly Routed[], acknowledged: Set<string>): Promise<void> {
    for (const chunk of this.chunks(routed)) {
      const answered = await this.producer.sendBatch({ acks: -1, topicMessages: chunk.topicMessages });
      const written = new Set(answered.filter((r) => r.errorCode === 0).map((r) => `${r.topicName}/${r.partition}`));
      const skipped = chunk.topicMessages.flatMap(({ topic, messages }) => messages.map((m) => `${topic}/${m.partition}`)).filter((key) => !written.has(key));
      if (skipped.length > 0) throw new Error(`Kafka answered without partitions ${[...new Set(skipped)].join(', ')}: they are sent again`);
      for (const { event } of chunk.routed) acknowledged.add(event.eventId);
      this.counters = { ...this.counters, requests: this.counters.requests + 1, events: this.counters.events + chunk.routed.length };
    }
  }

  /** Each event's partition (as the producer would choose it) and the events grouped by that partition's leader. */
  private async routeByLeader(events: readonly StoredEvent[]): Promise<Map<number, Routed[]>> {
    const byLeader = new Map<number, Routed[]>();
    for (const event of events) {
      const topic = this.topicOf(event);
      const partitions = await this.partitionsOf(topic);
      const message = withContext(encodeEventMessage(event), this.context);
      const partition = this.partitioner({ topic, partitionMetadata: partitions, message });
      const leader = partitions.find((p) => p.partitionId === partition)?.leader ?? -1;
      const list = byLeader.get(leader) ?? [];
      list.push({ event, topic, message: { ...message, partition } });
      byLeader.set(leader, list);
    }
    return byLeader;
  }

  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const known = this.metadata.get(topic);
    if (known) return known;
    const admin = await this.connectedAdmin();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length === 0) throw new Error(`Kafka topic ${topic} has no partitions (does it exist?)`);
      this.metadata.set(topic, partitions);
      return partitions;
    } catch (error) {
      const broken = this.admin;
      this.admin = null;
      void broken?.then((a) => a.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = null;
      throw error;
    });
    return this.admin;
  }

  private async resetProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.newProducer();
    this.connected = null;
    this.counters = { ...this.counters, producerResets: this.counters.producerResets + 1 };
    await old.disconnect().catch(() => undefined);
  }

  private *chunks(routed: readonly Routed[]): Generator<{ topicMessages: TopicMessages[]; routed: Routed[] }> {
    let byTopic = new Map<string, Message[]>();
    let bytes = 0;
    let chunk: Routed[] = [];
    for (const one of routed) {
      const size = messageSize(one.message);
      if (chunk.length > 0 && bytes + size > this.maxRequestBytes) {
        yield { topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), routed: chunk };
        byTopic = new Map();
        bytes = 0;
        chunk = [];
      }
      const messages = byTopic.get(one.topic) ?? [];
      messages.push(one.message);
      byTopic.set(one.topic, messages);
      bytes += size;
      chunk.push(one);
    }
    if (chunk.length > 0) yield { topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), routed: chunk };
  }
}

function isFatalProducerError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { type?: unknown; cause?: unknown; originalError?: unknown };
  if (typeof e.type === 'string' && FATAL_PRODUCER_ERRORS.has(e.type)) return true;
  return isFatalProducerError(e.cause, depth + 1) || isFatalProducerError(e.originalError, depth + 1);
}

function messageSize(message: Message): number {
  const headers = Object.entries(message.headers ?? {}).reduce((sum, [k, v]) => sum + k.length + String(v).length, 0);
  // Record overhead (lengths, varints, timestamp delta) is well under 64 bytes per record.
  return Buffer.byteLength(String(message.value)) + Buffer.byteLength(String(message.key)) + headers + 64;
}
