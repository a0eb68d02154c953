/**
 * Read-your-writes waits, answered together. Each wait is a list of (projection, token) pairs; one check per
 * projection answers the pairs of every waiting request at once (one query, whatever the number of waiters),
 * when a wait begins, when a local commit happens (`kick`) and every `pollMs` while anyone waits (the
 * projector may run in another process). Before, each waiting request queried on every wake-up: with a few
 * hundred dashboards waiting, every commit woke them all into a few hundred queries, and the waits themselves
 * kept the read models from catching up.
 */
export interface AppliedCheck<T> {
  /** For each token, whether `projection`'s active generation has applied it (same order). */
  (projection: string, tokens: readonly T[]): Promise<readonly boolean[]>;
}

interface Waiter<T> {
  /** What is still not applied. */
  left: { readonly projection: string; readonly token: T }[];
  readonly settle: (applied: boolean) => void;
  /** Settles false at the deadline whatever the checks are doing (one may hang on a dead connection). */
  timer: NodeJS.Timeout | null;
}

export class AppliedWaiters<T> {
  private waiters: Waiter<T>[] = [];
  private checking = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  /** The last check that failed (logged by the owner if it wants); waits go on until their deadline. */
  lastError: Error | null = null;

  constructor(
    private readonly check: AppliedCheck<T>,
    private readonly pollMs = 50,
    /** A check taking longer counts as failed (the next poll tries again). */
    private readonly checkTimeoutMs = 5_000,
  ) {}

  /**
   * Resolves true once every token is applied in every projection, false at the deadline. A failing check does not
   * fail the wait (a database hiccup would otherwise be a 500): the wait goes on, and answers false (503) at worst.
   */
  wait(projections: readonly string[], tokens: readonly T[], timeoutMs: number): Promise<boolean> {
    const left = projections.flatMap((projection) => tokens.map((token) => ({ projection, token })));
    if (left.length === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter<T> = { left, settle: resolve, timer: null };
      waiter.timer = setTimeout(() => this.settleAll(new Map([[waiter, false]])), Math.max(0, timeoutMs));
      this.waiters.push(waiter);
      this.kick();
    });
  }

  /** Something was applied (a local commit), or a wait began: check now, or right after the check under way. */
  kick(): void {
    if (this.waiters.length === 0) return;
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    void this.checkUntilQuiet();
  }

  /** Settles every wait as not applied (the engine is stopping). */
  cancelAll(): void {
    this.settleAll(new Map(this.waiters.map((waiter) => [waiter, false])));
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async checkUntilQuiet(): Promise<void> {
    do {
      this.again = false;
      await this.checkOnce();
    } while (this.again && this.waiters.length > 0);
    this.checking = false;
    this.schedulePoll();
  }

  private async checkOnce(): Promise<void> {
    const waiting = [...this.waiters];
    const byProjection = new Map<string, { waiter: Waiter<T>; index: number }[]>();
    for (const waiter of waiting) {
      waiter.left.forEach((pair, index) => {
        const list = byProjection.get(pair.projection) ?? [];
        list.push({ waiter, index });
        byProjection.set(pair.projection, list);
      });
    }
    const applied = new Set<{ readonly projection: string; readonly token: T }>();
    for (const [projection, entries] of byProjection) {
      try {
        const answers = await withTimeout(
          this.check(
            projection,
            entries.map(({ waiter, index }) => waiter.left[index].token),
          ),
          this.checkTimeoutMs,
        );
        entries.forEach(({ waiter, index }, i) => answers[i] && applied.add(waiter.left[index]));
      } catch (error) {
        this.lastError = error as Error;
      }
    }
    // Deadlines are the waiters' own timers: a check only ever settles what it found applied.
    const settled = new Map<Waiter<T>, boolean>();
    for (const waiter of waiting) {
      waiter.left = waiter.left.filter((pair) => !applied.has(pair));
      if (waiter.left.length === 0) settled.set(waiter, true);
    }
    this.settleAll(settled);
  }

  private settleAll(settled: ReadonlyMap<Waiter<T>, boolean>): void {
    if (settled.size === 0) return;
    this.waiters = this.waiters.filter((waiter) => !settled.has(waiter));
    for (const [waiter, outcome] of settled) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.timer = null;
      waiter.settle(outcome);
    }
  }

  private schedulePoll(): void {
    if (this.timer || this.waiters.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, this.pollMs);
  }
}

function withTimeout<R>(work: Promise<R>, ms: number): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`read-your-writes check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
