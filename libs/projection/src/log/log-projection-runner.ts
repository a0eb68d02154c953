import type { StoredEvent } from '@chip-ledger/event-store';
import type { EventFeed, FeedBatch, FeedSubscription } from '@chip-ledger/messaging';
import type { ApplyOutcome, GenerationWriter } from '../engine/generation-writer';
import { describeError, toIncomingMessage, type Upcast } from '../engine/incoming-message';
import { RunnerCounters, type ProjectionRunner, type RunnerStatus } from '../runner/projection-runner.port';

export interface LogProjectionRunnerOptions {
  /** One feed per context store (PostgresLogFeed), e.g. procurement, rental, audit. */
  readonly feeds: readonly EventFeed[];
  readonly writer: GenerationWriter;
  readonly upcast?: Upcast;
}

/**
 * The embedded driver: the PostgreSQL event log through libs/messaging's feeds, no Kafka. The feed's
 * checkpoint is stored by the same writer, in the same transaction as the read model change, and handed
 * back on start.
 */
export class LogProjectionRunner implements ProjectionRunner {
  private subscriptions: FeedSubscription[] = [];
  private readonly counters = new RunnerCounters();

  constructor(private readonly options: LogProjectionRunnerOptions) {}

  get ref() {
    return this.options.writer.ref;
  }

  /** Subscribes to every feed, or to none: if one fails (PostgreSQL unreachable), the others are stopped and it throws. */
  async start(): Promise<void> {
    const writer = this.options.writer;
    try {
      for (const feed of this.options.feeds) {
        this.subscriptions.push(await feed.subscribe((batch, ack) => this.handle(batch, ack), { startAt: (source) => writer.logCheckpoint(source) }));
      }
    } catch (error) {
      await Promise.all(this.subscriptions.map((s) => s.stop()));
      this.subscriptions = [];
      this.counters.state = 'failed';
      this.counters.lastError = describeError(error);
      throw error;
    }
    this.counters.state = 'running';
  }

  async stop(): Promise<void> {
    this.counters.state = 'stopping';
    await Promise.all(this.subscriptions.map((s) => s.stop()));
    this.subscriptions = [];
    this.counters.state = 'stopped';
  }

  status(): RunnerStatus {
    return this.counters.snapshot(this.ref, 'postgres-log');
  }

  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void {
    return this.counters.listen(listener);
  }

  private async handle(batch: FeedBatch, ack: () => Promise<void>): Promise<void> {
    const { source, position, completeThrough } = batch.checkpoint;
    // The feed's source is 'pg:<schema>', and a store's schema is named after its context.
    const context = source.replace(/^pg:/, '');
    const incoming = batch.events.map((event) => {
      const globalPosition = (event as Partial<StoredEvent>).globalPosition;
      return toIncomingMessage(
        () => event,
        { topic: source, partition: 0, offset: String(globalPosition ?? '') },
        null,
        this.options.upcast,
        false,
        globalPosition === undefined ? null : { context, position: globalPosition },
      );
    });
    try {
      const outcome = await this.options.writer.applyLogBatch(source, position, incoming, completeThrough ?? null);
      await ack();
      this.counters.record(outcome);
    } catch (error) {
      // The feed backs off and delivers the same batch again.
      this.counters.lastError = describeError(error);
      throw error;
    }
  }
}
