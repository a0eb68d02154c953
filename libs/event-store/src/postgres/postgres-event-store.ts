import { Pool, type DatabaseError, type PoolConfig } from 'pg';
import { eventHashParts } from '../hash-chain/event-hash';
import { verifyStreamChain } from '../hash-chain/verify-chain';
import type { CommittedBatch, EventLogReader, LogPosition } from '../port/event-log.port';
import { DuplicateEventIdError, IdempotencyConflictError, WrongExpectedVersionError } from '../port/event-store.errors';
import type {
  AppendOptions,
  ChainBreak,
  AppendRequest,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoreVerification,
  StreamVerification,
} from '../port/event-store.port';
import { normaliseAppend, type NormalisedRequest } from './append-request';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-rows';
import { migrateEventStore, type MigrationReport } from './migrator';
import { quoteSchema } from './schema-name';

export interface EventStorePoolOptions {
  readonly connectionString: string;
  /** Connections; appends hold one for two short statements, so ~16 serves 32 concurrent requests. Default 16. */
  readonly max?: number;
  readonly applicationName?: string;
}

/** A `pg` pool configured for the store (the caller owns it and ends it on shutdown). */
export function createEventStorePool(options: EventStorePoolOptions): Pool {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    max: options.max ?? 16,
    application_name: options.applicationName ?? 'chip-ledger-event-store',
    keepAlive: true,
  };
  const pool = new Pool(config);
  // An idle connection can be closed by the server (restart, failover, a dropped database): the pool
  // replaces it on next use. Without a listener, that 'error' event would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** What the idempotency table keeps: the first append's answer (positions by event id). */
interface StoredAppendResult {
  readonly recordedAt: string;
  readonly streams: readonly { streamId: string; version: number; eventIds: string[] }[];
  readonly positions: Record<string, number>;
}

/** What the append function answers: the positions it assigned, or the first append's stored result. */
type AppendOutcome =
  | { readonly replayed: false; readonly recordedAt: string; readonly positions: Record<string, number> }
  | { readonly replayed: true; readonly requestHash: string; readonly result: StoredAppendResult };

const UNIQUE_VIOLATION = '23505';
/** Raised by the append function for a stale expected version. */
const WRONG_VERSION = 'CL409';
const MAX_READ_LIMIT = 10_000;
const VERIFY_PAGE = 5_000;

/**
 * The event store on PostgreSQL through `pg`, one schema per service.
 *
 * An append is one statement, so one round trip and one implicit transaction: a PL/pgSQL function
 * (migration 0002) looks up the idempotency key, checks each stream's version, finishes the hash chain
 * with the database clock, inserts all events in one multi-row INSERT and records the idempotency key.
 * A concurrent writer that got in between the check and the INSERT makes the INSERT hit
 * `unique(stream_id, version)`, which is reported as `WrongExpectedVersionError`, never merged.
 */
