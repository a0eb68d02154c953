import type { StoredEvent } from '@chip-ledger/event-store';

/** Where the relay sends events (Kafka in production; anything ordered and acknowledged). */
export interface EventPublisher {
  /**
   * Publishes the events in order and resolves once the broker acknowledged every one of them.
   * @throws PublishError telling how many leading events were acknowledged before the failure.
   */
  publish(events: readonly StoredEvent[]): Promise<void>;
  /**
   * Tells every consumer, on every partition, that every event of the store up to global position
   * `completeThrough` has been published and acknowledged (a watermark marker, ADR 0019). Called by the relay after
   * those events were acknowledged; a publisher without it publishes no watermark.
   */
  publishWatermark?(completeThrough: number): Promise<void>;
}

export class PublishError extends Error {
  readonly code = 'MESSAGING.PUBLISH_FAILED';
  constructor(
    /** Events at the start of the list that the broker acknowledged; retry from there. */
    readonly acknowledged: number,
    override readonly cause: unknown,
  ) {
    super(`Publishing failed after ${acknowledged} acknowledged event(s): ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'PublishError';
  }
}
