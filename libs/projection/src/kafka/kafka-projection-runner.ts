import type { Consumer, EachBatchPayload, IMemberAssignment, Kafka } from 'kafkajs';
import type { GenerationWriter } from '../engine/generation-writer';
import { describeError, fromKafkaMessage, type Upcast } from '../engine/incoming-message';
import { RunnerCounters, type ProjectionRunner, type RunnerStatus } from '../runner/projection-runner.port';
import type { ApplyOutcome } from '../engine/generation-writer';

export interface KafkaProjectionRunnerOptions {
  readonly kafka: Kafka;
  readonly topics: readonly string[];
  readonly writer: GenerationWriter;
  /** One group per generation (see `generationGroupId`). */
  readonly groupId: string;
  /** Messages per PostgreSQL transaction; default 500. */
  readonly subBatchSize?: number;
  /** Default 10 s: a crashed member's partitions move within that time (broker minimum is 6 s). */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly upcast?: Upcast;
}

/**
 * The Kafka driver: a consumer group over the context topics, `eachBatch` with nothing auto-resolved or
 * auto-committed. PostgreSQL holds the offsets (written in each batch's transaction); Kafka's committed
 * offsets are never used. On every assignment the assigned partitions are paused, sought to the stored
 * offsets and resumed; each transaction checks the stored offset again, so a fetch that raced the seek
 * is dropped and sought again instead of being applied out of place.
 */
export class KafkaProjectionRunner implements ProjectionRunner {
  private consumer: Consumer | null = null;
  private readonly counters = new RunnerCounters();
  private readonly subBatchSize: number;
  /** Join counter: only the latest assignment's seek may resume partitions. */
  private joins = 0;
  /** Where this member last sought each partition: a jump forward from there is the log's real shape. */
  private readonly lastSeek = new Map<string, string>();

  constructor(private readonly options: KafkaProjectionRunnerOptions) {
    this.subBatchSize = options.subBatchSize ?? 500;
  }

  get ref() {
    return this.options.writer.ref;
  }

  async start(): Promise<void> {
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout,
      rebalanceTimeout: sessionTimeout,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? Math.floor(sessionTimeout / 5),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.onAssigned(consumer, event.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (event) => {
      this.counters.lastError = describeError(event.payload.error);
      if (!event.payload.restart) this.counters.state = 'failed';
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // One batch at a time: a projection may keep in-memory state across streams.
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(consumer, payload),
    });
    this.counters.state = 'running';
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    this.counters.state = 'stopping';
    await consumer.stop();
    await consumer.disconnect();
    this.consumer = null;
    this.counters.state = 'stopped';
  }

  status(): RunnerStatus {
    return this.counters.snapshot(this.ref, 'kafka');
  }

  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void {
    return this.counters.listen(listener);
  }

  private onAssigned(consumer: Consumer, assignment: IMemberAssignment): void {
    const join = ++this.joins;
    const assigned = Object.entries(assignment).map(([topic, partitions]) => ({ topic, partitions }));
    // Another member may have applied events to the shared tables while this one did not own them.
    this.options.writer.invalidateState();
    // GROUP_JOIN is emitted before the fetch loop starts: pausing here means nothing is fetched from
    // Kafka's idea of the position before PostgreSQL's is known.
    consumer.pause(assigned);
    this.seekToStored(consumer, assigned)
      .catch((error: unknown) => {
        // The per-transaction check still seeks lazily; resuming keeps the consumer alive.
        this.counters.lastError = `seek on assignment failed: ${describeError(error)}`;
      })
      .finally(() => {
        if (join === this.joins && this.consumer === consumer) consumer.resume(assigned);
      });
  }

  private async seekToStored(consumer: Consumer, assigned: readonly { topic: string; partitions: number[] }[]): Promise<void> {
    const stored = await this.options.writer.storedOffsets(assigned.map((a) => a.topic));
    for (const { topic, partitions } of assigned) {
      for (const partition of partitions) {
        const offset = stored.get(`${topic}/${partition}`);
        // No row yet: a new generation reads from the beginning (`fromBeginning` with no group offsets).
        if (offset === undefined) continue;
        this.lastSeek.set(`${topic}/${partition}`, offset.toString());
        consumer.seek({ topic, partition, offset: offset.toString() });
      }
    }
  }

  private async eachBatch(consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = `${topic}/${partition}`;
    for (let start = 0; start < batch.messages.length; start += this.subBatchSize) {
      if (!isRunning() || isStale()) return;
      const slice = batch.messages.slice(start, start + this.subBatchSize);
      const incoming = slice.map((message) => fromKafkaMessage(topic, partition, message, this.options.upcast));
      let result;
      try {
        result = await this.options.writer.applyPartitionBatch(topic, partition, incoming, this.lastSeek.get(key));
      } catch (error) {
        // Rethrown: kafkajs backs off and fetches the same messages again; nothing was committed.
        this.counters.lastError = describeError(error);
        throw error;
      }
      if (result.kind === 'reseek') {
        this.lastSeek.set(key, result.offset);
        consumer.seek({ topic, partition, offset: result.offset });
        return;
      }
      resolveOffset(slice[slice.length - 1].offset);
      this.counters.record(result.outcome);
      await heartbeat();
    }
  }
}
