import type { Consumer, EachBatchPayload, IMemberAssignment, Kafka } from 'kafkajs';
import type { GenerationWriter } from '../engine/generation-writer';
import { describeError, fromKafkaMessage, type Upcast } from '../engine/incoming-message';
import { RunnerCounters, type ProjectionRunner, type RunnerStatus } from '../runner/projection-runner.port';
import type { ApplyOutcome, PartitionMessages } from '../engine/generation-writer';
import type { IncomingMessage } from '../engine/incoming-message';

export interface KafkaProjectionRunnerOptions {
  readonly kafka: Kafka;
  readonly topics: readonly string[];
  /**
   * The generations this consumer feeds, each in its own transaction over the same fetched and decoded
   * messages: usually one; several for a shared feed (`KafkaSharedFeed`), so co-located read models fetch and
   * decode every message once instead of once each.
   */
  readonly writers: readonly GenerationWriter[];
  /** Where each writer's commits are counted (a shared feed's members keep theirs across restarts); default fresh. */
  readonly counters?: ReadonlyMap<GenerationWriter, RunnerCounters>;
  /** One group per generation (see `generationGroupId`), or per shared feed. */
  readonly groupId: string;
  /**
   * Most messages per PostgreSQL transaction; default 5,000. A transaction gathers the fetched batches of
   * several partitions (and fetches) while the consumer is behind: see `eachBatch`.
   */
  readonly subBatchSize?: number;
  /**
   * The same for an exclusive projection (`writer.exclusive`, e.g. findings, whose cost per transaction is
   * mostly per data center touched, so bigger transactions cost less per event); default `subBatchSize`
   * when that is given, else 100,000 (~200 MB of decoded events held while catching up).
   */
  readonly exclusiveSubBatchSize?: number;
  /**
   * How long gathered messages may wait for the next fetch before they are applied anyway (ms); default 250
   * (longer than a fetch's `maxWaitTimeInMs`, 200: nothing came, so nothing is on the way).
   * Normally they go at the size limit, or as soon as every partition gathered from has been read to its end.
   */
  readonly lingerMs?: number;
  /** Default 10 s: a crashed member's partitions move within that time (broker minimum is 6 s). */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly upcast?: Upcast;
  /**
   * Wait before replacing a consumer kafkajs gave up on (a crash it will not restart from), doubling up to 30 s
   * while the replacement keeps failing; default 1 s.
   */
  readonly recoveryMs?: number;
}

const MAX_RECOVERY_MS = 30_000;

/**
 * The Kafka driver: a consumer group over the context topics, `eachBatch` with nothing auto-resolved or
 * auto-committed. PostgreSQL holds the offsets (written in each batch's transaction); Kafka's committed
 * offsets are never used. On every assignment the assigned partitions are paused, sought to the stored
 * offsets and resumed; each transaction checks the stored offset again, so a fetch that raced the seek
 * is dropped and sought again instead of being applied out of place.
 */
export class KafkaProjectionRunner implements ProjectionRunner {
  private consumer: Consumer | null = null;
  /** Per writer (generation): what it committed, for its status and its listeners. */
  private readonly counters = new Map<GenerationWriter, RunnerCounters>();
  private readonly writers: readonly GenerationWriter[];
  private readonly subBatchSize: number;
  /** Join counter: only the latest assignment's seek may resume partitions. */
  private joins = 0;
  /** Where this member last sought each partition: a jump forward from there is the log's real shape. */
  private readonly lastSeek = new Map<string, string>();

  /** Messages gathered for the next transaction, per partition (in arrival order), not yet in PostgreSQL. */
  private pending = new Map<string, PendingPart>();
  private pendingCount = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  /** Flushes run one at a time, whether from `eachBatch` or the linger timer. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly lingerMs: number;
  private stopped = false;
  private recoveryTimer: NodeJS.Timeout | null = null;
  /** Replacements in a row that failed to start (the backoff's exponent); 0 once one runs. */
  private failedRecoveries = 0;
  /** Consumers replaced after kafkajs gave up on one (diagnostics and tests). */
  recoveries = 0;

  constructor(private readonly options: KafkaProjectionRunnerOptions) {
    if (options.writers.length === 0) throw new Error('KafkaProjectionRunner: no writer to feed');
    this.writers = options.writers;
    for (const writer of this.writers) this.counters.set(writer, options.counters?.get(writer) ?? new RunnerCounters());
    const exclusive = this.writers.some((w) => w.exclusive);
    this.subBatchSize = exclusive ? (options.exclusiveSubBatchSize ?? options.subBatchSize ?? 100_000) : (options.subBatchSize ?? 5_000);
    this.lingerMs = options.lingerMs ?? 250;
  }

