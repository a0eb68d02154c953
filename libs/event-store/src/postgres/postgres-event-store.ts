import type { DatabaseError, Pool } from 'pg';
import { eventHashParts } from '../hash-chain/event-hash';
import { verifyStreamChain } from '../hash-chain/verify-chain';
import type { CommittedBatch, EventLogReader, LogPosition } from '../port/event-log.port';
import { DuplicateEventIdError, IdempotencyConflictError, StoreBusyError, WrongExpectedVersionError } from '../port/event-store.errors';
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
import { AppendCounters, type AppendStatistics } from './append-statistics';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-rows';
import { MicroBatcher, type Settled } from './micro-batcher';
import { quoteSchema } from './schema-name';

/** What the idempotency table keeps: the first append's answer (positions by event id). */
interface StoredAppendResult {
  readonly recordedAt: string;
  readonly streams: readonly { streamId: string; version: number; eventIds: string[] }[];
  readonly positions: Record<string, number>;
}

/**
 * What the batch function answers per command: the positions it assigned, the first append's stored result,
 * or why that command alone was refused (a stale version, or a unique key a concurrent append took first).
 */
type AppendOutcome =
  | { readonly failed?: undefined; readonly replayed: false; readonly recordedAt: string; readonly positions: Record<string, number> }
  | { readonly failed?: undefined; readonly replayed: true; readonly requestHash: string; readonly result: StoredAppendResult }
  | {
      readonly failed: 'CL409' | '23505' | '55P03';
      readonly detail: string | null;
      readonly constraint?: string | null;
      /** Set when this try followed a lost answer: the command's first try may have committed. */
      readonly afterLostAnswer?: boolean;
    };

/** One command's append, ready for the batch function. */
interface PreparedAppend {
  readonly requests: NormalisedRequest[];
  readonly options: AppendOptions;
  readonly streams: StoredAppendResult['streams'];
}

/** A stream read waiting for its batch. */
interface StreamRead {
  readonly streamId: string;
  readonly fromVersion: number;
}

export interface EventStoreBatching {
  /**
   * Append batches in flight at once. Default 1: two batches of one instance would hold each other's
   * streams (command 1 of A and command 2 of B on stream X, the reverse on Y) and deadlock; one at a time,
   * batches simply grow while the previous one commits.
   */
  readonly maxAppendsInFlight?: number;
  /** Read batches in flight at once. Default 2 (reads take no locks). */
  readonly maxReadsInFlight?: number;
  /** Commands per append statement at most (each is a sub-transaction). Default 32. */
  readonly maxAppendsPerBatch?: number;
  /** Streams per read statement at most. Default 64. */
  readonly maxReadsPerBatch?: number;
}

/** A transaction PostgreSQL aborted only to let a concurrent one through: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_READ_LIMIT = 10_000;
const VERIFY_PAGE = 5_000;

/**
 * The event store on PostgreSQL through `pg`, one schema per service.
 *
 * An append is one statement, so one round trip and one implicit transaction: a PL/pgSQL function
 * (migration 0002) looks up the idempotency key, checks each stream's version, finishes the hash chain
 * with the database clock, inserts all events in one multi-row INSERT and records the idempotency key.
 * Concurrent appends (and concurrent stream reads) share a statement: migration 0003 runs each command of a
 * batch in its own sub-transaction, so they commit together but are refused one by one.
 * A concurrent writer that got in between the check and the INSERT makes the INSERT hit
 * `unique(stream_id, version)`, which is reported as `WrongExpectedVersionError`, never merged.
 */
export class PostgresEventStore implements EventStore, EventLogReader {
  readonly logName: string;
  private readonly q: string;
  private readonly sql: ReturnType<typeof statements>;
  private readonly appends: MicroBatcher<PreparedAppend, AppendOutcome>;
  private readonly reads: MicroBatcher<StreamRead, StoredEvent[]>;
  private readonly counters = new AppendCounters();

