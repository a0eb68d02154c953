import type { EventEnvelope } from '@chip-ledger/domain';
import type { PoolClient } from 'pg';
import type { EntityManager, MigrationInterface } from 'typeorm';

/**
 * The contract between the projection engine (libs/projection: consumers, offsets, dedupe, dead letters,
 * rebuilds) and the read models (libs/read-models: tables, SQL, compliance). A read model never sees Kafka
 * or offsets; the engine never knows what a read model stores.
 */

/** An event as a projection receives it: the envelope (upcast to the current schema) and its log position. */
export interface ProjectedEvent extends EventEnvelope {
  /** Where the engine read it: a Kafka topic/partition/offset, or the PostgreSQL log ('pg:<schema>', 0, position). */
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  /**
   * Where it was recorded: its context's store (procurement, rental, audit) and its global position there. The same
   * whichever form delivered it (Kafka headers, or the PostgreSQL log itself), so a total order of facts that does
   * not depend on delivery. Null for a Kafka message without the headers (published before they existed).
   */
  readonly origin: { readonly context: string; readonly position: number } | null;
}

/**
 * What the engine knows of the log as a batch (or tick) runs, beyond its events (ADR 0019).
 */
export interface ProjectionContext {
  /**
   * Per context (procurement, rental, audit): the global position through which every event of that context's store
   * has been applied to this generation, this batch included. Every fact with an `origin` at or below it is known;
   * a fact above it may still be missing an earlier one on another partition. A context is absent until the engine
   * has proven a position for it (a watermark marker on each of its topic's partitions, or the log feed's).
   */
  readonly complete: ReadonlyMap<string, number>;
}

/**
 * The engine's transaction for one batch (or tick) of one generation, handed to the read model: the offsets, the
 * stream heads and the read model's rows commit together.
 */
export interface ProjectionTransaction {
  /** The generation's schema; unqualified names resolve to it for the whole transaction (its search path). */
  readonly schema: string;
  /** TypeORM on this transaction: the read model's repositories and query builders read and write its tables. */
  readonly manager: EntityManager;
  /**
   * The same transaction's pg connection, for set-based writes TypeORM has no builder for (`TableSql` from
   * `@chip-ledger/persistence`: one statement per table per batch, names from the entity metadata).
   */
  readonly client: PoolClient;
}

/** What changed, for the server-sent-events stream (finding opened/closed, chip mix changed...). */
export interface ProjectionChange {
  readonly projection: string;
  readonly kind: string;
  readonly dataCenterId: string | null;
  readonly organisationId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * One read model. The engine creates one instance per generation (blue/green rebuilds run two side by
 * side), runs its `migrations` in the generation's schema, `load` once before the first batch, then `apply`
 * for every batch of NEW events (already deduplicated by event id, in log order per stream) inside the
 * transaction that also stores the consumer offsets: a crash at any point neither loses nor doubles a fact.
 */
export interface Projection {
  readonly name: string;
  /**
   * One active consumer at a time, for a projection whose in-memory state needs EVERY event (the findings'
   * compliance state: an organisation's HQ on one partition judges deliveries on another). The engine runs
   * each generation of it on one instance only, which owns all partitions: the instance holding a
   * PostgreSQL advisory lock for the generation (keyed by its schema), fenced by an ownership epoch checked
   * in every transaction. Other instances stand by and take over when it stops or dies. Default false:
   * order-independent projections share the partitions of their consumer group between instances.
   */
  readonly exclusive?: boolean;
  /**
   * The read model's tables: TypeORM migrations run in every generation's schema (unqualified names resolve to it) and
   * recorded there next to the engine's own. Names unique among the read model's, ending in a 13-digit timestamp.
   */
  readonly migrations: readonly MigrationInterface[];
  /** Rows every generation starts with (e.g. the shipped catalog), written after the migrations, idempotently. */
  seed?(tx: ProjectionTransaction): Promise<void>;
  /**
   * Restore in-memory state (e.g. the compliance state) from this generation's tables. Called before the
   * first batch and again after any rolled-back apply and after every Kafka partition assignment, inside
   * the transaction of the next batch: in-memory state must be rebuildable from the tables alone.
   */
  load?(tx: ProjectionTransaction): Promise<void>;
  /**
   * `context.complete`: how far each context is known whole once this batch is applied (see {@link ProjectionContext}).
   * `events` is empty only for a projection that asked for `applyOnCompleteness` and a batch that moved nothing but it.
   */
  apply(tx: ProjectionTransaction, events: readonly ProjectedEvent[], context?: ProjectionContext): Promise<ProjectionChange[]>;
  /**
   * Also call `apply`, with no events, when a batch brought only watermark markers that moved `context.complete`
   * (a projection holding back judgement until the facts before it are known). Default false.
   */
  readonly applyOnCompleteness?: boolean;
  /**
   * Time alone can change the answer (a rule coming into force, a 90-day remittance window ending): the
   * engine calls `tick` at `nextWakeUp()` (and at least every minute), in a transaction of its own.
   * `context.complete` as stored by the last batch.
   */
  tick?(tx: ProjectionTransaction, now: Date, context?: ProjectionContext): Promise<ProjectionChange[]>;
  nextWakeUp?(now: Date): Date | null;
}

/** Builds a fresh instance for a generation. */
export type ProjectionFactory = () => Projection;
