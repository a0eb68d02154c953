import { poolOf } from '@chip-ledger/persistence';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { GenerationRegistry, type GenerationRecord, type LogEnd } from '../generations/generation-registry';
import type { Projection, ProjectionChange, ProjectionFactory } from '../projection.port';
import type { ProjectionRunner, RunnerStatus } from '../runner/projection-runner.port';
import { AppliedWaiters } from './applied-waiters';
import { ExclusiveRunner } from './exclusive-runner';
import { countDeadLetters, listDeadLetters, type DeadLetterPublisher, type DeadLetterRecord, type ListDeadLettersQuery } from './dead-letters';
import { GenerationWriter, type ApplyOutcome } from './generation-writer';
import type { ConsumptionLag, ProjectionSource } from './projection-source.port';
import { assertProjectionName } from './sql-names';

/** A rebuild's progress, for the API and the CLI. */
export interface RebuildProgress {
  readonly projection: string;
  readonly generation: number;
  readonly state: 'building' | 'active' | 'retired';
  /** Messages (Kafka offsets) or events (PostgreSQL log) read so far, up to `total`. */
  readonly done: number;
  /** The log's size when the rebuild started. */
  readonly total: number;
  /** Events per second since the rebuild started. */
  readonly rate: number;
  /** Seconds left at that rate; null while nothing was read yet; 0 when done. */
  readonly etaSeconds: number | null;
  readonly startedAt: string;
  readonly activatedAt: string | null;
}

/** How one projection this instance runs is doing, for health checks (its active generation). */
export interface ProjectionHealth {
  readonly projection: string;
  readonly generation: number;
  readonly status: RunnerStatus;
  /** Null when it could not be measured (`error` says why: the database or Kafka unreachable). */
  readonly lag: ConsumptionLag | null;
  readonly error: string | null;
}

/** How far one generation this instance runs is behind its log. */
export interface GenerationLag {
  readonly projection: string;
  readonly generation: number;
  readonly state: 'building' | 'active';
  /** Messages (Kafka) or events (PostgreSQL log) not applied yet. */
  readonly behind: number;
}

/**
 * What a command returned, to wait for before reading: the heads of the context stores when it had committed
 * (context → global position; applied once the generation's watermark of each context has reached it, ADR 0019), or
 * (deprecated) the version its stream reached.
 */
export type ReadYourWritesToken = { readonly heads: ReadonlyMap<string, number> } | { readonly streamId: string; readonly version: number };

export interface ProjectionEngineOptions {
  /** The process's one DataSource: its pool runs the engine's SQL, its migration runner the generations' schemas. */
  readonly dataSource: DataSource;
  readonly source: ProjectionSource;
  readonly projections: readonly ProjectionFactory[];
  /**
   * The projections whose generations this instance consumes (default: every one of `projections`). The
   * others are still known here (active schema, rebuild, progress, read-your-writes: all read from the shared
   * registry and tables) and are run by another instance: a process or a worker thread of their own, so a
   * costly read model (findings) does not hold the cheap ones back on one event loop.
   */
  readonly run?: readonly string[];
  readonly deadLetterPublisher?: DeadLetterPublisher;
  /** How often generations are reconciled (rebuild progress, switch, runners); default 1 s. */
  readonly reconcileIntervalMs?: number;
  /** How long a retired generation's schema stays for readers that resolved it before the switch; default 60 s. */
  readonly retiredGraceMs?: number;
  readonly maxApplyAttempts?: number;
  readonly onChanges?: (changes: readonly ProjectionChange[]) => void;
  readonly onError?: (error: unknown) => void;
  /**
   * How far (in messages, summed over partitions) an active generation may be behind the furthest of this
   * instance's active shared generations and still join their shared consumer (default 20,000). One further
   * behind (a read model deployed next to running ones, starting from 0) reads on its own consumer until it is
   * within this distance: joining at once would seek the shared consumer back to its position, and the others
   * would see nothing new until it had caught up.
   */
  readonly sharedLagLimit?: number;
  /** Longest time between two ticks of a projection that has `tick` (default 60 s). */
  readonly maxTickIntervalMs?: number;
  /**
   * Exclusive projections (`Projection.exclusive`): how often a standby instance tries to take a generation
   * over, and the owner checks its lease (default 1 s); and how often the lock's connection is pinged (default 2 s).
   */
  readonly exclusive?: { readonly pollMs?: number; readonly heartbeatMs?: number };
}

