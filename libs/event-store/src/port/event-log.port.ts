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
}

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
