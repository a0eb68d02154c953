import type { GenerationWriter } from '../engine/generation-writer';
import type { ApplyOutcome } from '../engine/generation-writer';
import { describeError } from '../engine/incoming-message';
import { sharedFeedGroupId } from '../engine/sql-names';
import { RunnerCounters, type ProjectionRunner, type RunnerStatus } from '../runner/projection-runner.port';
import { KafkaProjectionRunner, type KafkaProjectionRunnerOptions } from './kafka-projection-runner';

export type SharedFeedOptions = Omit<KafkaProjectionRunnerOptions, 'writers' | 'groupId'> & {
  /** Prefix of consumer group ids (as `generationGroupId`'s). */
  readonly groupPrefix?: string;
  /** Wait before retrying a consumer that failed to start (Kafka unreachable); default 5 s. */
  readonly retryMs?: number;
};

/**
 * One Kafka consumer for the active generations of the (non-exclusive) read models an instance runs. With a
 * consumer group per generation, each read model fetched every message and decoded it again (kafkajs' record
 * decoding, the envelope's JSON.parse, the upcast): with three read models, three times the work for the same
 * bytes, on the same event loop. A feed fetches and decodes once and hands the same messages to each
 * generation's writer, each in its own transaction (its own schema, offsets and stream heads), side by side.
 *
 * Members come and go (the engine starts and stops runners as generations change); the feed restarts its
 * consumer with the new set, coalescing changes that arrive together. The group id names the members
 * (`<prefix>.feed.<projection>.g<n>+…`; with one member, that generation's own group id), so instances running
 * the same read models share one group and split its partitions, as they did per generation.
 */
export class KafkaSharedFeed {
  private readonly members = new Set<SharedFeedMember>();
  private runner: KafkaProjectionRunner | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: SharedFeedOptions) {}

  /** A runner for one generation that rides on this feed. */
  member(writer: GenerationWriter): ProjectionRunner {
    return new SharedFeedMember(this, writer);
  }

  /** Restarts the consumer without members, e.g. when the source stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.members.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.restart();
  }

  /** @internal */
  attach(member: SharedFeedMember): Promise<void> {
    this.stopped = false;
    this.members.add(member);
    return this.restart();
  }

  /** @internal */
  detach(member: SharedFeedMember): Promise<void> {
    this.members.delete(member);
    return this.restart();
  }

  /**
   * Queues a restart with the members as they are when it runs: changes made while one is queued join it,
   * so the engine starting three generations in a row costs one group join, not three.
   */
  private restart(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.queued = null;
      await this.replaceConsumer();
    });
    this.queued = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async replaceConsumer(): Promise<void> {
    const previous = this.runner;
    this.runner = null;
    // A consumer that fails to leave (its disconnect) must not keep the members without one: start the next anyway.
    if (previous) await previous.stop().catch(() => undefined);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const members = [...this.members].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (members.length === 0 || this.stopped) return;
    const runner = new KafkaProjectionRunner({ ...this.options, writers: members.map((m) => m.writer), groupId: this.groupIdOf(members) });
    for (const member of members) member.bind(runner);
    this.runner = runner;
    try {
      await runner.start();
    } catch (error) {
      for (const member of members) member.failed(describeError(error));
      this.runner = null;
      await runner.stop().catch(() => undefined);
      // Kafka unreachable at start: try again with whoever the members are then (unless the feed stopped meanwhile).
      if (this.retryTimer) clearTimeout(this.retryTimer);
      if (!this.stopped) this.retryTimer = setTimeout(() => void this.restart().catch(() => undefined), this.options.retryMs ?? 5_000);
    }
  }

  private groupIdOf(members: readonly SharedFeedMember[]): string {
    return sharedFeedGroupId(
      members.map((m) => m.writer.ref),
      this.options.groupPrefix,
    );
  }
}

/** One generation fed by a `KafkaSharedFeed`: what the engine sees as its runner. */
class SharedFeedMember implements ProjectionRunner {
  /** Counts carried across the feed's consumer restarts (each restart starts a consumer with fresh counters). */
  private readonly carried = new RunnerCounters();
  private readonly listeners = new Set<(outcome: ApplyOutcome) => void>();
  private unbind: (() => void) | null = null;
  private bound: KafkaProjectionRunner | null = null;
  readonly key: string;

  constructor(
    private readonly feed: KafkaSharedFeed,
    readonly writer: GenerationWriter,
  ) {
    this.key = `${writer.ref.projection}.g${writer.ref.generation}`;
  }

  get ref() {
    return this.writer.ref;
  }

  /**
   * Returns once the feed's consumer runs with this member (joined its group), or failed to start and will try
   * again (`status()` says why). Members started together (the engine starts a reconcile pass's runners at once)
   * share one restart.
   */
  async start(): Promise<void> {
    this.carried.state = 'idle';
    await this.feed.attach(this);
  }

  async stop(): Promise<void> {
    await this.feed.detach(this);
    this.release();
    this.carried.state = 'stopped';
  }

  status(): RunnerStatus {
    const live = this.bound?.statusOf(this.writer);
    const carried = this.carried.snapshot(this.writer.ref, 'kafka');
    if (!live) return carried;
    return {
      ...live,
      batches: carried.batches + live.batches,
      applied: carried.applied + live.applied,
      duplicates: carried.duplicates + live.duplicates,
      deadLettered: carried.deadLettered + live.deadLettered,
      lastError: live.lastError ?? carried.lastError,
      lastCommitAt: live.lastCommitAt ?? carried.lastCommitAt,
    };
  }

  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal The feed's new consumer feeds this member from now on. */
  bind(runner: KafkaProjectionRunner): void {
    this.release();
    this.bound = runner;
    this.unbind = runner.onCommittedOf(this.writer, (outcome) => {
      for (const listener of this.listeners) listener(outcome);
    });
  }

  /** @internal */
  failed(error: string): void {
    this.release();
    this.carried.lastError = error;
    this.carried.state = 'failed';
  }

  /** Folds the bound consumer's counts into the carried ones and lets go of it. */
  private release(): void {
    const live = this.bound?.statusOf(this.writer);
    if (live) {
      this.carried.batches += live.batches;
      this.carried.applied += live.applied;
      this.carried.duplicates += live.duplicates;
      this.carried.deadLettered += live.deadLettered;
      this.carried.lastError = live.lastError ?? this.carried.lastError;
      this.carried.lastCommitAt = live.lastCommitAt ?? this.carried.lastCommitAt;
      this.carried.state = live.state;
    }
    this.unbind?.();
    this.unbind = null;
    this.bound = null;
  }
}
