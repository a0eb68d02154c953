import type { ApplyOutcome, GenerationWriter } from '../engine/generation-writer';
import { describeError } from '../engine/incoming-message';
import { sharedFeedGroupId } from '../engine/sql-names';
import { RunnerCounters, type ProjectionRunner, type RunnerStatus } from '../runner/projection-runner.port';
import { KafkaProjectionRunner, type KafkaProjectionRunnerOptions } from './kafka-projection-runner';

export type SharedFeedOptions = Omit<KafkaProjectionRunnerOptions, 'writers' | 'counters' | 'groupId'> & {
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
    const runner = new KafkaProjectionRunner({
      ...this.options,
      writers: members.map((m) => m.writer),
      counters: new Map(members.map((m) => [m.writer, m.counters])),
      groupId: this.groupIdOf(members),
    });
    this.runner = runner;
    try {
      await runner.start();
    } catch (error) {
      for (const { counters } of members) {
        counters.lastError = describeError(error);
        counters.state = 'failed';
      }
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

/**
 * One generation fed by a `KafkaSharedFeed`: what the engine sees as its runner. It owns its counters, and each
 * consumer the feed starts records into them, so its status and listeners outlive the feed's restarts.
 */
class SharedFeedMember implements ProjectionRunner {
  readonly counters = new RunnerCounters();
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
    this.counters.state = 'idle';
    await this.feed.attach(this);
  }

  async stop(): Promise<void> {
    await this.feed.detach(this);
    this.counters.state = 'stopped';
  }

  status(): RunnerStatus {
    return this.counters.snapshot(this.writer.ref, 'kafka');
  }

  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void {
    return this.counters.listen(listener);
  }
}