export class PostgresEventStore implements EventStore, EventLogReader {
  readonly logName: string;
  private readonly q: string;
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    this.q = quoteSchema(schema);
    this.logName = schema;
    this.sql = statements(this.q);
  }

  /** Creates or upgrades this store's schema (idempotent; run at start-up). */
  migrate(): Promise<MigrationReport> {
    return migrateEventStore(this.pool, this.schema);
  }

  async append(requests: readonly AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    const normalised = normaliseAppend(requests);
    const idem = options.idempotency;
    const streams = normalised.map((request) => ({
      streamId: request.streamId,
      version: request.expectedVersion + request.events.length,
      eventIds: request.events.map((event) => event.eventId),
    }));
    let outcome: AppendOutcome;
    try {
      const { rows } = await this.pool.query<{ outcome: AppendOutcome }>({
        name: `es_append_${this.schema}`,
        text: this.sql.append,
        values: [
          ...appendColumns(normalised),
          idem?.scope ?? null,
          idem?.key ?? null,
          idem?.requestHash ?? null,
          JSON.stringify(streams),
        ],
      });
      outcome = rows[0].outcome;
    } catch (error) {
      const code = (error as DatabaseError).code;
      if (code === WRONG_VERSION) {
        // A concurrent request with the same idempotency key may have committed between this append's key
        // check and its version check: then the stream moved because of that very request, and the answer
        // is its stored result (or a conflict if the bodies differ), not a stale version.
        const first = idem ? await this.lookupIdempotent(idem.scope, idem.key, idem.requestHash) : null;
        if (first) return first;
        throw wrongVersion(error as DatabaseError);
      }
      if (code === UNIQUE_VIOLATION) return this.explainConflict(error as DatabaseError, normalised, options);
      throw error;
    }
    // The function answers with a stored result only when given an idempotency key.
    if (outcome.replayed && idem) return this.replay(idem.scope, idem.key, idem.requestHash, outcome);
    if (outcome.replayed) throw new Error('append_events replayed a result without an idempotency key');
    return toAppendResult({ recordedAt: outcome.recordedAt, streams, positions: outcome.positions }, false);
  }

  async lookupIdempotent(scope: string, key: string, requestHash: string): Promise<AppendResult | null> {
    const { rows } = await this.pool.query<{ request_hash: string; result: StoredAppendResult }>(
      `SELECT request_hash, result FROM ${this.q}.idempotency WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (rows.length === 0) return null;
    return this.replay(scope, key, requestHash, { requestHash: rows[0].request_hash, result: rows[0].result });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: `es_read_stream_${this.schema}`,
      text: `SELECT ${EVENT_COLUMNS} FROM ${this.q}.events WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
      values: [streamId, options.fromVersion ?? 1],
    });
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const limit = Math.min(Math.max(1, options.limit ?? 1_000), MAX_READ_LIMIT);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.q}.events
        WHERE global_position > $1 AND ($3::timestamptz IS NULL OR recorded_at < $3::timestamptz)
        ORDER BY global_position LIMIT $2`,
      [options.afterPosition ?? 0, limit, options.recordedBefore ?? null],
    );
    return rows.map(toStoredEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>(
      `SELECT version FROM ${this.q}.events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1`,
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  async readCommitted(after: LogPosition, limit: number): Promise<CommittedBatch> {
    const { rows } = await this.pool.query<EventRow & { tx_text: string }>({
      name: `es_read_committed_${this.schema}`,
      text: this.sql.readCommitted,
      values: [after.txId, after.position, limit],
    });
    const positions = rows.map((row) => ({ txId: row.tx_text, position: Number(row.global_position) }));
    return { events: rows.map(toStoredEvent), positions, next: positions[positions.length - 1] ?? after };
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    return verifyStreamChain(streamId, await this.readStream(streamId));
  }

  /**
   * Verifies every stream inside one read-only REPEATABLE READ transaction, so the report describes one
   * consistent state of the store even while appends go on. Memory holds one stream at a time.
   */
  async verifyAll(): Promise<StoreVerification> {
    const client = await this.pool.connect();
    const breaks: ChainBreak[] = [];
    let streamsChecked = 0;
    let eventsChecked = 0;
    let current: StoredEvent[] = [];
    const finish = () => {
      if (current.length === 0) return;
      const result = verifyStreamChain(current[0].streamId, current);
      streamsChecked++;
      eventsChecked += current.length;
      if (result.break) breaks.push(result.break);
      current = [];
    };
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let after: [string, number] = ['', 0];
      for (;;) {
        const { rows } = await client.query<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM ${this.q}.events WHERE (stream_id, version) > ($1, $2) ORDER BY stream_id, version LIMIT $3`,
          [after[0], after[1], VERIFY_PAGE],
        );
        for (const event of rows.map(toStoredEvent)) {
          if (current.length > 0 && current[0].streamId !== event.streamId) finish();
          current.push(event);
        }
        if (rows.length < VERIFY_PAGE) break;
        const lastRow = rows[rows.length - 1];
        after = [lastRow.stream_id, lastRow.version];
      }
      finish();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return { ok: breaks.length === 0, streamsChecked, eventsChecked, breaks };
  }

  private replay(scope: string, key: string, requestHash: string, stored: { requestHash: string; result: StoredAppendResult }): AppendResult {
    if (stored.requestHash !== requestHash) throw new IdempotencyConflictError(scope, key);
    return toAppendResult(stored.result, true);
  }

  /**
   * A unique violation means another append won a race. With an idempotency key, the winner may have been
   * this very request (a concurrent retry): then its stored result is the answer.
   */
  private async explainConflict(error: DatabaseError, requests: NormalisedRequest[], options: AppendOptions): Promise<AppendResult> {
    const idem = options.idempotency;
    if (idem) {
      const stored = await this.lookupIdempotent(idem.scope, idem.key, idem.requestHash);
      if (stored) return stored;
    }
    if (error.constraint === 'events_event_id_key') {
      throw new DuplicateEventIdError(/=\(([0-9a-f-]{36})\)/.exec(error.detail ?? '')?.[1] ?? null);
    }
    if (error.constraint === 'events_stream_version_key') {
      for (const request of requests) {
        const current = await this.streamVersion(request.streamId);
        if (current !== request.expectedVersion) throw new WrongExpectedVersionError(request.streamId, request.expectedVersion, current);
      }
      // Unreachable in practice (PostgreSQL raises the violation only once the other row is committed):
      // name the stream PostgreSQL reported.
      const streamId = /\(stream_id, version\)=\((.*), \d+\)/.exec(error.detail ?? '')?.[1];
      const request = requests.find((r) => r.streamId === streamId) ?? requests[0];
      throw new WrongExpectedVersionError(request.streamId, request.expectedVersion, request.expectedVersion + 1);
    }
    throw error;
  }
}