/**
 * Runs every projection's active (and building) generation from one source, rebuilds blue/green and
 * answers the read side's questions (`activeSchema`, `waitFor`, progress, dead letters). Instances sharing
 * a database converge through the registry: each reconciles its runners with it.
 */
export class ProjectionEngine {
  readonly registry: GenerationRegistry;
  private readonly factories = new Map<string, ProjectionFactory>();
  private readonly runners = new Map<string, RunnerEntry>();
  private readonly appliedWaiters = new AppliedWaiters<ReadYourWritesToken>((projection, tokens) => this.appliedOf(projection, tokens));
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> = Promise.resolve();
  private stopped = false;
  private deployment: string | null = null;
  /** Per generation: when its projection's next tick is due. */
  private readonly tickDue = new Map<string, number>();

  private readonly pool: Pool;

  constructor(private readonly options: ProjectionEngineOptions) {
    this.pool = poolOf(options.dataSource);
    this.registry = new GenerationRegistry(options.dataSource);
    for (const factory of options.projections) this.factories.set(assertProjectionName(factory().name), factory);
    for (const name of options.run ?? []) if (!this.factories.has(name)) throw new Error(`run: unknown projection ${name}`);
  }

  async start(): Promise<void> {
    await this.registry.migrate();
    this.deployment = await this.registry.deploymentId();
    await this.options.source.start?.({ deploymentId: this.deployment });
    for (const [name, factory] of this.factories) await this.registry.ensureActive(withName(factory(), name));
    await this.reconcile();
    const interval = this.options.reconcileIntervalMs ?? 1_000;
    this.timer = setInterval(() => void this.scheduleReconcile(), interval);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.appliedWaiters.cancelAll();
    await this.reconciling;
    await Promise.all([...this.runners.values()].map(({ runner }) => runner.stop()));
    this.runners.clear();
    await this.options.source.stop?.();
  }

  /** The read-model store's deployment id (ADR 0006), known once started. */
  get deploymentId(): string | null {
    return this.deployment;
  }

  /** The schema readers must query for `projection` now. */
  async activeSchema(projection: string): Promise<string> {
    const active = await this.registry.active(projection);
    if (!active) throw new Error(`Projection ${projection} has no active generation (engine not started?)`);
    return active.schema;
  }

  /** Starts building generation n+1 from offset 0 while n keeps serving; returns its first progress. */
  async rebuild(projection: string): Promise<RebuildProgress> {
    const factory = this.factoryOf(projection);
    const end = await this.options.source.captureEnd();
    const record = await this.registry.createBuilding(factory(), end);
    await this.scheduleReconcile();
    return (await this.progress(projection, record.generation)) as RebuildProgress;
  }

  /** The latest rebuild's progress (the building generation, else the newest), or one generation's. */
  async progress(projection: string, generation?: number): Promise<RebuildProgress | null> {
    const generations = await this.registry.list(projection);
    const record = generation === undefined ? (generations.find((g) => g.state === 'building') ?? generations.filter((g) => g.target).at(-1)) : generations.find((g) => g.generation === generation);
    if (!record?.target) return null;
    const writer = this.writerOf(record);
    const measured = record.state === 'building' ? await this.options.source.measure(writer, record.target) : { done: record.target.total, caughtUp: true };
    const done = Math.min(measured.done, record.target.total);
    const seconds = Math.max(((record.activatedAt ?? new Date()).getTime() - record.createdAt.getTime()) / 1000, 0.001);
    const rate = done / seconds;
    return {
      projection,
      generation: record.generation,
      state: record.state,
      done,
      total: record.target.total,
      rate: Math.round(rate * 10) / 10,
      etaSeconds: done >= record.target.total ? 0 : rate > 0 ? Math.ceil((record.target.total - done) / rate) : null,
      startedAt: record.createdAt.toISOString(),
      activatedAt: record.activatedAt?.toISOString() ?? null,
    };
  }

  /**
   * Read-your-writes: resolves true once the token's event is applied (or dead-lettered) by the active
   * generation of `projection` (of every projection when omitted), false after `timeoutMs` (default 5 s).
   */
  waitFor(tokens: ReadYourWritesToken | readonly ReadYourWritesToken[], options: { projection?: string; timeoutMs?: number } = {}): Promise<boolean> {
    const list = Array.isArray(tokens) ? (tokens as readonly ReadYourWritesToken[]) : [tokens as ReadYourWritesToken];
    const projections = options.projection ? [options.projection] : [...this.factories.keys()];
    return this.appliedWaiters.wait(projections, list, options.timeoutMs ?? 5_000);
  }

