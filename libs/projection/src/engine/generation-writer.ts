import { poolOf, withTransaction } from '@chip-ledger/persistence';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionContext, ProjectionTransaction } from '../projection.port';
import { recordDeadLetters, type DeadLetter, type DeadLetterPublisher } from './dead-letters';
import { describeError, payloadText, sourceOf, type IncomingMessage, type MessageSource } from './incoming-message';

/** Which generation of which projection a writer writes. */
export interface GenerationRef {
  readonly projection: string;
  readonly generation: number;
  readonly schema: string;
}

export interface ApplyOutcome {
  /** Events applied for the first time. */
  readonly applied: number;
  /** Events skipped because their stream had reached their version before (a copy of a published event). */
  readonly duplicates: number;
  /** Messages before the stored offset: a batch fetched before a seek took effect. */
  readonly alreadyPast: number;
  readonly deadLetters: readonly DeadLetter[];
  readonly changes: readonly ProjectionChange[];
  /** Stream positions applied (or dead-lettered) here, for read-your-writes waiters. */
  readonly streams: ReadonlyMap<string, number>;
  /** Per context, through which global position every event is applied once this committed (ADR 0019). */
  readonly complete?: ReadonlyMap<string, number>;
}

/** A Kafka partition's watermark: its last marker's (or a later one's) word on its topic's context. */
interface PartitionMark {
  readonly topic: string;
  readonly context: string;
  readonly completeThrough: number;
  readonly partitions: number;
}

/**
 * Per context: the lowest watermark over its topic's partitions, once every partition has one (a partition without
 * a marker yet proves nothing about the events it holds).
 */
function completeOfPartitions(marks: Iterable<PartitionMark>): Map<string, number> {
  const byTopic = new Map<string, PartitionMark[]>();
  for (const mark of marks) byTopic.set(mark.topic, [...(byTopic.get(mark.topic) ?? []), mark]);
  const complete = new Map<string, number>();
  for (const topicMarks of byTopic.values()) {
    const partitions = Math.max(...topicMarks.map((m) => m.partitions));
    if (topicMarks.length < partitions) continue;
    const { context } = topicMarks[0];
    const through = Math.min(...topicMarks.map((m) => m.completeThrough));
    complete.set(context, Math.min(through, complete.get(context) ?? Infinity));
  }
  return complete;
}

/** Per context (the store's schema, 'pg:<schema>'): its log feed's watermark. */
function completeOfLogs(sources: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...sources].map(([source, through]) => [source.replace(/^pg:/, ''), through]));
}

export type PartitionBatchResult =
  | { readonly kind: 'committed'; readonly outcome: ApplyOutcome; readonly nextOffset: string }
  /** PostgreSQL says this partition must be read from elsewhere: seek there and drop the batch. */
  | { readonly kind: 'reseek'; readonly offset: string };

/** One partition's share of a multi-partition transaction (`applyPartitionBatches`). */
export interface PartitionMessages {
  readonly topic: string;
  readonly partition: number;
  /** In offset order. */
  readonly messages: readonly IncomingMessage[];
  /** As in `applyPartitionBatch`: where this consumer last sought the partition. */
  readonly acceptGapFrom?: string;
}

export interface PartitionBatchesResult {
  /** All partitions' applied events together. */
  readonly outcome: ApplyOutcome;
  /** Partitions whose offset is now stored as `nextOffset` (applied, or nothing new in them). */
  readonly committed: readonly { readonly topic: string; readonly partition: number; readonly nextOffset: string }[];
  /** Partitions left out: seek there and fetch again. */
  readonly reseek: readonly { readonly topic: string; readonly partition: number; readonly offset: string }[];
}

const offsetKey = (topic: string, partition: number): string => `${topic}/${partition}`;

export interface GenerationWriterOptions {
  /** Attempts at applying a failing event on its own before it is dead-lettered; default 3. */
  readonly maxAttempts?: number;
  readonly deadLetterPublisher?: DeadLetterPublisher;
}

const EMPTY_STREAMS: ReadonlyMap<string, number> = new Map();

