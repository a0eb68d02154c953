import type { StoredEvent } from '@chip-ledger/event-store';

/** Where the relay sends events (Kafka in production; anything ordered and acknowledged). */
export interface EventPublisher {
  /**
   * Publishes the events (each stream in order) and resolves once the broker acknowledged every one of them.
   * @throws PublishError telling which events were acknowledged before the failure.
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
    /** Events at the start of the list that the broker acknowledged. */
    readonly acknowledged: number,
    override readonly cause: unknown,
    /**
     * Every event the broker acknowledged, when the publisher knows more than a prefix (a partition's events
     * went through while another partition's leader was down): only the others need sending again.
     */
    readonly acknowledgedIds: ReadonlySet<string> = new Set(),
  ) {
    super(`Publishing failed after ${Math.max(acknowledged, acknowledgedIds.size)} acknowledged event(s): ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'PublishError';
  }
}