/**
 * The append function's array parameters, one element per stream or per event. Hashes are finished in
 * SQL (the previous hash and the clock are only known there) from the canonical JSON split around them.
 */
function appendColumns(requests: NormalisedRequest[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 14 }, () => []);
  const [streams, expected, streamOf, versions, ids, types, schemaVersions, occurred, actors, correlations, causations, data, prefixes, suffixes] = columns;
  requests.forEach((request, r) => {
    streams.push(request.streamId);
    expected.push(request.expectedVersion);
    request.events.forEach((event, i) => {
      const version = request.expectedVersion + i + 1;
      const parts = eventHashParts({ ...event, streamId: request.streamId, version });
      streamOf.push(r + 1);
      versions.push(version);
      ids.push(event.eventId);
      types.push(event.type);
      schemaVersions.push(event.schemaVersion);
      occurred.push(event.occurredAt);
      actors.push(event.actorJson);
      correlations.push(event.correlationId);
      causations.push(event.causationId);
      data.push(event.dataJson);
      prefixes.push(parts.prefix);
      suffixes.push(parts.suffix);
    });
  });
  return columns;
}

/** The append function refused a stale expected version; its DETAIL names the stream and both versions. */
function wrongVersion(error: DatabaseError): WrongExpectedVersionError {
  const detail = JSON.parse(error.detail ?? '{}') as { streamId: string; expectedVersion: number; currentVersion: number };
  return new WrongExpectedVersionError(detail.streamId, detail.expectedVersion, detail.currentVersion);
}

function toAppendResult(stored: StoredAppendResult, replayed: boolean): AppendResult {
  const streams = stored.streams.map((stream) => ({
    streamId: stream.streamId,
    version: stream.version,
    eventIds: stream.eventIds,
    globalPositions: stream.eventIds.map((id) => Number(stored.positions[id])),
  }));
  return {
    streams,
    position: Math.max(...streams.flatMap((stream) => stream.globalPositions)),
    recordedAt: stored.recordedAt,
    replayed,
  };
}

function statements(q: string) {
  return {
    // One round trip (see migration 0002_append_function).
    append: `SELECT ${q}.append_events($1::text[], $2::int[], $3::int[], $4::int[], $5::uuid[], $6::text[], $7::int[],
      $8::timestamptz[], $9::jsonb[], $10::text[], $11::text[], $12::jsonb[], $13::text[], $14::text[],
      $15::text, $16::text, $17::text, $18::jsonb) AS outcome`,
    // Commit-safe tailing: only transactions older than every running one, in (tx_id, position) order.
    // The text copy of tx_id has its own alias: ORDER BY a bare name prefers an output column, and sorting
    // the text would put transaction 1000 before 999.
    readCommitted: `
      SELECT ${EVENT_COLUMNS}, e.tx_id::text AS tx_text FROM ${q}.events e
       WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint)
         AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.tx_id, e.global_position
       LIMIT $3`,
  };
}
