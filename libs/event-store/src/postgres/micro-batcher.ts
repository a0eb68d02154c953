/** One caller's answer inside a batch: its own value or its own error. */
export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

export interface MicroBatcherOptions {
  /** Batches allowed in flight at once (each holds one pooled connection). */
  readonly maxInFlight: number;
  /** Items per batch at most. */
  readonly maxBatch: number;
}

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent calls into one round trip ("group commit"). A call is queued and the queue is
 * flushed on the next `setImmediate`: every request whose socket became readable in the same event-loop turn
 * joins the same batch, and while `maxInFlight` batches are out the queue keeps filling. At low load a
 * batch is one item and waits for nothing but the end of the current turn; under load, batches grow with
 * the queue, which is what makes the per-statement, per-commit and per-syscall costs shrink per item.
 *
 * `run` answers one {@link Settled} per item, in order; if it throws, every item of the batch gets that error.
 */
export class MicroBatcher<T, R> {
  private queue: Waiting<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: readonly T[]) => Promise<readonly Settled<R>[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.execute(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async execute(batch: Waiting<T, R>[]): Promise<void> {
    let results: readonly Settled<R>[];
    try {
      results = await this.run(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) throw new Error(`A batch of ${batch.length} answered ${results.length} results`);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    results.forEach((result, i) => (result.ok ? batch[i].resolve(result.value) : batch[i].reject(result.error)));
  }
}
