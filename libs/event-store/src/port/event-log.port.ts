import type { StoredEvent } from './event-store.port';

/**
 * A place in the commit-safe order of the log: (transaction id, global position).
 *
 * Global positions are taken when rows are inserted but become visible when transactions commit, so a
 * reader that remembers only "the last position seen" skips rows committed late at lower positions. Rows
 * are therefore read in (txId, position) order and only below the oldest transaction still running,
 * where no row can appear any more. See docs/decisions/0003-event-store-and-relay.md.
 */
export interface LogPosition {
  /** PostgreSQL `xid8` of the writing transaction, as a decimal string (64-bit, never wraps). */
  readonly txId: string;
  readonly position: number;
}

/** Before the first event. */
export const LOG_START: LogPosition = Object.freeze({ txId: '0', position: 0 });

/** A log position as one string (`<txId>/<position>`), for consumers that store checkpoints as text. */
export function formatLogPosition(position: LogPosition): string {
  return `${position.txId}/${position.position}`;
}

export function parseLogPosition(text: string): LogPosition {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new Error(`Not a log position: ${JSON.stringify(text)} (expected <txId>/<position>)`);
  return { txId: match[1], position: Number(match[2]) };
}

export interface CommittedBatch {
  readonly events: StoredEvent[];
  /** The log position of each event (same index), so a consumer can checkpoint part of a batch. */
  readonly positions: LogPosition[];
  /** Where the next read starts: the log position of the last event returned, or `after` when none was. */
  readonly next: LogPosition;
  /** What the read's snapshot proves about global positions (see {@link CompletenessTracker}); absent from readers that do not tell. */
  readonly horizon?: ReadHorizon;
}

/**
 * What one commit-safe read knew, from its single snapshot. With it a tailing reader can tell up to which global
 * position it has seen *every* event that will ever exist (docs/decisions/0019-watermarks-and-read-your-writes.md).
 */
export interface ReadHorizon {
  /** The relay horizon (xid8 as text): every transaction below it had finished, or never appends. */
  readonly below: string;
  /** The snapshot's xmax (xid8 as text): every transaction that had an id when the read began is below it. */
  readonly snapshotEnd: string;
  /** The highest global position visible to the read (0 when none). */
  readonly head: number;
}

/**
 * Turns a tailing reader's successive reads into a watermark: the global position through which every event of the
 * store has been read (and handed on). A read whose snapshot saw `head` as the highest visible position proves that
 * every position up to `head` was taken by a transaction below its `snapshotEnd` (an append takes its transaction id
 * before its first position: event-store migration 0006, and a sequence never goes back). Once a later read has a
 * horizon at or past that `snapshotEnd`, all those transactions have finished; if that read returned everything
 * below its horizon (its batch was not full) and it was handed on, every event at or below `head` has been too.
 * Pure and synchronous; one per reader (relay, feed subscription).
 */
export class CompletenessTracker {
  /** (head, snapshotEnd) of reads not yet proven complete, both increasing. */
  private pending: { head: number; snapshotEnd: bigint }[] = [];
  private through: number | null = null;

  /** The watermark so far: every event at or below it has been handed on (null: nothing proven yet). */
  get completeThrough(): number | null {
    return this.through;
  }

  /**
   * What the watermark becomes once the batch of a read with this horizon has been handed on (`readAll`: the read
   * returned everything below its horizon, i.e. fewer events than its limit). Changes nothing until `commit()`: the
   * feed delivers the batch with this value and commits it only once the batch was acknowledged.
   */
  after(horizon: ReadHorizon | undefined, readAll: boolean): { readonly completeThrough: number | null; commit(): void } {
    if (!horizon) return { completeThrough: this.through, commit: () => undefined };
    const pending = [...this.pending];
    const end = BigInt(horizon.snapshotEnd);
    const last = pending[pending.length - 1];
    if (last && last.snapshotEnd === end) pending[pending.length - 1] = { head: Math.max(last.head, horizon.head), snapshotEnd: end };
    else pending.push({ head: horizon.head, snapshotEnd: end });
    // Too many reads not yet proven (a long backlog read in full batches): the oldest are dropped, since the later
    // ones (higher heads, later ends) prove as much once they are proven, only later.
    while (pending.length > MAX_PENDING) pending.shift();
    let through = this.through;
    let proven = 0;
    if (readAll) {
      const below = BigInt(horizon.below);
      while (proven < pending.length && pending[proven].snapshotEnd <= below) {
        through = Math.max(through ?? 0, pending[proven].head);
        proven++;
      }
    }
    return {
      completeThrough: through,
      commit: () => {
        this.pending = pending.slice(proven);
        this.through = through;
      },
    };
  }
}

const MAX_PENDING = 1_000;

/** Reads the log for tailing consumers (the outbox relay, the embedded projection feed). */
export interface EventLogReader {
  /** Names the log (the store's schema), e.g. to key a consumer's checkpoint. */
  readonly logName: string;
  /** Up to `limit` committed events after `after`, in commit-safe order (per stream: version order). */
  readCommitted(after: LogPosition, limit: number): Promise<CommittedBatch>;
}

/** Holding it makes one relay instance the active one for a store. */
export interface RelayLease {
  /** True once the lease's connection failed: another instance may hold it now. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface OutboxBacklog {
  /** Events stored but not yet marked published (including those still below the commit horizon). */
  readonly pending: number;
  /** `recordedAt` of the oldest pending event, or null when nothing is pending. */
  readonly oldestRecordedAt: string | null;
}

/**
 * The relay's view of the store: the events table is the outbox and "published" is a checkpoint in
 * commit-safe order, so an append writes no extra row.
 */
export interface RelayOutbox extends EventLogReader {
  /** Which relay this is (one checkpoint each), e.g. 'kafka'. */
  readonly relayName: string;
  /** Tries to become the active relay; null when another instance holds the lease. */
  tryAcquireLease(): Promise<RelayLease | null>;
  /** Where publishing stopped last time ({@link LOG_START} at first). */
  loadCheckpoint(): Promise<LogPosition>;
  /**
   * Moves the checkpoint from `from` to `to` (compare-and-set). False when it was no longer at `from`,
   * i.e. another relay instance moved it: the caller must stop and re-acquire the lease.
   */
  commitCheckpoint(from: LogPosition, to: LogPosition): Promise<boolean>;
  backlog(after: LogPosition): Promise<OutboxBacklog>;
}
