import type { ChainedEvent } from '@chip-ledger/event-store';

/** Injection token for the {@link EventFeed} port. */
export const EVENT_FEED = Symbol.for('chip-ledger.EventFeed');

/**
 * Where a consumer stands in one source of events: for the PostgreSQL log one per store schema, for Kafka
 * one per topic partition. The consumer stores `position` with the effect of the batch, in one transaction.
 */
export interface FeedCheckpoint {
  readonly source: string;
  readonly position: string;
  /**
   * Once this batch is applied, every event of the source up to this global position has been (the watermark, ADR
   * 0019); null or absent when the feed cannot tell yet. Store it with the batch, like `position`.
   */
  readonly completeThrough?: number | null;
}

export interface FeedBatch {
  /** In order: per stream, by version. Empty when the batch only moves `checkpoint.completeThrough`. */
  readonly events: readonly ChainedEvent[];
  /** Store this with the batch's effect; hand it back through `startAt` after a restart. */
  readonly checkpoint: FeedCheckpoint;
}

/**
 * Applies a batch. Call `ack()` once its effect (and the checkpoint) is durable: only then does the feed
 * move on. Throwing, or returning without `ack()`, gets the same batch delivered again after a backoff.
 */
export type FeedHandler = (batch: FeedBatch, ack: () => Promise<void>) => Promise<void>;

export interface SubscribeOptions {
  /** The position stored for a source at the last acknowledged batch, or null to start from the beginning. */
  readonly startAt?: (source: string) => Promise<string | null> | string | null;
}

export interface FeedSubscription {
  /** Stops after the batch in flight (its handler call is awaited). */
  stop(): Promise<void>;
}

/** A stream of committed events for projections: the PostgreSQL log in embedded mode, Kafka when distributed. */
export interface EventFeed {
  subscribe(handler: FeedHandler, options?: SubscribeOptions): Promise<FeedSubscription>;
}