/**
 * Everything a batch does to PostgreSQL, in one transaction: dedupe by stream position, apply the new events,
 * record dead letters, move the checkpoint. Drivers (Kafka, PostgreSQL log) only fetch and acknowledge.
 * Not re-entrant: a projection may keep in-memory state, so batches of one writer run one at a time.
 */
export class GenerationWriter {
  private needsLoad = true;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxAttempts: number;
  /** `Projection.exclusive`: every transaction checks that this writer holds the generation's ownership epoch. */
  readonly exclusive: boolean;
  /** The ownership epoch this writer claimed (exclusive projections), null when it does not own the generation. */
  private epoch: string | null = null;
  /** `topic/partition` keys whose consumer_offsets row is known to exist. */
  private readonly knownOffsetRows = new Set<string>();

  private readonly pool: Pool;

  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: Projection,
    readonly ref: GenerationRef,
    private readonly options: GenerationWriterOptions = {},
  ) {
    this.pool = poolOf(dataSource);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.exclusive = projection.exclusive === true;
  }

  /** May this writer write now? Always for a shared projection; for an exclusive one, while it owns the generation. */
  get owns(): boolean {
    return !this.exclusive || this.epoch !== null;
  }

  /**
   * Exclusive projections: makes this writer the generation's owner by bumping the ownership epoch in
   * `<schema>.generation_owner`. The bump waits for the previous owner's transaction in flight (each holds the
   * row `FOR SHARE`), so `load` in this writer's next transaction sees everything the previous owner committed,
   * and any later transaction of the previous owner fails with {@link NotOwnerError}. Callers hold the
   * generation's advisory lock (`tryAcquireGenerationLease`), which keeps two instances from claiming in turn.
   */
  async claimOwnership(owner: string): Promise<string> {
    return this.inTransaction(async ({ client }) => {
      const { rows } = await client.query<{ epoch: string }>(
        `INSERT INTO ${this.ref.schema}.generation_owner AS o (singleton, epoch, owner) VALUES (true, 1, $1)
         ON CONFLICT (singleton) DO UPDATE SET epoch = o.epoch + 1, owner = excluded.owner, claimed_at = now()
         RETURNING epoch::text AS epoch`,
        [owner],
      );
      this.epoch = rows[0].epoch;
      // The previous owner changed the tables since this instance last looked.
      this.needsLoad = true;
      return this.epoch;
    }, false);
  }

  /** Stops writing as the owner (the runner stood down); the next owner's claim bumps the epoch anyway. */
  releaseOwnership(): void {
    this.epoch = null;
    this.needsLoad = true;
  }

  /** After a rebalance another instance may have changed the tables: reload in-memory state first. */
  invalidateState(): void {
    this.needsLoad = true;
  }

  /**
   * One Kafka partition's messages (in offset order). The stored offset row is locked for the transaction,
   * which also fences a member that lost the partition in a rebalance but is still finishing a batch.
   * `acceptGapFrom`: the offset this consumer last sought to, where a jump forward is real (e.g. a log
   * start beyond 0), not a seek that did not land.
   */
  async applyPartitionBatch(topic: string, partition: number, messages: readonly IncomingMessage[], acceptGapFrom?: string): Promise<PartitionBatchResult> {
    const result = await this.applyPartitionBatches([{ topic, partition, messages, acceptGapFrom }]);
    const reseek = result.reseek[0];
    if (reseek) return { kind: 'reseek', offset: reseek.offset };
    return { kind: 'committed', outcome: result.outcome, nextOffset: result.committed[0]?.nextOffset ?? '0' };
  }

  /**
   * Messages of several Kafka partitions (each in offset order) in ONE transaction: the offset rows of all of
   * them are locked (in key order, so two members never wait on each other crosswise), each partition's
   * messages are checked against its stored offset as in `applyPartitionBatch`, every fresh message is
   * deduplicated and applied in one go (partitions in the order given), and every partition's offset moves
   * with the read model's changes. A partition whose messages start past its stored offset (a fetch that
   * raced a seek) is left out and reported in `reseek`; the others are applied.
   */
  async applyPartitionBatches(parts: readonly PartitionMessages[]): Promise<PartitionBatchesResult> {
    return this.inTransaction(async (tx) => {
      const { client } = tx;
      const { stored, marks } = await this.lockOffsets(client, parts);
      const fresh: IncomingMessage[] = [];
      const committed: { topic: string; partition: number; nextOffset: string }[] = [];
      const reseek: { topic: string; partition: number; offset: string }[] = [];
      const moved: { topic: string; partition: number; nextOffset: string; mark: PartitionMark | null }[] = [];
      let alreadyPast = 0;
      let marked = false;
      for (const part of parts) {
        const key = offsetKey(part.topic, part.partition);
        const from = stored.get(key) ?? 0n;
        const mine = part.messages.filter((m) => BigInt(sourceOf(m).offset) >= from);
        alreadyPast += part.messages.length - mine.length;
        if (mine.length === 0) {
          committed.push({ topic: part.topic, partition: part.partition, nextOffset: from.toString() });
          continue;
        }
        if (BigInt(sourceOf(mine[0]).offset) > from && part.acceptGapFrom !== from.toString()) {
          reseek.push({ topic: part.topic, partition: part.partition, offset: from.toString() });
          continue;
        }
        // Markers move the offset and the partition's watermark, nothing else.
        let mark = marks.get(key) ?? null;
        for (const m of mine) {
          if (m.kind !== 'marker') fresh.push(m);
          else if (mark === null || m.completeThrough > mark.completeThrough) {
            mark = { topic: part.topic, context: m.context, completeThrough: m.completeThrough, partitions: m.partitions };
            marked = true;
          }
        }
        if (mark) marks.set(key, mark);
        const next = (BigInt(sourceOf(mine[mine.length - 1]).offset) + 1n).toString();
        committed.push({ topic: part.topic, partition: part.partition, nextOffset: next });
        moved.push({ topic: part.topic, partition: part.partition, nextOffset: next, mark });
      }
      const context = { complete: completeOfPartitions(marks.values()) };
      const outcome = fresh.length === 0 && !marked ? emptyOutcome() : await this.applyMessages(tx, fresh, context, marked);
      if (moved.length > 0) {
        await client.query(
          `UPDATE ${this.ref.schema}.consumer_offsets AS o
              SET next_offset = x.next_offset, updated_at = now(),
                  context = coalesce(x.context, o.context), topic_partitions = coalesce(x.topic_partitions, o.topic_partitions),
                  complete_through = coalesce(x.complete_through, o.complete_through)
             FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::int[], $6::bigint[]) AS x(topic, partition, next_offset, context, topic_partitions, complete_through)
            WHERE o.topic = x.topic AND o.partition = x.partition`,
          [
            moved.map((m) => m.topic),
            moved.map((m) => m.partition),
            moved.map((m) => m.nextOffset),
            moved.map((m) => m.mark?.context ?? null),
            moved.map((m) => m.mark?.partitions ?? null),
            moved.map((m) => m.mark?.completeThrough ?? null),
          ],
        );
      }
      return { outcome: { ...outcome, alreadyPast, complete: context.complete }, committed, reseek };
    });
  }

  /**
   * A batch of the PostgreSQL log; `position` is the feed's checkpoint after it, `completeThrough` the watermark of
   * its source once it is applied (FeedCheckpoint). A batch may carry no event, only a watermark.
   */
  async applyLogBatch(source: string, position: string, messages: readonly IncomingMessage[], completeThrough: number | null = null): Promise<ApplyOutcome> {
    return this.inTransaction(async (tx) => {
      const { client } = tx;
      const stored = await this.logWatermarks(client);
      const before = stored.get(source);
      const marked = completeThrough !== null && (before === undefined || completeThrough > before);
      if (marked) stored.set(source, completeThrough);
      const context = { complete: completeOfLogs(stored) };
      const outcome = messages.length === 0 && !marked ? emptyOutcome() : await this.applyMessages(tx, messages, context, marked);
      await client.query(
        `INSERT INTO ${this.ref.schema}.log_checkpoints AS c (source, position, complete_through) VALUES ($1, $2, $3)
         ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at = now(),
           complete_through = GREATEST(c.complete_through, excluded.complete_through)`,
        [source, position, completeThrough],
      );
      return { ...outcome, complete: context.complete };
    });
  }

  /**
   * Per context, the global position through which this generation has applied every event of that context's store
   * (ADR 0019): from the PostgreSQL log's checkpoints, or the Kafka partitions' watermarks (the lowest of a topic's
   * partitions, once every one of them has had a marker). Read-your-writes waits on it.
   */
  async completeness(client: Pick<PoolClient, 'query'> = this.pool): Promise<ReadonlyMap<string, number>> {
    const { rows } = await client.query<{ kind: string; topic: string; context: string | null; complete_through: string | null; topic_partitions: number | null }>(
      `SELECT 'kafka' AS kind, topic, context, complete_through::text, topic_partitions FROM ${this.ref.schema}.consumer_offsets WHERE complete_through IS NOT NULL
       UNION ALL
       SELECT 'log', source, NULL, complete_through::text, NULL FROM ${this.ref.schema}.log_checkpoints WHERE complete_through IS NOT NULL`,
    );
    const logs = new Map<string, number>();
    const partitions: PartitionMark[] = [];
    for (const row of rows) {
      if (row.kind === 'log') logs.set(row.topic, Number(row.complete_through));
      else if (row.context !== null && row.topic_partitions !== null)
        partitions.push({ topic: row.topic, context: row.context, completeThrough: Number(row.complete_through), partitions: row.topic_partitions });
    }
    const complete = completeOfPartitions(partitions);
    for (const [context, through] of completeOfLogs(logs)) complete.set(context, Math.min(through, complete.get(context) ?? Infinity));
    return complete;
  }

  private async logWatermarks(client: PoolClient): Promise<Map<string, number>> {
    const { rows } = await client.query<{ source: string; complete_through: string }>(
      `SELECT source, complete_through::text FROM ${this.ref.schema}.log_checkpoints WHERE complete_through IS NOT NULL`,
    );
    return new Map(rows.map((row) => [row.source, Number(row.complete_through)]));
  }

  /** Stored Kafka offsets of this generation (the next offset to read per partition). */
  async storedOffsets(topics: readonly string[]): Promise<Map<string, bigint>> {
    const { rows } = await this.pool.query<{ topic: string; partition: number; next_offset: string }>(
      `SELECT topic, partition, next_offset FROM ${this.ref.schema}.consumer_offsets WHERE topic = ANY($1)`,
      [topics],
    );
    return new Map(rows.map((row) => [`${row.topic}/${row.partition}`, BigInt(row.next_offset)]));
  }

  /** Messages read so far over every partition (the sum of stored Kafka offsets): how far this generation is. */
  async storedTotal(): Promise<number> {
    const { rows } = await this.pool.query<{ total: string }>(`SELECT COALESCE(sum(next_offset), 0)::text AS total FROM ${this.ref.schema}.consumer_offsets`);
    return Number(rows[0].total);
  }

  async logCheckpoint(source: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.ref.schema}.log_checkpoints WHERE source = $1`, [source]);
    return rows[0]?.position ?? null;
  }

  /**
   * Locks the partitions' offset rows for the transaction and returns their stored offsets, with the watermark of
   * every partition of the generation (the others' unlocked: a watermark only grows, so an older value is a true
   * lower bound). A row is created (at 0) the first time this writer meets its partition; afterwards: one statement.
   */
  private async lockOffsets(client: PoolClient, parts: readonly { topic: string; partition: number }[]): Promise<{ stored: Map<string, bigint>; marks: Map<string, PartitionMark> }> {
    const keys = [...new Map(parts.map((p) => [offsetKey(p.topic, p.partition), p])).values()].sort((a, b) =>
      a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition,
    );
    const unknown = keys.filter((k) => !this.knownOffsetRows.has(offsetKey(k.topic, k.partition)));
    if (unknown.length > 0) {
      await client.query(
        `INSERT INTO ${this.ref.schema}.consumer_offsets (topic, partition, next_offset)
         SELECT topic, partition, 0 FROM unnest($1::text[], $2::int[]) AS x(topic, partition) ORDER BY topic, partition ON CONFLICT DO NOTHING`,
        [unknown.map((k) => k.topic), unknown.map((k) => k.partition)],
      );
    }
    const { rows } = await client.query<{ topic: string; partition: number; next_offset: string; locked: boolean; context: string | null; complete_through: string | null; topic_partitions: number | null }>(
      `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::int[]) AS x(topic, partition)),
            locked AS (
              SELECT o.topic, o.partition, o.next_offset, o.context, o.complete_through, o.topic_partitions FROM ${this.ref.schema}.consumer_offsets AS o
                JOIN wanted AS x ON o.topic = x.topic AND o.partition = x.partition
               ORDER BY o.topic, o.partition FOR UPDATE OF o
            )
       SELECT topic, partition, next_offset, true AS locked, context, complete_through::text, topic_partitions FROM locked
       UNION ALL
       SELECT o.topic, o.partition, o.next_offset, false, o.context, o.complete_through::text, o.topic_partitions FROM ${this.ref.schema}.consumer_offsets AS o
        WHERE o.complete_through IS NOT NULL AND NOT EXISTS (SELECT 1 FROM wanted AS x WHERE x.topic = o.topic AND x.partition = o.partition)`,
      [keys.map((k) => k.topic), keys.map((k) => k.partition)],
    );
    const stored = new Map<string, bigint>();
    const marks = new Map<string, PartitionMark>();
    for (const row of rows) {
      const key = offsetKey(row.topic, row.partition);
      if (row.locked) stored.set(key, BigInt(row.next_offset));
      if (row.context !== null && row.complete_through !== null && row.topic_partitions !== null)
        marks.set(key, { topic: row.topic, context: row.context, completeThrough: Number(row.complete_through), partitions: row.topic_partitions });
    }
    // Rows are never deleted while the generation exists: once seen, the INSERT can be skipped.
    for (const key of stored.keys()) this.knownOffsetRows.add(key);
    if (stored.size !== keys.length) {
      this.knownOffsetRows.clear();
      throw new Error(`${this.ref.schema}.consumer_offsets: ${keys.length - stored.size} partition row(s) missing after insert`);
    }
    return { stored, marks };
  }

  /**
   * Time-driven re-evaluation (a rule coming into force, a remittance window ending): the projection's
   * `tick`, in a transaction of its own, queued behind the batches so it never interleaves with one.
   */
  async tick(now: Date): Promise<ProjectionChange[]> {
    const tick = this.projection.tick?.bind(this.projection);
    // A standby instance of an exclusive projection holds no state: the owner ticks.
    if (!tick || !this.owns) return [];
    return this.inTransaction(async (tx) => {
      if (this.needsLoad) {
        await this.projection.load?.(tx);
        this.needsLoad = false;
      }
      return tick(tx, now, { complete: await this.completeness(tx.client) });
    });
  }

  /** When the projection next needs a tick (null: only the periodic one). */
  nextWakeUp(now: Date): Date | null {
    return this.projection.nextWakeUp?.(now) ?? null;
  }

  private inTransaction<T>(work: (tx: ProjectionTransaction) => Promise<T>, fenced = true): Promise<T> {
    // Drivers may call from several feeds at once (one per context log): batches queue up here.
    const run = this.queue.then(() => this.transaction(work, fenced));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * One TypeORM transaction (the projection's repositories join it through `tx.manager`), its search path on the
   * generation's schema; the engine's own statements go on the same connection.
   */
  private async transaction<T>(work: (tx: ProjectionTransaction) => Promise<T>, fenced: boolean): Promise<T> {
    try {
      return await withTransaction(
        this.dataSource,
        async ({ manager, client }) => {
          if (fenced && this.exclusive) await this.assertOwner(client);
          return work({ schema: this.ref.schema, manager, client });
        },
        { schema: this.ref.schema },
      );
    } catch (error) {
      // The projection's in-memory state may hold effects of the rolled-back batch; offset rows it created are gone.
      this.needsLoad = true;
      this.knownOffsetRows.clear();
      throw error;
    }
  }

  /**
   * The fence of an exclusive projection: the stored epoch must be the one this writer claimed. The row stays
   * share-locked until COMMIT, so a new owner's claim waits for this transaction instead of racing it.
   */
  private async assertOwner(client: PoolClient): Promise<void> {
    const held = this.epoch;
    if (held === null) throw new NotOwnerError(this.ref.schema, null, null);
    const { rows } = await client.query<{ epoch: string }>(`SELECT epoch::text AS epoch FROM ${this.ref.schema}.generation_owner WHERE singleton FOR SHARE`);
    const current = rows[0]?.epoch ?? null;
    if (current !== held) {
      this.epoch = null;
      throw new NotOwnerError(this.ref.schema, held, current);
    }
  }

  /** `marked`: the batch moved `context.complete` (a projection that asked for it is then applied even without events). */
  private async applyMessages(tx: ProjectionTransaction, messages: readonly IncomingMessage[], context: ProjectionContext, marked: boolean): Promise<ApplyOutcome> {
    const { client } = tx;
    if (this.needsLoad) {
      await this.projection.load?.(tx);
      this.needsLoad = false;
    }
    const deadLetters: DeadLetter[] = [];
    const events: { event: ProjectedEvent; raw: Buffer | string | null }[] = [];
    for (const message of messages) {
      if (message.kind === 'invalid') deadLetters.push(this.deadLetter(message.source, message.eventId, message.error, message.payload));
      else if (message.kind === 'event') events.push(message);
    }
    const { fresh, duplicates } = await this.claimNewEvents(client, events);
    const { changes, failed } = await this.applyIsolatingFailures(tx, fresh.map((e) => e.event), context);
    if (fresh.length === 0 && marked && this.projection.applyOnCompleteness) {
      const only = await this.tryApply(tx, [], context);
      if (!only.ok) throw new Error(`${this.ref.schema}: apply of a watermark alone failed: ${only.error}`);
      changes.push(...only.changes);
    }
    for (const { event, error } of failed) {
      const payload = payloadText(fresh.find((e) => e.event === event)?.raw ?? null) ?? JSON.stringify(event);
      deadLetters.push(this.deadLetter(event.source, event.eventId, error, payload));
    }
    if (deadLetters.length > 0) {
      await recordDeadLetters(client, deadLetters);
      await this.options.deadLetterPublisher?.publish(deadLetters);
    }
    const streams = new Map<string, number>();
    for (const { event } of fresh) streams.set(event.streamId, Math.max(streams.get(event.streamId) ?? 0, event.version));
    return { applied: fresh.length - failed.length, duplicates, alreadyPast: 0, deadLetters, changes, streams };
  }

  /**
   * Dedupe by stream position. Every stream lives on one partition (its context's topic, keyed by stream id)
   * and the relay publishes it in version order, so the only way a stream goes back is a copy of what was
   * already published (a relay that sent, then crashed before marking the rows sent): an event is new exactly
   * when its version is above the stream's head. One statement reads the heads of the batch's streams and moves
   * them (a row per stream, not per event). Dead-lettered events move the head too, so a redelivered copy is not
   * dead-lettered again. A jump forward (a version missing before it) is applied: blocking the stream would stop
   * the read model for good on one lost message, and the hash chain, not the projection, is what proves a log whole.
   */
  private async claimNewEvents<T extends { event: ProjectedEvent }>(client: PoolClient, events: readonly T[]): Promise<{ fresh: T[]; duplicates: number }> {
    if (events.length === 0) return { fresh: [], duplicates: 0 };
    const batchHeads = new Map<string, number>();
    for (const { event } of events) {
      const seen = batchHeads.get(event.streamId);
      if (seen === undefined || event.version > seen) batchHeads.set(event.streamId, event.version);
    }
    // All sub-statements see one snapshot: `previous` is the heads before this batch. The partitions' offset rows,
    // locked at the start of the transaction, keep any other transaction off these streams until COMMIT.
    const { rows } = await client.query<{ stream_id: string; version: number }>(
      `WITH batch AS (SELECT * FROM unnest($1::text[], $2::int[]) AS b(stream_id, version)),
            previous AS (SELECT h.stream_id, h.version FROM ${this.ref.schema}.stream_heads AS h JOIN batch USING (stream_id)),
            moved AS (
              INSERT INTO ${this.ref.schema}.stream_heads AS h (stream_id, version) SELECT stream_id, version FROM batch
              ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version WHERE h.version < excluded.version
            )
       SELECT stream_id, version FROM previous`,
      [[...batchHeads.keys()], [...batchHeads.values()]],
    );
    const heads = new Map<string, number>();
    for (const row of rows) heads.set(row.stream_id, row.version);
    const fresh: T[] = [];
    for (const e of events) {
      if (e.event.version <= (heads.get(e.event.streamId) ?? 0)) continue;
      heads.set(e.event.streamId, e.event.version);
      fresh.push(e);
    }
    return { fresh, duplicates: events.length - fresh.length };
  }

  /**
   * Applies the whole batch under a savepoint; if it fails, applies each event alone (up to
   * `maxAttempts` times) to find the one at fault, which is dead-lettered while the rest go through.
   */
  private async applyIsolatingFailures(
    tx: ProjectionTransaction,
    events: readonly ProjectedEvent[],
    context: ProjectionContext,
  ): Promise<{ changes: ProjectionChange[]; failed: { event: ProjectedEvent; error: string }[] }> {
    if (events.length === 0) return { changes: [], failed: [] };
    const whole = await this.tryApply(tx, events, context);
    if (whole.ok) return { changes: whole.changes, failed: [] };
    const changes: ProjectionChange[] = [];
    const failed: { event: ProjectedEvent; error: string }[] = [];
    for (const event of events) {
      let lastError = whole.error;
      let done = false;
      for (let attempt = 1; attempt <= this.maxAttempts && !done; attempt++) {
        const alone = await this.tryApply(tx, [event], context);
        if (alone.ok) {
          changes.push(...alone.changes);
          done = true;
        } else lastError = alone.error;
      }
      if (!done) failed.push({ event, error: `apply failed ${this.maxAttempts} times: ${lastError}` });
    }
    return { changes, failed };
  }

  private async tryApply(
    tx: ProjectionTransaction,
    events: readonly ProjectedEvent[],
    context: ProjectionContext,
  ): Promise<{ ok: true; changes: ProjectionChange[] } | { ok: false; error: string }> {
    const { client } = tx;
    await client.query('SAVEPOINT projection_apply');
    try {
      const changes = await this.projection.apply(tx, events, context);
      await client.query('RELEASE SAVEPOINT projection_apply');
      return { ok: true, changes };
    } catch (error) {
      // If the connection itself is gone this throws too, and the whole batch is retried by the driver.
      await client.query('ROLLBACK TO SAVEPOINT projection_apply');
      // The database's trouble, not the event's: the whole batch is retried later instead of dead-lettering
      // healthy events that failed only because the disk was full or a lock wait timed out.
      if (isTransientDatabaseError(error)) throw error;
      await this.projection.load?.(tx);
      return { ok: false, error: describeError(error) };
    }
  }

  private deadLetter(source: MessageSource, eventId: string | null, error: string, payload: string | null): DeadLetter {
    return { projection: this.ref.projection, generation: this.ref.generation, topic: source.topic, partition: source.partition, offset: source.offset, eventId, error, payload };
  }
}

/** A transaction of an exclusive projection's writer that does not (or no longer) own the generation. */
export class NotOwnerError extends Error {
  constructor(
    readonly schema: string,
    readonly held: string | null,
    readonly current: string | null,
  ) {
    super(
      held === null
        ? `${schema}: this instance does not own the exclusive generation`
        : `${schema}: ownership epoch ${held} was superseded by ${current ?? 'none'} (another instance took over)`,
    );
    this.name = 'NotOwnerError';
  }
}

function emptyOutcome(): ApplyOutcome {
  return { applied: 0, duplicates: 0, alreadyPast: 0, deadLetters: [], changes: [], streams: EMPTY_STREAMS };
}

/**
 * SQLSTATEs that say nothing about the event: connection (08), rollback (40: serialization, deadlock),
 * insufficient resources (53), operator intervention (57: cancel, shutdown), system (58), lock not available
 * (55P03).
 */
function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^(08|40|53|57|58)/.test(code) || code === '55P03');
}