  /** `pool`: the process's one (the TypeORM DataSource's, `poolOf`); the schema is created by `migrateEventStore`. */
  constructor(
    private readonly pool: Pool,
    readonly schema: string,
    batching: EventStoreBatching = {},
  ) {
    this.q = quoteSchema(schema);
    this.logName = schema;
    this.sql = statements(this.q);
    this.appends = new MicroBatcher((batch) => this.appendBatch(batch), {
      maxInFlight: batching.maxAppendsInFlight ?? 1,
      maxBatch: batching.maxAppendsPerBatch ?? 32,
    });
    this.reads = new MicroBatcher((batch) => this.readBatch(batch), { maxInFlight: batching.maxReadsInFlight ?? 2, maxBatch: batching.maxReadsPerBatch ?? 64 });
  }

  /** How this store's appends went since it was created (the metrics endpoint reads it). */
  appendStatistics(): AppendStatistics {
    return this.counters.snapshot();
  }

  /**
   * Appends one command's events atomically. Concurrent appends are grouped into one statement and one
   * transaction (see {@link MicroBatcher} and migration 0003), each command in its own sub-transaction: a
   * refusal of one never affects the others.
   */
  async append(requests: readonly AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    try {
      const result = await this.appendOnce(requests, options);
      this.counters.answered(result);
      return result;
    } catch (error) {
      this.counters.threw(error);
      throw error;
    }
  }

  private async appendOnce(requests: readonly AppendRequest[], options: AppendOptions): Promise<AppendResult> {
    const normalised = normaliseAppend(requests);
    const streams = normalised.map((request) => ({
      streamId: request.streamId,
      version: request.expectedVersion + request.events.length,
      eventIds: request.events.map((event) => event.eventId),
    }));
    const outcome = await this.appends.submit({ requests: normalised, options, streams });
    const idem = options.idempotency;
    if (outcome.failed !== undefined) {
      // After a lost answer the command was tried again (see appendBatch): its first try may have committed.
      // Its own events, then, are what the stream moved on to, and they are the answer.
      const own = outcome.afterLostAnswer ? await this.ownCommittedEvents(normalised, streams) : null;
      if (own) return own;
      // A lock wait past the batch's lock_timeout (migration 0004).
      if (outcome.failed === '55P03') {
        throw new StoreBusyError(`Nothing was recorded: ${outcome.detail ?? 'a lock stayed held'}. Retry shortly, with the same Idempotency-Key.`);
      }
      if (outcome.failed === '23505') return this.explainConflict(outcome, normalised, options);
      // CL409. A concurrent request with the same idempotency key may have committed between this append's key
      // check and its version check: then the stream moved because of that very request, and the answer
      // is its stored result (or a conflict if the bodies differ), not a stale version.
      const first = idem ? await this.lookupIdempotent(idem.scope, idem.key, idem.requestHash) : null;
      if (first) return first;
      throw wrongVersion(outcome.detail);
    }
    // The function answers with a stored result only when given an idempotency key.
    if (outcome.replayed && idem) return this.replay(idem.scope, idem.key, idem.requestHash, outcome);
    if (outcome.replayed) throw new Error('append_events replayed a result without an idempotency key');
    return toAppendResult({ recordedAt: outcome.recordedAt, streams, positions: outcome.positions }, false);
  }

