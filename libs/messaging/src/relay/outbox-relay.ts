import { CompletenessTracker, type CommittedBatch, type LogPosition, type OutboxBacklog, type RelayLease, type RelayOutbox } from '@chip-ledger/event-store';
import { PublishError, type EventPublisher } from './event-publisher.port';

export interface OutboxRelayOptions {
  /** Events read and published per round; default 500. */
  readonly batchSize?: number;
  /** Wait between polls when nothing is pending; default 100 ms (`notify()` cuts it short). */
  readonly pollIntervalMs?: number;
  /**
   * Wait after a round that found less than a full batch, so the next one carries more; default 20 ms.
   * Every round costs two statements and one produce request whatever its size: under a steady trickle of
   * commands, rounds back to back would publish a handful of events each.
   */
  readonly gatherMs?: number;
  /** Wait between attempts to take the lease while another instance is active; default 2 s. */
  readonly leaseRetryMs?: number;
  /** Backoff between failed publish attempts (exponential, with jitter); default 100 ms to 5 s. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Called with every error the relay recovers from (it never stops on its own). */
  readonly onError?: (error: unknown) => void;
  /**
   * Least time between two watermark markers (`EventPublisher.publishWatermark`); default 150 ms. A marker goes out
   * when the watermark moved since the last one: at once after a quiet spell, at most this often under load.
   */
  readonly markerIntervalMs?: number;
}

export type RelayState = 'stopped' | 'standby' | 'idle' | 'publishing' | 'retrying';

export interface RelayStatus {
  readonly state: RelayState;
  /** Where publishing has reached (null until the lease was taken). */
  readonly checkpoint: LogPosition | null;
  /** Events and batches published since `start()`. */
  readonly published: number;
  readonly batches: number;
  readonly lastPublishedAt: string | null;
  /** Failed publish attempts in a row (0 when healthy): a health check can alert on it. */
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  /** Every event at or below this global position has been published and acknowledged (null: not proven yet). */
  readonly completeThrough: number | null;
  /** The watermark the last marker announced (null: none since start). */
  readonly markedThrough: number | null;
}

export interface RelayBacklog extends OutboxBacklog {
  /** Age of the oldest unpublished event in ms (0 when none): the relay's lag. */
  readonly lagMs: number;
}

/** Thrown inside the loop to leave it when `stop()` was called during a retry. */
class Stopping extends Error {}