  /** The first writer's generation (the only one, except in a shared feed). */
  get ref() {
    return this.writers[0].ref;
  }

  /** The consumer group this runner's consumer joins. */
  get groupId(): string {
    return this.options.groupId;
  }

  /**
   * Joins the group and starts consuming; throws (leaving nothing behind) if the consumer cannot start, e.g. Kafka
   * unreachable: the caller tries again. Once started, the runner keeps itself going: kafkajs restarts its consumer
   * after most failures, and a crash it will not restart from (a non-retriable error, kafkajs' verdict) has the
   * runner replace the consumer, with backoff, until it runs again or `stop()` is called.
   */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.startConsumer();
    } catch (error) {
      this.setLastError(describeError(error));
      this.setState('failed');
      await this.discardConsumer();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.recoveryTimer) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = null;
    const consumer = this.consumer;
    if (!consumer) {
      this.setState('stopped');
      return;
    }
    this.setState('stopping');
    await consumer.stop();
    // Gathered but not applied: nothing of it is in PostgreSQL, so the next owner reads it again.
    this.dropPending();
    await this.flushing;
    await consumer.disconnect();
    this.consumer = null;
    this.setAssigned(null);
    this.setState('stopped');
  }

  private async startConsumer(): Promise<void> {
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
    for (const counters of this.counters.values()) counters.groupId = this.options.groupId;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.onAssigned(consumer, event.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (event) => {
      if (this.consumer !== consumer) return;
      this.setLastError(describeError(event.payload.error));
      // kafkajs has left the group and disconnected; with restart: true it starts again by itself.
      this.setAssigned(null);
      if (!event.payload.restart) this.recover(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    // stop() may have come while a replacement was connecting: it must not start consuming after that.
    if (this.stopped || this.consumer !== consumer) {
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // One batch at a time: a projection may keep in-memory state across streams.
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(consumer, payload),
    });
    this.setState('running');
  }

  /** A consumer kafkajs will not restart: replace it after a backoff (its offsets are in PostgreSQL, nothing is lost). */
  private recover(failed: Consumer): void {
    if (this.stopped || this.recoveryTimer) return;
    this.setState('failed');
    const delay = Math.min(MAX_RECOVERY_MS, (this.options.recoveryMs ?? 1_000) * 2 ** Math.min(this.failedRecoveries, 16));
    this.recoveryTimer = setTimeout(() => void this.replaceConsumer(failed), delay);
  }

  private async replaceConsumer(failed: Consumer): Promise<void> {
    this.recoveryTimer = null;
    if (this.stopped || this.consumer !== failed) return;
    this.consumer = null;
    this.dropPending();
    await this.flushing;
    await failed.disconnect().catch(() => undefined);
    if (this.stopped) return;
    try {
      await this.startConsumer();
      this.failedRecoveries = 0;
      this.recoveries++;
    } catch (error) {
      this.failedRecoveries++;
      this.setLastError(`replacing the consumer failed: ${describeError(error)}`);
      // Try again from whatever this attempt left (disconnecting it again is harmless).
      const attempt = this.consumer ?? failed;
      this.consumer = attempt;
      this.recover(attempt);
    }
  }

  /** After a failed start: leave nothing connected. */
  private async discardConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.setAssigned(null);
    this.dropPending();
    await consumer?.disconnect().catch(() => undefined);
  }

  /** The first writer's (the only one, except in a shared feed, whose members answer for themselves). */
  status(): RunnerStatus {
    return this.countersOf(this.writers[0]).snapshot(this.ref, 'kafka');
  }

  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void {
    return this.countersOf(this.writers[0]).listen(listener);
  }

  private countersOf(writer: GenerationWriter): RunnerCounters {
    const counters = this.counters.get(writer);
    if (!counters) throw new Error(`KafkaProjectionRunner does not feed ${writer.ref.schema}`);
    return counters;
  }

  private setState(state: RunnerStatus['state']): void {
    for (const counters of this.counters.values()) counters.state = state;
  }

  private setLastError(error: string): void {
    for (const counters of this.counters.values()) counters.lastError = error;
  }

  private setAssigned(partitions: number | null): void {
    for (const counters of this.counters.values()) counters.partitions = partitions;
  }

  private onAssigned(consumer: Consumer, assignment: IMemberAssignment): void {
    const join = ++this.joins;
    const assigned = Object.entries(assignment).map(([topic, partitions]) => ({ topic, partitions }));
    this.setAssigned(assigned.reduce((n, a) => n + a.partitions.length, 0));
    // A replacement consumer that joined is running again.
    if (this.consumer === consumer && !this.stopped) this.setState('running');
    // Another member may have applied events to the shared tables while this one did not own them.
    for (const writer of this.writers) writer.invalidateState();
    // Gathered messages belong to the previous assignment; the seek below reads them again where PostgreSQL says.
    this.dropPending();
    // GROUP_JOIN is emitted before the fetch loop starts: pausing here means nothing is fetched from
    // Kafka's idea of the position before PostgreSQL's is known.
    consumer.pause(assigned);
    this.seekToStored(consumer, assigned)
      .catch((error: unknown) => {
        // The per-transaction check still seeks lazily; resuming keeps the consumer alive.
        this.setLastError(`seek on assignment failed: ${describeError(error)}`);
      })
      .finally(() => {
        if (join === this.joins && this.consumer === consumer) consumer.resume(assigned);
      });
  }

  /**
   * Seeks each assigned partition to the earliest stored offset of the writers fed (a writer further on skips
   * what it already has: `alreadyPast`). A writer without a row counts as 0; when none has one, no seek: a new
   * generation reads from the beginning (`fromBeginning` with no group offsets).
   */
  private async seekToStored(consumer: Consumer, assigned: readonly { topic: string; partitions: number[] }[]): Promise<void> {
    const topics = assigned.map((a) => a.topic);
    const stored = await Promise.all(this.writers.map((writer) => writer.storedOffsets(topics)));
    for (const { topic, partitions } of assigned) {
      for (const partition of partitions) {
        const key = `${topic}/${partition}`;
        if (stored.every((offsets) => !offsets.has(key))) continue;
        const offset = stored.reduce((min, offsets) => {
          const at = offsets.get(key) ?? 0n;
          return at < min ? at : min;
        }, BigInt(Number.MAX_SAFE_INTEGER));
        this.lastSeek.set(key, offset.toString());
        consumer.seek({ topic, partition, offset: offset.toString() });
      }
    }
  }

  /**
   * Gathers fetched messages and applies them in transactions of several partitions: kafkajs hands one
   * partition's fetch at a time (a hundred messages or so), and each transaction has a fixed cost (offsets,
   * dedupe, the projection's own statements; for findings, one evaluation per data center touched). The
   * gathered messages are applied when they reach `subBatchSize`, as soon as every partition they came from
   * has been read to its end (the consumer has caught up: no waiting), or `lingerMs` after the last fetch. Offsets are
   * resolved in kafkajs as messages are gathered (so the next fetch continues after them); PostgreSQL keeps
   * the real ones, moved in the transaction that applies them. If that transaction fails, the partitions are
   * sought back to their first gathered offset and the error is rethrown (kafkajs backs off and fetches again).
   */
  private async eachBatch(consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = `${topic}/${partition}`;
    this.clearLinger();
    try {
      let start = 0;
      while (start < batch.messages.length) {
        if (!isRunning() || isStale()) return;
        const slice = batch.messages.slice(start, start + Math.max(1, this.subBatchSize - this.pendingCount));
        start += slice.length;
        let part = this.pending.get(key);
        if (part !== undefined && part.nextOffset !== BigInt(slice[0].offset)) {
          // Not contiguous with what is gathered (a seek happened): apply what is gathered first.
          await this.flush(consumer);
          part = undefined;
        }
        if (part === undefined) {
          part = { topic, partition, messages: [], firstOffset: slice[0].offset, nextOffset: BigInt(slice[0].offset), acceptGapFrom: this.lastSeek.get(key), caughtUp: false };
          this.pending.set(key, part);
        }
        for (const message of slice) part.messages.push(fromKafkaMessage(topic, partition, message, this.options.upcast));
        part.nextOffset = BigInt(slice[slice.length - 1].offset) + 1n;
        this.pendingCount += slice.length;
        resolveOffset(slice[slice.length - 1].offset);
        if (this.pendingCount >= this.subBatchSize) await this.flushBeating(consumer, heartbeat);
      }
      // Every partition gathered from has reached its end (the consumer has caught up): apply now rather than
      // wait. While one of them has more to fetch, its next batch comes soon: keep gathering.
      const part = this.pending.get(key);
      if (part !== undefined) part.caughtUp = BigInt(batch.offsetLag()) <= 0n;
      // Watermark markers alone (ADR 0019) wait a moment: a relay sends one to every partition at once, and the
      // fetch brings them one partition after the other; one transaction for all of them, not one each.
      if (this.pendingCount > 0 && !this.onlyMarkersPending() && [...this.pending.values()].every((p) => p.caughtUp)) await this.flushBeating(consumer, heartbeat);
      await heartbeat();
    } finally {
      if (this.pendingCount > 0 && this.consumer === consumer) {
        this.clearLinger();
        this.lingerTimer = setTimeout(() => void this.flush(consumer).catch(() => undefined), this.onlyMarkersPending() ? MARKER_LINGER_MS : this.lingerMs);
      }
    }
  }

  /**
   * A flush from `eachBatch`, heartbeating meanwhile: a big transaction (an exclusive projection's, while it
   * catches up) may take longer than the session timeout, and kafkajs only heartbeats between batches.
   */
  private async flushBeating(consumer: Consumer, heartbeat: () => Promise<void>): Promise<void> {
    const every = Math.max(500, Math.floor((this.options.heartbeatIntervalMs ?? Math.floor((this.options.sessionTimeoutMs ?? 10_000) / 5)) / 2));
    const pump = setInterval(() => void heartbeat().catch(() => undefined), every);
    try {
      await this.flush(consumer);
    } finally {
      clearInterval(pump);
    }
  }

  private onlyMarkersPending(): boolean {
    for (const part of this.pending.values()) if (part.messages.some((m) => m.kind !== 'marker')) return false;
    return true;
  }

  private clearLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  private dropPending(): void {
    this.clearLinger();
    this.pending = new Map();
    this.pendingCount = 0;
  }

  /** Applies everything gathered, in one transaction per writer (queued behind a flush in flight). */
  private flush(consumer: Consumer): Promise<void> {
    const run = this.flushing.then(() => this.flushNow(consumer));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async flushNow(consumer: Consumer): Promise<void> {
    this.clearLinger();
    const parts = [...this.pending.values()];
    if (parts.length === 0) return;
    this.pending = new Map();
    this.pendingCount = 0;
    // The writers' transactions run side by side (each on its own connection and schema).
    const results = await Promise.allSettled(this.writers.map((writer) => writer.applyPartitionBatches(parts)));
    const reseek = new Map<string, { topic: string; partition: number; offset: string }>();
    const failures: unknown[] = [];
    results.forEach((result, i) => {
      const counters = this.countersOf(this.writers[i]);
      if (result.status === 'rejected') {
        failures.push(result.reason);
        counters.lastError = describeError(result.reason);
        return;
      }
      counters.record(result.value.outcome);
      for (const at of result.value.reseek) {
        const key = `${at.topic}/${at.partition}`;
        const earlier = reseek.get(key);
        if (earlier === undefined || BigInt(at.offset) < BigInt(earlier.offset)) reseek.set(key, at);
      }
    });
    if (failures.length > 0) {
      // That writer committed nothing: read the gathered messages again, and whatever was gathered after them
      // (writers that committed skip them as already past).
      this.rewind(consumer, parts.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.firstOffset })), false);
      throw failures[0];
    }
    this.rewind(consumer, [...reseek.values()], true);
  }

  /**
   * Seeks partitions back (dropping what was gathered of them since: it follows the offset sought away from).
   * `remember`: a seek to PostgreSQL's offset, where a gap before the next message is then the log's real shape.
   */
  private rewind(consumer: Consumer, to: readonly { topic: string; partition: number; offset: string }[], remember: boolean): void {
    for (const { topic, partition, offset } of to) {
      const key = `${topic}/${partition}`;
      const later = this.pending.get(key);
      if (later !== undefined) {
        this.pending.delete(key);
        this.pendingCount -= later.messages.length;
      }
      if (remember) this.lastSeek.set(key, offset);
      if (this.consumer === consumer) consumer.seek({ topic, partition, offset });
    }
  }
}

/** How long gathered watermark markers alone wait for the rest of their wave (the other partitions' markers). */
const MARKER_LINGER_MS = 20;

interface PendingPart extends PartitionMessages {
  readonly messages: IncomingMessage[];
  /** Offset of the first gathered message (where to seek back if the transaction fails). */
  readonly firstOffset: string;
  /** The offset after the last gathered message. */
  nextOffset: bigint;
  /** The last batch gathered from it reached the partition's end (as of its fetch). */
  caughtUp: boolean;
}