  /**
   * One statement for a batch of commands. If the statement itself fails (a deadlock with another instance's
   * batch holding the same streams in the other order, a lost connection, a trigger's error), each command
   * is tried again on its own, so the failure lands only on the command it belongs to. A lone command that
   * was a deadlock's victim wrote nothing and is tried once more: the other transaction has gone through.
   * A lone command whose answer was lost with its connection is tried once more too: if its first try did
   * commit, the retry is refused (its stream moved, or its event ids are taken) and `append` then finds the
   * command's own events stored and answers with them.
   */
  private async appendBatch(batch: readonly PreparedAppend[], retriesLeft = 1, afterLostAnswer = false): Promise<Settled<AppendOutcome>[]> {
    const startedAt = process.hrtime.bigint();
    try {
      const { rows } = await this.pool.query<{ outcomes: AppendOutcome[] }>({
        name: `es_append_batch_${this.schema}`,
        text: this.sql.appendBatch,
        values: batchColumns(batch),
      });
      this.counters.statement(startedAt);
      return rows[0].outcomes.map((value) => ({ ok: true, value: afterLostAnswer && value.failed !== undefined ? { ...value, afterLostAnswer } : value }));
    } catch (error) {
      const code = (error as DatabaseError).code;
      // No SQLSTATE (the server's answer never arrived), or the connection or the server ended while the statement
      // ran (08xxx, 57P01/57P02: a restart): whether the transaction committed is unknown.
      const answerLost = afterLostAnswer || typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || /^(08|57P0[12])/.test(code);
      if (batch.length > 1) return Promise.all(batch.map(async (one) => (await this.appendBatch([one], 1, answerLost))[0]));
      if (retriesLeft > 0 && (answerLost || RETRYABLE.has(code))) return this.appendBatch(batch, retriesLeft - 1, answerLost);
      return [{ ok: false, error }];
    }
  }

  /**
   * This command's events, if they are all stored at the versions it asked for: its own earlier try committed
   * (event ids are generated per command, so nobody else holds them). Null when they are not all there.
   */
  private async ownCommittedEvents(requests: NormalisedRequest[], streams: StoredAppendResult['streams']): Promise<AppendResult | null> {
    const wanted = new Map<string, { streamId: string; version: number }>();
    for (const request of requests) {
      request.events.forEach((event, i) => wanted.set(event.eventId, { streamId: request.streamId, version: request.expectedVersion + i + 1 }));
    }
    const { rows } = await this.pool.query<{ event_id: string; stream_id: string; version: number; global_position: string; recorded_at: Date }>(
      `SELECT event_id::text, stream_id, version, global_position, recorded_at FROM ${this.q}.events WHERE event_id = ANY($1::uuid[])`,
      [[...wanted.keys()]],
    );
    const ours = rows.filter((row) => wanted.get(row.event_id)?.streamId === row.stream_id && wanted.get(row.event_id)?.version === row.version);
    if (ours.length === 0 || ours.length !== wanted.size) return null;
    const positions = Object.fromEntries(ours.map((row) => [row.event_id, Number(row.global_position)]));
    return toAppendResult({ recordedAt: ours[0].recorded_at.toISOString(), streams, positions }, false);
  }

