import { CompletenessTracker, formatLogPosition, LOG_START, parseLogPosition, type CommittedBatch, type EventLogReader, type LogPosition } from '@chip-ledger/event-store';
import type { EventFeed, FeedBatch, FeedHandler, FeedSubscription, SubscribeOptions } from './event-feed.port';

export interface PostgresLogFeedOptions {
  /** Events per batch; default 500. */
  readonly batchSize?: number;
  /** Wait between polls when nothing new is committed; default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Backoff before a batch is delivered again after the handler failed; default 200 ms doubling to 5 s. */
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Called with each error the feed recovers from (a failing handler, a failed read). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Feeds projections from a store's event table (embedded mode, no Kafka). Reads in commit-safe order
 * (transaction id, position) below the oldest running transaction, so an event committed late at a lower
 * position is still delivered, exactly once per acknowledged batch. The source is `pg:<schema>`. Each batch's
 * checkpoint carries the watermark it proves (`completeThrough`); when the watermark moves with nothing new to
 * deliver (the transactions it waited for wrote nothing), an empty batch carries it.
 */
export class PostgresLogFeed implements EventFeed {
  readonly source: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly reader: EventLogReader,
    options: PostgresLogFeedOptions = {},
  ) {
    this.source = `pg:${reader.logName}`;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.retryInitialMs = options.retry?.initialMs ?? 200;
    this.retryMaxMs = options.retry?.maxMs ?? 5_000;
    this.onError = options.onError ?? (() => undefined);
  }

  async subscribe(handler: FeedHandler, options: SubscribeOptions = {}): Promise<FeedSubscription> {
    const stored = await options.startAt?.(this.source);
    const subscription = new LogSubscription(this.reader, handler, stored ? parseLogPosition(stored) : LOG_START, {
      source: this.source,
      batchSize: this.batchSize,
      pollIntervalMs: this.pollIntervalMs,
      retryInitialMs: this.retryInitialMs,
      retryMaxMs: this.retryMaxMs,
      onError: this.onError,
    });
    subscription.start();
    return subscription;
  }
}

interface LoopSettings {
  readonly source: string;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly onError: (error: unknown) => void;
}

class LogSubscription implements FeedSubscription {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly completeness = new CompletenessTracker();
  /** The watermark last acknowledged (null: none since start, so the first one known is delivered). */
  private delivered: number | null = null;

  constructor(
    private readonly reader: EventLogReader,
    private readonly handler: FeedHandler,
    private position: LogPosition,
    private readonly settings: LoopSettings,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let pending: CommittedBatch | null = null;
    while (!this.stopping) {
      try {
        // A batch the handler did not acknowledge is delivered again as it was.
        pending ??= await this.reader.readCommitted(this.position, this.settings.batchSize);
        const watermark = this.completeness.after(pending.horizon, pending.events.length < this.settings.batchSize);
        const moved = watermark.completeThrough !== null && (this.delivered === null || watermark.completeThrough > this.delivered);
        if (pending.events.length === 0 && !moved) {
          watermark.commit();
          pending = null;
          await this.sleep(this.settings.pollIntervalMs);
          continue;
        }
        const checkpoint = { source: this.settings.source, position: formatLogPosition(pending.next), completeThrough: watermark.completeThrough };
        const batch: FeedBatch = { events: pending.events, checkpoint };
        let acked = false;
        await this.handler(batch, async () => {
          acked = true;
        });
        if (!acked) throw new Error(`The handler returned without ack() for the batch ending at ${checkpoint.position}; delivering it again`);
        watermark.commit();
        this.delivered = watermark.completeThrough;
        this.position = pending.next;
        const idle = pending.events.length === 0;
        pending = null;
        failures = 0;
        if (idle) await this.sleep(this.settings.pollIntervalMs);
      } catch (error) {
        failures++;
        this.settings.onError(error);
        await this.sleep(Math.min(this.settings.retryMaxMs, this.settings.retryInitialMs * 2 ** Math.min(failures - 1, 16)));
      }
    }
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
