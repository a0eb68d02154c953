import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { RunnerCounters, type ProjectionRunner, type RunnerStatus } from '../runner/projection-runner.port';
import { tryAcquireGenerationLease, type GenerationLease } from './generation-lease';
import type { ApplyOutcome, GenerationWriter } from './generation-writer';
import { describeError } from './incoming-message';

export interface ExclusiveRunnerOptions {
  readonly pool: Pool;
  readonly writer: GenerationWriter;
  readonly driver: RunnerStatus['driver'];
  /** Builds the driver's runner (Kafka consumer, PostgreSQL log feeds) each time this instance takes over. */
  readonly createRunner: () => ProjectionRunner;
  /** How often a standby tries to take over, and the owner checks its lease; default 1 s. */
  readonly pollMs?: number;
  /** How often the lock's connection is pinged; default 2 s. */
  readonly heartbeatMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs one generation of an exclusive projection (`Projection.exclusive`) on one instance at a time. The
 * runner first takes the generation's lease (a PostgreSQL advisory lock) and claims its ownership epoch, and
 * only then starts the driver's runner: with Kafka, that instance is the group's only member and owns every
 * partition. Other instances stand by (`standby`), trying again every `pollMs`, and take over when the owner
 * stops (lock released) or dies (its session ends). An owner that loses its lock's connection stands down;
 * should it still be finishing a batch meanwhile, the epoch fence in the writer rejects it.
 */
export class ExclusiveRunner implements ProjectionRunner {
  private readonly counters = new RunnerCounters();
  private inner: { runner: ProjectionRunner; lease: GenerationLease } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly owner = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  /** Takeovers by this instance (diagnostics and tests). */
  takeovers = 0;

  constructor(private readonly options: ExclusiveRunnerOptions) {}

  get ref() {
    return this.options.writer.ref;
  }

  /** Whether this instance owns the generation now (the driver's runner is running). */
  get active(): boolean {
    return this.inner !== null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.counters.state = 'standby';
    // Try at once: with a single instance (the embedded driver) the lock is free and nothing waits.
    await this.schedule();
    this.timer = setInterval(() => void this.schedule(), this.options.pollMs ?? 1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy;
    this.counters.state = 'stopping';
    await this.standDown();
    this.counters.state = 'stopped';
  }

  status(): RunnerStatus {
    const inner = this.inner?.runner.status();
    const snapshot = this.counters.snapshot(this.ref, this.options.driver);
    return {
      ...snapshot,
      state: inner && this.counters.state === 'running' ? inner.state : snapshot.state,
      lastError: inner?.lastError ?? snapshot.lastError,
      partitions: inner?.partitions ?? null,
      groupId: inner?.groupId ?? null,
    };
  }

  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void {
    return this.counters.listen(listener);
  }

  private schedule(): Promise<void> {
    this.busy = this.busy
      .then(() => this.step())
      .catch((error: unknown) => {
        this.counters.lastError = describeError(error);
        this.options.onError?.(error);
      });
    return this.busy;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    if (this.inner) {
      const failed = this.inner.runner.status().state === 'failed';
      if (!this.inner.lease.lost && this.options.writer.owns && !failed) return;
      // The lock's connection is gone (another instance may hold the lock now), the fence said so, or the
      // driver gave up (a consumer that will not restart): let go, so this or another instance starts afresh.
      this.counters.lastError = this.inner.lease.lost
        ? 'lost the lease of the exclusive generation'
        : failed
          ? `runner failed: ${this.inner.runner.status().lastError ?? 'unknown error'}`
          : 'fenced: another instance owns the generation';
      await this.standDown();
      return;
    }
    const lease = await tryAcquireGenerationLease(this.options.pool, this.ref.schema, this.options.heartbeatMs ?? 2_000);
    if (!lease) return;
    try {
      await this.options.writer.claimOwnership(this.owner);
      const runner = this.options.createRunner();
      runner.onCommitted((outcome) => this.counters.record(outcome));
      this.inner = { runner, lease };
      await runner.start();
      this.takeovers++;
      this.counters.state = 'running';
    } catch (error) {
      if (this.inner) await this.standDown();
      else {
        this.options.writer.releaseOwnership();
        await lease.release();
      }
      throw error;
    }
  }

  /** Stops the driver's runner (its batch in flight commits or rolls back), then lets go of the generation. */
  private async standDown(): Promise<void> {
    const inner = this.inner;
    this.inner = null;
    if (!this.stopped) this.counters.state = 'standby';
    if (!inner) return;
    try {
      await inner.runner.stop();
    } finally {
      this.options.writer.releaseOwnership();
      await inner.lease.release();
    }
  }
}