  async lookupIdempotent(scope: string, key: string, requestHash: string): Promise<AppendResult | null> {
    const { rows } = await this.pool.query<{ request_hash: string; result: StoredAppendResult }>(
      `SELECT request_hash, result FROM ${this.q}.idempotency WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (rows.length === 0) return null;
    return this.replay(scope, key, requestHash, { requestHash: rows[0].request_hash, result: rows[0].result });
  }

  /** Concurrent reads are grouped into one statement, like appends. */
  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return this.reads.submit({ streamId, fromVersion: options.fromVersion ?? 1 });
  }

  private async readBatch(batch: readonly StreamRead[]): Promise<Settled<StoredEvent[]>[]> {
    if (batch.length === 1) {
      const { rows } = await this.pool.query<EventRow>({
        name: `es_read_stream_${this.schema}`,
        text: this.sql.readStream,
        values: [batch[0].streamId, batch[0].fromVersion],
      });
      return [{ ok: true, value: rows.map(toStoredEvent) }];
    }
    let rows: (EventRow & { request: number })[];
    try {
      ({ rows } = await this.pool.query<EventRow & { request: number }>({
        name: `es_read_streams_${this.schema}`,
        text: this.sql.readStreams,
        values: [batch.map((read) => read.streamId), batch.map((read) => read.fromVersion)],
      }));
    } catch {
      // One read's error (a stream id PostgreSQL refuses, a lost connection) must land on that read alone.
      return Promise.all(
        batch.map(async (read): Promise<Settled<StoredEvent[]>> => {
          try {
            return (await this.readBatch([read]))[0];
          } catch (error) {
            return { ok: false, error };
          }
        }),
      );
    }
    const results: StoredEvent[][] = batch.map(() => []);
    for (const row of rows) results[row.request - 1].push(toStoredEvent(row));
    return results.map((value) => ({ ok: true, value }));
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
    const { rows } = await this.pool.query<(EventRow & { tx_text: string }) & { horizon_below: string; horizon_end: string; horizon_head: string | null }>({
      name: `es_read_committed_${this.schema}`,
      text: this.sql.readCommitted,
      values: [after.txId, after.position, limit],
    });
    // Always one row at least: the horizon's, with no event when nothing was there to read.
    const found = rows.filter((row) => row.global_position !== null);
    const positions = found.map((row) => ({ txId: row.tx_text, position: Number(row.global_position) }));
    const horizon = rows[0] && { below: rows[0].horizon_below, snapshotEnd: (await this.idsTakenBy(BigInt(rows[0].horizon_end))).toString(), head: Number(rows[0].horizon_head ?? 0) };
    return { events: found.map(toStoredEvent), positions, next: positions[positions.length - 1] ?? after, horizon };
  }

  /**
   * An end every transaction id taken before now lies below (ADR 0019), at least `snapshotEnd`. A snapshot's xmax is
   * not one: PostgreSQL sets it to the latest *completed* id + 1, so a transaction still running with a higher id is
   * in no snapshot's list, and a watermark proven from that xmax could pass a position such a transaction took (the
   * log feed's test caught it: 4 runs in 10). A transaction that took a position before the read took its id before
   * that (migration 0006); after the read it is either still running, and its id's lock is in pg_locks (read first),
   * or finished, and below the xmax of a snapshot taken after that (read second).
   */
  private async idsTakenBy(snapshotEnd: bigint): Promise<bigint> {
    const locked = await this.pool.query<{ xid: string }>(`SELECT transactionid::text AS xid FROM pg_locks WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted`);
    const later = await this.pool.query<{ xmax: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
    const xmax = BigInt(later.rows[0].xmax);
    let end = xmax > snapshotEnd ? xmax : snapshotEnd;
    for (const { xid } of locked.rows) {
      const id = widenXid(BigInt(xid), xmax) + 1n;
      if (id > end) end = id;
    }
    return end;
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
  private async explainConflict(
    error: { readonly detail?: string | null; readonly constraint?: string | null },
    requests: NormalisedRequest[],
    options: AppendOptions,
  ): Promise<AppendResult> {
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
 * The batch function's array parameters: per command its stream and event counts, then the per-stream and
 * per-event arrays of all commands concatenated, then per command its idempotency key and stored result.
 * Hashes are finished in SQL (the previous hash and the clock are only known there) from the canonical
 * JSON split around them.
 */
function batchColumns(batch: readonly PreparedAppend[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 20 }, () => []);
  const [streamCounts, eventCounts, streams, expected, streamOf, versions, ids, types, schemaVersions, occurred, actors, correlations, causations, data, prefixes, suffixes] =
    columns;
  const [idemScopes, idemKeys, idemHashes, streamResults] = columns.slice(16);
  for (const command of batch) {
    let events = 0;
    command.requests.forEach((request, r) => {
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
        events++;
      });
    });
    streamCounts.push(command.requests.length);
    eventCounts.push(events);
    const idem = command.options.idempotency;
    idemScopes.push(idem?.scope ?? null);
    idemKeys.push(idem?.key ?? null);
    idemHashes.push(idem?.requestHash ?? null);
    streamResults.push(JSON.stringify(command.streams));
  }
  return columns;
}

/** The append function refused a stale expected version; its DETAIL names the stream and both versions. */
function wrongVersion(detailJson: string | null | undefined): WrongExpectedVersionError {
  const detail = JSON.parse(detailJson ?? '{}') as { streamId: string; expectedVersion: number; currentVersion: number };
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

/** The batched stream read's SQL for a store's schema (tests check its plan). @internal */
export const readStreamsStatement = (schema: string): string => statements(quoteSchema(schema)).readStreams;

function statements(q: string) {
  return {
    // One round trip for a batch of commands (see migrations 0002_append_function, 0003_append_batch_function and 0004_append_batch_locks).
    appendBatch: `SELECT ${q}.append_batch($1::int[], $2::int[], $3::text[], $4::int[], $5::int[], $6::int[], $7::uuid[], $8::text[],
      $9::int[], $10::timestamptz[], $11::jsonb[], $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[],
      $17::text[], $18::text[], $19::text[], $20::jsonb[]) AS outcomes`,
    readStream: `SELECT ${EVENT_COLUMNS} FROM ${q}.events WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
    // Several streams in one statement; 'request' says which read each row answers (a stream may be asked twice).
    // One (stream_id, version) index range scan per wanted stream, whatever the planner estimates: a LATERAL
    // subquery fenced by OFFSET 0, so it is not flattened into a join. As a join, the prepared statement's
    // generic plan hashed the wanted streams and scanned every event: 33 ms at 100,000 events instead of 0.9 ms,
    // and under the bench's load the statement went from 0.1 to 8 ms in a minute, growing with the store.
    readStreams: `
      SELECT ${EVENT_COLUMNS}, r.request::int AS request
        FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS r(wanted_stream, from_version, request)
        CROSS JOIN LATERAL (
          SELECT * FROM ${q}.events x WHERE x.stream_id = r.wanted_stream AND x.version >= r.from_version
           ORDER BY x.version OFFSET 0
        ) e
       ORDER BY r.request, e.version`,
    // Commit-safe tailing: only transactions older than every one that may still add events to this store
    // (migration 0004's relay_horizon), in (tx_id, position) order.
    // The text copy of tx_id has its own alias: ORDER BY a bare name prefers an output column, and sorting
    // the text would put transaction 1000 before 999.
    // The horizon row comes with it, from the same snapshot: the horizon, the snapshot's xmax and the highest visible
    // position are what a watermark is proven from (CompletenessTracker, ADR 0019). LEFT JOIN: a row even when no
    // event is there to read.
    readCommitted: `
      WITH h AS MATERIALIZED (
        SELECT ${q}.relay_horizon() AS below, pg_snapshot_xmax(pg_current_snapshot()) AS snapshot_end,
               (SELECT max(x.global_position) FROM ${q}.events x) AS head
      )
      SELECT e.*, h.below::text AS horizon_below, h.snapshot_end::text AS horizon_end, h.head::text AS horizon_head
        FROM h LEFT JOIN LATERAL (
          SELECT ${EVENT_COLUMNS}, e.tx_id::text AS tx_text, e.tx_id AS tx_order FROM ${q}.events e
           WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint)
             AND e.tx_id < h.below
           ORDER BY e.tx_id, e.global_position
           LIMIT $3
        ) e ON true
       ORDER BY e.tx_order, e.global_position`,
  };
}

/** A 32-bit xid (pg_locks) as the 64-bit xid8 nearest to `reference` (live ids are within 2^31 of each other). */
export function widenXid(xid32: bigint, reference: bigint): bigint {
  const WRAP = 1n << 32n;
  const HALF = 1n << 31n;
  const delta = (((xid32 - (reference % WRAP) + HALF) % WRAP) + WRAP) % WRAP - HALF;
  return reference + delta;
}
