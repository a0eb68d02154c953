import type { Actor, EventEnvelope, Instant } from '@chip-ledger/domain';

/** Injection token for the {@link EventStore} port (a symbol, so no string can collide with it). */
export const EVENT_STORE = Symbol.for('chip-ledger.EventStore');

/** An event as the application hands it to the store: everything but the stream position and `recordedAt`. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  /** A UUID chosen by the caller (so a retried command can be recognised by its event ids too). */
  readonly eventId: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly occurredAt: Instant;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** JSON-serialisable; stored as jsonb and hashed in canonical JSON. */
  readonly data: TData;
}

/** Events for one stream, valid only if the stream is still at `expectedVersion`. */
export interface AppendRequest {
  readonly streamId: string;
  /** The version the decision was taken on: 0 = the stream must not exist yet. */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

/** Makes a command safe to retry: the first append under (scope, key) is the only one recorded. */
export interface IdempotencyKey {
  /** Namespace of the key, e.g. the command name or the caller's organisation. */
  readonly scope: string;
  /** The client's `Idempotency-Key`. */
  readonly key: string;
  /** A digest of the request body: the same key with another body is a client error, not a retry. */
  readonly requestHash: string;
}

export interface AppendOptions {
  readonly idempotency?: IdempotencyKey;
}

export interface StreamAppendResult {
  readonly streamId: string;
  /** The stream's version after the append (the version of its last new event). */
  readonly version: number;
  readonly eventIds: readonly string[];
  readonly globalPositions: readonly number[];
}

export interface AppendResult {
  /** One entry per request, in request order. */
  readonly streams: readonly StreamAppendResult[];
  /** The highest global position written: the read-your-writes token. */
  readonly position: number;
  /** The one `recordedAt` every event of this append carries (database clock). */
  readonly recordedAt: Instant;
  /** True when the result comes from an earlier append with the same idempotency key: nothing was written now. */
  readonly replayed: boolean;
}

/** The envelope plus the tamper-evidence chain, as it travels to Kafka and to auditors. */
export interface ChainedEvent<TType extends string = string, TData = unknown> extends EventEnvelope<TType, TData> {
  /** `hash` of the stream's previous event; 64 zeros for version 1. */
  readonly prevHash: string;
  /** SHA-256 (hex) of the canonical encoding of `prevHash` and the envelope; see `eventHash`. */
  readonly hash: string;
}

/** An event as read back from the store. */
export interface StoredEvent<TType extends string = string, TData = unknown> extends ChainedEvent<TType, TData> {
  /** Order of insertion across all streams of this store (gaps are normal: rolled-back appends use numbers too). */
  readonly globalPosition: number;
}

export interface ReadStreamOptions {
  /** First version to return (inclusive); default 1. */
  readonly fromVersion?: number;
}

export interface ReadAllOptions {
  /** Return events with a global position greater than this; default 0 (from the beginning). */
  readonly afterPosition?: number;
  /** Page size; default 1,000, at most 10,000. */
  readonly limit?: number;
  /** Only events recorded strictly before this instant ("what did the ledger know at T"). */
  readonly recordedBefore?: Instant;
}

/** Why a stream's hash chain does not verify, naming the first event where it breaks. */
export type ChainBreakKind =
  /** The event's content no longer matches its stored hash: it was edited. */
  | 'hash-mismatch'
  /** Versions jump: one or more events were deleted before this one. */
  | 'version-gap'
  /** The event claims to follow another event of the stream than the one before it, or the global order contradicts the versions. */
  | 'reordered'
  /** The event's `prevHash` matches no event of the stream: the previous event was rewritten (hash included). */
  | 'prev-hash-mismatch';

export interface ChainBreak {
  readonly kind: ChainBreakKind;
  readonly streamId: string;
  /** The first event found broken. */
  readonly eventId: string;
  readonly version: number;
  readonly globalPosition: number;
  /** A sentence an auditor can read. */
  readonly message: string;
}

export interface StreamVerification {
  readonly streamId: string;
  readonly ok: boolean;
  readonly eventsChecked: number;
  /** Version and hash of the last event: an anchor to compare with a copy kept elsewhere (Kafka, an export). */
  readonly headVersion: number;
  readonly headHash: string | null;
  readonly break: ChainBreak | null;
}

export interface StoreVerification {
  readonly ok: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** The first break of every broken stream, in stream id order. */
  readonly breaks: readonly ChainBreak[];
}

/**
 * The system of record for one service: append-only streams with optimistic concurrency,
 * idempotent appends and a per-stream SHA-256 hash chain.
 */
export interface EventStore {
  /**
   * Appends to one or several streams atomically (all or nothing).
   * @throws WrongExpectedVersionError when a stream is not at its expected version (nothing is written).
   * @throws IdempotencyConflictError when the idempotency key was used with another request hash.
   * @throws DuplicateEventIdError when an event id already exists in the store.
   */
  append(requests: readonly AppendRequest[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * The stored result for (scope, key) so a handler can answer a retry before running its decider;
   * null when the key is unused.
   * @throws IdempotencyConflictError when the key was used with another request hash.
   */
  lookupIdempotent(scope: string, key: string, requestHash: string): Promise<AppendResult | null>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * A page of history in global-position order, for exports and auditors. Not for tailing: a transaction
   * still in flight can commit below the last position returned (use `EventLogReader.readCommitted`).
   */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** The stream's current version; 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  verifyStream(streamId: string): Promise<StreamVerification>;
  verifyAll(): Promise<StoreVerification>;
}

/**
 * Injection token of the procurement context's store where another context reads it (never writes it):
 * rentals and audits need the data centers, chip stock and catalog that procurement records.
 */
export const PROCUREMENT_EVENT_STORE = Symbol.for('chip-ledger.ProcurementEventStore');