/**
 * Publishes every stored event to the broker, in effect exactly once, in per-stream order.
 *
 * Reads the events table in commit-safe order (transaction id, position: see `EventLogReader`), publishes a
 * batch, and moves the checkpoint only after the broker acknowledged it. While the broker is down, appends
 * go on and the relay retries the same batch with backoff; it catches up when the broker returns. One
 * instance per store is active (an advisory-lock lease); others wait on standby and take over when it dies.
 * A crash between the acknowledgement and the checkpoint write publishes that batch again on restart:
 * consumers deduplicate by event id / stream version.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly gatherMs: number;
  private readonly leaseRetryMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly markerIntervalMs: number;
  private readonly completeness = new CompletenessTracker();
  private lastMarkerAt = 0;
  private marking: Promise<void> | null = null;

  private loop: Promise<void> | null = null;
  private stopping = false;
  /**
   * Events the broker acknowledged whose checkpoint write failed (the database went away in between). Recorded
   * first when the database is back, if the stored checkpoint is still where they were published from, instead of
   * being published a second time.
   */
  private unrecorded: { readonly from: LogPosition; readonly to: LogPosition; readonly events: number } | null = null;
  private wake: (() => void) | null = null;
  private lease: RelayLease | null = null;
  private current: Omit<RelayStatus, 'state'> & { state: RelayState } = {
    state: 'stopped',
    checkpoint: null,
    published: 0,
    batches: 0,
    lastPublishedAt: null,
    consecutiveFailures: 0,
    lastError: null,
    completeThrough: null,
    markedThrough: null,
  };

  constructor(
    private readonly outbox: RelayOutbox,
    private readonly publisher: EventPublisher,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.gatherMs = options.gatherMs ?? 20;
    this.leaseRetryMs = options.leaseRetryMs ?? 2_000;
    this.backoffInitialMs = options.backoff?.initialMs ?? 100;
    this.backoffMaxMs = options.backoff?.maxMs ?? 5_000;
    this.onError = options.onError ?? (() => undefined);
    this.markerIntervalMs = options.markerIntervalMs ?? 150;
  }

  /** Starts the loop in the background (idempotent). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    // A restarted relay announces its watermark once it knows it, whatever an earlier run announced.
    this.current = { ...this.current, state: 'standby', published: 0, batches: 0, markedThrough: null };
    this.loop = this.run().finally(() => {
      this.current = { ...this.current, state: 'stopped' };
    });
  }

  /**
   * Stops after the batch in flight: a send under way is awaited (and its checkpoint written if the broker
   * acknowledged it), no further retry is made, and the lease is released.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.marking;
  }

  /** Skips the poll wait: call it after an append in the same process to publish at once. */
  notify(): void {
    this.wake?.();
  }

  status(): RelayStatus {
    return { ...this.current };
  }

  /** Pending events and lag, from the database (so it also counts what this instance has not read yet). */
  async backlog(): Promise<RelayBacklog> {
    const from = this.current.checkpoint ?? (await this.outbox.loadCheckpoint());
    const backlog = await this.outbox.backlog(from);
    return { ...backlog, lagMs: backlog.oldestRecordedAt ? Math.max(0, Date.now() - Date.parse(backlog.oldestRecordedAt)) : 0 };
  }

  /** Resolves once nothing is pending (for tests, benchmarks and graceful drains). */
  async waitUntilCaughtUp(timeoutMs: number, pollMs = 50): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { pending } = await this.backlog();
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`Relay still has ${pending} pending event(s) after ${timeoutMs} ms (${JSON.stringify(this.status())})`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping) {
        try {
          await this.step();
        } catch (error) {
          if (error instanceof Stopping) break;
          this.fail(error);
          await this.sleep(this.backoff());
        }
      }
    } finally {
      await this.releaseLease();
    }
  }

  /** One round: make sure we hold the lease, read a batch, publish it, move the checkpoint. */
  private async step(): Promise<void> {
    // The lease is held only with its checkpoint known: one whose checkpoint could not be read is given up and
    // taken again (had it been kept, every later round would have read from no checkpoint, failing for good).
    if (!this.lease || this.lease.lost || this.current.checkpoint === null) {
      await this.releaseLease();
      this.current = { ...this.current, checkpoint: null };
      this.lease = await this.outbox.tryAcquireLease();
      if (!this.lease) {
        this.current = { ...this.current, state: 'standby' };
        await this.sleep(this.leaseRetryMs);
        return;
      }
      try {
        this.current = { ...this.current, checkpoint: await this.outbox.loadCheckpoint() };
      } catch (error) {
        await this.releaseLease();
        throw error;
      }
    }
    if (this.unrecorded) await this.recordUnrecorded(this.unrecorded);
    const from = this.current.checkpoint as LogPosition;
    const batch = await this.outbox.readCommitted(from, this.batchSize);
    if (batch.events.length === 0) {
      this.settled(batch);
      this.mark();
      // Caught up: whatever failed before (the database, the broker) works again.
      this.current = { ...this.current, state: 'idle', consecutiveFailures: 0, lastError: null };
      await this.sleep(this.pollIntervalMs);
      return;
    }
    this.current = { ...this.current, state: 'publishing' };
    await this.publish(from, batch);
    this.settled(batch);
    this.mark();
    if (batch.events.length < this.batchSize) await this.sleep(this.gatherMs);
  }

  /** The batch is published and acknowledged: what the watermark becomes (see CompletenessTracker). */
  private settled(batch: CommittedBatch): void {
    const next = this.completeness.after(batch.horizon, batch.events.length < this.batchSize);
    next.commit();
    this.current = { ...this.current, completeThrough: next.completeThrough };
  }

  /**
   * A watermark marker on every partition when the watermark moved since the last one, at most every
   * `markerIntervalMs`, after the events it covers were acknowledged. Sent beside the loop, not in it (one small
   * produce request of its own, at most one in flight): publishing events never waits for a marker. One that fails
   * is reported and sent again with a later round's watermark.
   */
  private mark(): void {
    const { completeThrough, markedThrough } = this.current;
    if (this.marking || !this.publisher.publishWatermark || completeThrough === null || (markedThrough !== null && completeThrough <= markedThrough)) return;
    const now = Date.now();
    if (now - this.lastMarkerAt < this.markerIntervalMs) return;
    this.lastMarkerAt = now;
    this.marking = this.publisher
      .publishWatermark(completeThrough)
      .then(
        () => {
          this.current = { ...this.current, markedThrough: Math.max(completeThrough, this.current.markedThrough ?? 0) };
        },
        (error: unknown) => this.onError(error),
      )
      .finally(() => {
        this.marking = null;
      });
  }

  /**
   * Publishes the batch, retrying what is not acknowledged yet until it is, or until stop() or a lost lease. Only
   * events the broker has not acknowledged are sent again (one partition's leader down does not resend the others');
   * the checkpoint moves over the leading events that are all acknowledged.
   */
  private async publish(from: LogPosition, batch: CommittedBatch): Promise<void> {
    const done = new Set<string>(); // events of the batch the broker acknowledged
    let acknowledged = 0; // leading events of the batch the broker acknowledged
    let checkpointed = 0; // of those, the ones the stored checkpoint already covers
    let checkpoint = from;
    while (acknowledged < batch.events.length) {
      const pending = batch.events.slice(acknowledged).filter((event) => !done.has(event.eventId));
      try {
        await this.publisher.publish(pending);
        for (const event of pending) done.add(event.eventId);
      } catch (error) {
        if (error instanceof PublishError) {
          for (const event of pending.slice(0, error.acknowledged)) done.add(event.eventId);
          for (const id of error.acknowledgedIds) done.add(id);
        }
        while (acknowledged < batch.events.length && done.has(batch.events[acknowledged].eventId)) acknowledged++;
        this.fail(error);
        // Keep what the broker did acknowledge, so a stop or a restart does not send it again.
        if (acknowledged > checkpointed) {
          checkpoint = await this.advance(checkpoint, batch.positions[acknowledged - 1], acknowledged - checkpointed);
          checkpointed = acknowledged;
        }
        if (this.stopping) throw new Stopping();
        if (this.lease?.lost) throw new Error(`Relay lease of ${this.outbox.logName}/${this.outbox.relayName} was lost while publishing`);
        this.current = { ...this.current, state: 'retrying' };
        await this.sleep(this.backoff());
        if (this.stopping) throw new Stopping();
      }
      while (acknowledged < batch.events.length && done.has(batch.events[acknowledged].eventId)) acknowledged++;
    }
    await this.advance(checkpoint, batch.next, acknowledged - checkpointed);
    this.current = { ...this.current, consecutiveFailures: 0, lastError: null };
  }

  /**
   * What the broker acknowledged before the database went away: if the stored checkpoint is still where those
   * events were published from, nobody has published anything since (this instance holds the lease), and moving
   * it past them is all that is left to do. Otherwise (the write did land, or another instance took over and moved
   * it) the stored checkpoint is the truth and publishing goes on from there.
   */
  private async recordUnrecorded(unrecorded: { from: LogPosition; to: LogPosition; events: number }): Promise<void> {
    const stored = this.current.checkpoint;
    if (!stored || stored.txId !== unrecorded.from.txId || stored.position !== unrecorded.from.position) {
      this.unrecorded = null;
      return;
    }
    await this.advance(unrecorded.from, unrecorded.to, unrecorded.events);
  }

  private async advance(from: LogPosition, to: LogPosition, events: number): Promise<LogPosition> {
    let moved: boolean;
    try {
      moved = await this.outbox.commitCheckpoint(from, to);
    } catch (error) {
      this.unrecorded = { from, to, events };
      throw error;
    }
    this.unrecorded = null;
    if (!moved) {
      // Another instance moved the checkpoint: it holds the lease now. Drop ours and start over from its checkpoint.
      await this.releaseLease();
      this.current = { ...this.current, checkpoint: null };
      throw new Error(`Relay checkpoint of ${this.outbox.logName}/${this.outbox.relayName} was moved by another instance`);
    }
    this.current = {
      ...this.current,
      checkpoint: to,
      published: this.current.published + events,
      batches: this.current.batches + 1,
      lastPublishedAt: new Date().toISOString(),
    };
    return to;
  }

  private fail(error: unknown): void {
    this.current = {
      ...this.current,
      consecutiveFailures: this.current.consecutiveFailures + 1,
      lastError: error instanceof Error ? error.message : String(error),
    };
    this.onError(error);
  }

  private backoff(): number {
    const exponential = this.backoffInitialMs * 2 ** Math.min(this.current.consecutiveFailures - 1, 16);
    const capped = Math.min(this.backoffMaxMs, exponential);
    // Jitter over the upper half, so the relays of several services do not retry in lockstep.
    return capped / 2 + Math.random() * (capped / 2);
  }

  private async releaseLease(): Promise<void> {
    const lease = this.lease;
    this.lease = null;
    await lease?.release();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