  listDeadLetters(query: ListDeadLettersQuery = {}): Promise<DeadLetterRecord[]> {
    return listDeadLetters(this.pool, query);
  }

  status(): RunnerStatus[] {
    return [...this.runners.values()].map(({ runner, startError }) => {
      const status = runner.status();
      // A runner that could not start (Kafka or PostgreSQL unreachable) is started again at the next reconcile.
      return startError === null ? status : { ...status, state: 'failed' as const, lastError: `start failed: ${startError}` };
    });
  }

  /**
   * The active generation of every projection this instance runs: its runner's state and its lag, measured now
   * (for `/health`). Building generations are left out: a rebuild is behind by design.
   */
  async health(): Promise<ProjectionHealth[]> {
    const active = [...this.runners.entries()].filter(([, entry]) => entry.record.state === 'active');
    const statuses = new Map(this.status().map((status) => [`${status.projection}#${status.generation}`, status]));
    return Promise.all(
      active.map(async ([key, { record }]): Promise<ProjectionHealth> => {
        const status = statuses.get(key) as RunnerStatus;
        try {
          const lag = await this.options.source.lag(this.writerOf(record), status.groupId);
          return { projection: record.projection, generation: record.generation, status, lag, error: null };
        } catch (error) {
          return { projection: record.projection, generation: record.generation, status, lag: null, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }

  /**
   * The lag of every generation this instance runs and owns (a standby of an exclusive projection reports
   * nothing: its owner does), against the log's end now. One read of the log's end for all of them.
   */
  async lag(): Promise<GenerationLag[]> {
    const owned = [...this.runners.values()].map(({ record }) => record).filter((record) => this.writerOf(record).owns && record.state !== 'retired');
    if (owned.length === 0) return [];
    const end = await this.options.source.captureEnd();
    return Promise.all(
      owned.map(async (record) => ({
        projection: record.projection,
        generation: record.generation,
        state: record.state as GenerationLag['state'],
        behind: await this.options.source.behind(this.writerOf(record), end),
      })),
    );
  }

  /** Dead letters kept per projection, over every instance and generation. */
  deadLetterCounts(): Promise<Map<string, number>> {
    return countDeadLetters(this.pool);
  }

  /** One reconcile pass now (tests and the CLI use it instead of waiting for the timer). */
  scheduleReconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => (this.stopped ? undefined : this.reconcile())).catch((error: unknown) => this.options.onError?.(error));
    return this.reconciling;
  }

  private async reconcile(): Promise<void> {
    // Runners start together at the end of the pass: a source sharing one consumer between generations
    // (KafkaSharedFeed) then joins its group once for all of them.
    const toStart: GenerationRecord[] = [];
    const live: GenerationRecord[] = [];
    for (const name of this.factories.keys()) {
      if (!this.runs(name)) continue;
      let generations = await this.registry.list(name);
      const building = generations.find((g) => g.state === 'building');
      if (building?.target && (await this.caughtUpWithLive(building))) {
        if (await this.registry.activate(name, building.generation)) generations = await this.registry.list(name);
      }
      // Every runner learns its generation's state before any is stopped: while a retired one stops, the one that took
      // over already counts as active (health would otherwise see none for that moment).
      for (const record of generations) {
        const running = this.runners.get(keyOf(record));
        if (running) running.record = record;
      }
      for (const record of generations) {
        const key = keyOf(record);
        let running = this.runners.get(key);
        if (running && running.startError !== null) {
          // Its start failed (a dependency was down): start it afresh below.
          this.runners.delete(key);
          await running.runner.stop().catch(() => undefined);
          running = undefined;
        }
        const wanted = record.state === 'building' || record.state === 'active';
        if (wanted) live.push(record);
        if (wanted && !running) toStart.push(record);
        if (!wanted && running) {
          this.runners.delete(key);
          await running.runner.stop();
        }
        if (running) running.record = record;
      }
      await this.registry.dropRetired(name, this.options.retiredGraceMs ?? 60_000);
    }
    const sharing = await this.sharingOf(live);
    // A generation reading on its own that may now share (a rebuilt one that took over, or one that was far behind
    // and has caught up) joins the others; offsets are in PostgreSQL, so the restart loses nothing. A shared one is
    // never sent away again (it would flap around the limit).
    for (const [key, entry] of [...this.runners]) {
      if (entry.shared || !sharing.get(key)) continue;
      // Its entry stays until startRunner replaces it: the generation is never without a runner to report on.
      await entry.runner.stop();
      toStart.push(entry.record);
    }
    await Promise.all(toStart.map((record) => this.startRunner(record, sharing.get(keyOf(record)) === true)));
    await this.tickDueProjections(new Date());
  }

  /**
   * Which live generations ride on the source's shared consumer: the active, non-exclusive ones (Kafka) that are
   * within `sharedLagLimit` messages of the furthest of them. A building one reads from 0 on its own.
   */
  private async sharingOf(live: readonly GenerationRecord[]): Promise<Map<string, boolean>> {
    const sharing = new Map<string, boolean>();
    const candidates = live.filter((record) => record.state === 'active' && this.sharesConsumption(record));
    // Nothing to decide (every candidate already rides on the shared consumer): no queries on this 1 s loop.
    if (candidates.every((record) => this.runners.get(keyOf(record))?.shared)) {
      for (const record of candidates) sharing.set(keyOf(record), true);
      return sharing;
    }
    const read = await Promise.all(candidates.map((record) => this.writerOf(record).storedTotal()));
    const furthest = Math.max(...read);
    const limit = this.options.sharedLagLimit ?? 20_000;
    candidates.forEach((record, i) => sharing.set(keyOf(record), furthest - read[i] <= limit));
    return sharing;
  }

  /**
   * Whether a building generation may take over. Reaching the log's end captured when the rebuild began is not
   * enough: the active generation kept consuming meanwhile, and a switch then would take reads back in time by
   * everything recorded during the rebuild. So once it reaches that end, the log's end is captured again, and
   * the generation switches at a later reconcile once it has reached that one too: at most about one reconcile
   * interval (1 s) behind the live log, like the generation it replaces.
   */
  private async caughtUpWithLive(building: GenerationRecord): Promise<boolean> {
    const writer = this.writerOf(building);
    if (!building.target || !(await this.options.source.measure(writer, building.target)).caughtUp) return false;
    const key = keyOf(building);
    const chased = this.chaseTargets.get(key);
    if (chased && (await this.options.source.measure(writer, chased)).caughtUp) {
      this.chaseTargets.delete(key);
      return true;
    }
    this.chaseTargets.set(key, await this.options.source.captureEnd());
    return false;
  }

  /** Per building generation: the log's end captured after it reached its rebuild target (see caughtUpWithLive). */
  private readonly chaseTargets = new Map<string, LogEnd>();

  /**
   * Calls `tick` on every running generation whose wake-up time has come (its own `nextWakeUp`, or the
   * periodic maximum): findings that open or close because time passed appear without waiting for an event.
   */
  private async tickDueProjections(now: Date): Promise<void> {
    const maxInterval = this.options.maxTickIntervalMs ?? 60_000;
    for (const [key, { record }] of this.runners) {
      const writer = this.writerOf(record);
      if (!writer.owns) {
        // A standby of an exclusive projection: the owner ticks; after a takeover, tick at once.
        this.tickDue.delete(key);
        continue;
      }
      const due = this.tickDue.get(key) ?? 0;
      if (now.getTime() < due) continue;
      const changes = await writer.tick(now);
      if (changes.length > 0 && record.state === 'active') this.options.onChanges?.(changes);
      const wakeUp = writer.nextWakeUp(now)?.getTime() ?? Infinity;
      this.tickDue.set(key, Math.min(now.getTime() + maxInterval, Math.max(wakeUp, now.getTime() + 1)));
    }
  }

  private async startRunner(record: GenerationRecord, shared: boolean): Promise<void> {
    const writer = this.writerOf(record);
    const source = this.options.source;
    // An exclusive projection's generation runs on the instance holding its lease; the others stand by.
    const runner = writer.exclusive
      ? new ExclusiveRunner({
          pool: this.pool,
          writer,
          driver: source.driver,
          createRunner: () => source.createRunner(writer),
          pollMs: this.options.exclusive?.pollMs,
          heartbeatMs: this.options.exclusive?.heartbeatMs,
          onError: this.options.onError,
        })
      : // Active generations share the source's consumption (one fetch and decode for all; see sharingOf).
        source.createRunner(writer, { shared });
    runner.onCommitted((outcome) => this.committed(keyOf(record), outcome));
    const entry: RunnerEntry = { runner, record, shared, startError: null };
    this.runners.set(keyOf(record), entry);
    try {
      await runner.start();
    } catch (error) {
      // Not fatal: the next reconcile starts it again. Once started, runners keep themselves going.
      entry.startError = error instanceof Error ? error.message : String(error);
      this.options.onError?.(error);
    }
  }

  private readonly writers = new Map<string, GenerationWriter>();

  private writerOf(record: GenerationRecord): GenerationWriter {
    const key = keyOf(record);
    let writer = this.writers.get(key);
    if (!writer) {
      writer = new GenerationWriter(this.options.dataSource, withName(this.factoryOf(record.projection)(), record.projection), record, {
        maxAttempts: this.options.maxApplyAttempts,
        deadLetterPublisher: this.options.deadLetterPublisher,
      });
      this.writers.set(key, writer);
    }
    return writer;
  }

  /**
   * Changes go out (SSE) only from the generation that serves reads: a building one replays the whole history,
   * and clients would see long-closed findings open again. Its record is refreshed at every reconcile.
   */
  private committed(key: string, outcome: ApplyOutcome): void {
    if (outcome.changes.length > 0 && this.runners.get(key)?.record.state === 'active') this.options.onChanges?.(outcome.changes);
    this.appliedWaiters.kick();
  }

  /**
   * Which tokens the active generation of `projection` has applied (or dead-lettered): one query for all stream
   * tokens, one for the watermarks of all ledger tokens.
   */
  private async appliedOf(projection: string, tokens: readonly ReadYourWritesToken[]): Promise<boolean[]> {
    const record = await this.registry.active(projection);
    if (!record) throw new Error(`Projection ${projection} has no active generation (engine not started?)`);
    const schema = record.schema;
    const applied = tokens.map(() => false);
    const streams = tokens.flatMap((t, i) => ('streamId' in t ? [{ ...t, i }] : []));
    if (streams.length > 0) {
      const { rows } = await this.pool.query<{ i: number }>(
        `SELECT t.i::int AS i FROM unnest($1::text[], $2::int[], $3::int[]) AS t(stream_id, version, i)
          WHERE EXISTS (SELECT 1 FROM ${schema}.stream_heads h WHERE h.stream_id = t.stream_id AND h.version >= t.version)`,
        [streams.map((t) => t.streamId), streams.map((t) => t.version), streams.map((t) => t.i)],
      );
      for (const row of rows) applied[row.i] = true;
    }
    if (streams.length < tokens.length) {
      const complete = await this.writerOf(record).completeness();
      // A head of 0: that store had no event when the write committed, so there is nothing to wait for.
      tokens.forEach((t, i) => {
        if ('heads' in t) applied[i] = [...t.heads].every(([context, head]) => head <= 0 || (complete.get(context) ?? -1) >= head);
      });
    }
    return applied;
  }

  /**
   * Per context, the global position through which the active generation of `projection` has applied every event
   * (ADR 0019): what a ledger token waits on.
   */
  async completeness(projection: string): Promise<ReadonlyMap<string, number>> {
    const record = await this.registry.active(projection);
    if (!record) throw new Error(`Projection ${projection} has no active generation (engine not started?)`);
    return this.writerOf(record).completeness();
  }

  /** Whether the generation may ride on the source's shared consumption (a source that has one; not exclusive). */
  private sharesConsumption(record: GenerationRecord): boolean {
    return this.options.source.sharesConsumption === true && !this.writerOf(record).exclusive;
  }

  /** Whether this instance consumes `projection` (`run`). */
  private runs(projection: string): boolean {
    return this.options.run === undefined || this.options.run.includes(projection);
  }

  private factoryOf(projection: string): ProjectionFactory {
    const factory = this.factories.get(projection);
    if (!factory) throw new Error(`Unknown projection ${projection}`);
    return factory;
  }
}

const keyOf = (record: { projection: string; generation: number }): string => `${record.projection}#${record.generation}`;

interface RunnerEntry {
  readonly runner: ProjectionRunner;
  record: GenerationRecord;
  readonly shared: boolean;
  /** Why its `start()` failed, until the reconcile that starts it again. */
  startError: string | null;
}

function withName(projection: Projection, name: string): Projection {
  if (projection.name !== name) throw new Error(`Projection factory for ${name} built ${projection.name}`);
  return projection;
}
