import {
  affectedDataCenters,
  EvaluationCache,
  evolveComplianceState,
  initialComplianceState,
  judgeDataCenterTimeline,
  newDataCenterTimeline,
  nextJudgement,
  rewindDataCenterTimeline,
  RULEBOOK_V1,
  tieOf,
  type ComplianceState,
  type DataCenterTimeline,
  type EvaluationPart,
  type LedgerEnvelope,
  type Rulebook,
} from '@chip-ledger/compliance';
import { jsonRows, tableOf, type TableSql } from '@chip-ledger/persistence';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionTransaction } from '@chip-ledger/projection';
import { performance } from 'node:perf_hooks';
import { IsNull, MoreThan, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { asLedger } from '../shared/events';
import { Pipeline } from '../shared/pipeline';
import { iso } from '../shared/time';
import { FindingEvaluationRecord, FindingRecord, FindingsJournalBatch } from './findings.entities';
import { openFindingOf, rowChanged, rowOf, type FindingRow } from './findings.evolve';
import { FINDINGS_MIGRATIONS } from './findings.migrations';

export const FINDINGS = 'findings';

export interface FindingsOptions {
  readonly rulebook?: Rulebook;
  /** "Now" for `apply` (the engine's clock; tests pin it). `tick` gets its instant from the engine. */
  readonly clock?: () => Date;
}

/** An event as the journal keeps it: where it came from travels with it (the store's position orders ties). */
type JournalledEvent = LedgerEnvelope & { readonly origin?: { readonly context: string; readonly position: number } | null };

/**
 * Compliance findings as a read model: each data center's findings timeline (libs/compliance,
 * `judgeDataCenterTimeline`), a function of the facts alone. Facts are judged in the order the world had them
 * (occurredAt, ties by the store's position), with everything the ledger knows now; a fact that arrives after its
 * data center was judged past its instant (another partition was behind, or it was recorded late) makes the timeline
 * from that instant be judged again: the rows it changes are rewritten, the rows that no longer hold are deleted
 * (ADR 0007, "Findings: a function of the facts"). So the table is the same whatever order Kafka delivered the
 * partitions in, however the batches were cut, and equals a rebuild.
 *
 * Holds a `ComplianceState` in memory (rebuilt by `load` from the journal of applied envelopes in this generation's
 * schema) and, per data center, where its timeline stands (how far it was judged, what is open).
 */
export class FindingsProjection implements Projection {
  readonly name = FINDINGS;
  /**
   * The compliance state needs every event (an organisation's HQ, a licence, a catalog correction judge
   * deliveries on other partitions): one instance at a time runs a generation and owns all its partitions.
   */
  readonly exclusive = true;
  readonly migrations = FINDINGS_MIGRATIONS;
  private readonly rulebook: Rulebook;
  private readonly clock: () => Date;
  /** The set-based statements, built once per generation schema from the entities' metadata. */
  private sql: { schema: string; journal: string; upsertFindings: string; deleteFindings: string; upsertJudgements: string } | null = null;

  private state: ComplianceState = initialComplianceState();
  private readonly folded = new Set<string>();
  private readonly timelines = new Map<string, DataCenterTimeline>();
  /** Per data center, the next instant at which time alone (or a fact dated in the future) asks to judge it. */
  private readonly wakeAt = new Map<string, number | null>();
  /** Per data center, its open rows as written (what a judgement's rows are compared with). */
  private readonly openRows = new Map<string, Map<string, FindingRow>>();
  /** Per-movement verdicts kept across the final judgements at "now" (the only unrestricted, latest ones). */
  private readonly verdicts = new EvaluationCache();

  constructor(options: FindingsOptions = {}) {
    this.rulebook = options.rulebook ?? RULEBOOK_V1;
    this.clock = options.clock ?? (() => new Date());
  }

  async load({ manager }: ProjectionTransaction): Promise<void> {
    this.reset();
    // The journal in seq order (a generation's row-per-event journal of old became the first, negative, seqs).
    const journal = manager.getRepository(FindingsJournalBatch);
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const page = await journal.find({ where: { seq: MoreThan(after) }, order: { seq: 'ASC' }, take: BATCHES_PER_PAGE });
      for (const batch of page) {
        for (const envelope of JSON.parse(batch.envelopes) as JournalledEvent[]) this.fold(envelope);
        after = batch.seq;
      }
      if (page.length < BATCHES_PER_PAGE) break;
    }
    for (const row of await manager.getRepository(FindingRecord).findBy({ closedAt: IsNull() })) {
      this.timelineOf(row.dataCenterId).open.set(`${row.findingId}#${row.severity}`, openFindingOf(row, this.rulebook));
      this.openRowsOf(row.dataCenterId).set(row.id, row);
    }
    for (const judged of await manager.getRepository(FindingEvaluationRecord).find()) {
      const timeline = this.timelineOf(judged.dataCenterId);
      timeline.judgedThrough = Date.parse(judged.evaluatedAt);
      // A generation judged before parts were tracked: everything was judged at its last instant.
      for (const part of PARTS) timeline.lastJudged.set(part, judged.lastJudged?.[part] ?? timeline.judgedThrough);
    }
    for (const dataCenterId of this.state.store.dataCenters.keys()) this.scheduleWake(dataCenterId);
  }

  async apply(tx: ProjectionTransaction, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const now = this.clock().getTime();
    const journal: object[] = [];
    /** Per data center the batch can change, the earliest instant it can change it from. */
    const from = new Map<string, number>();
    for (const event of events) {
      if (this.folded.has(event.eventId)) continue; // the engine dedupes; this keeps the state honest if it did not
      const e = event as unknown as JournalledEvent;
      this.fold(e);
      // As it came, with where it was read (`source`): no copy of each envelope; `load` folds it like any other.
      journal.push(event);
      const at = Date.parse(e.occurredAt);
      for (const dataCenterId of affectedDataCenters(this.state, asLedger(event))) from.set(dataCenterId, Math.min(from.get(dataCenterId) ?? Number.POSITIVE_INFINITY, at));
    }
    if (journal.length === 0) return [];
    const sql = this.statements(tx);
    // Statements go out on this transaction's connection as soon as they are known, and PostgreSQL runs them (in
    // order) while JS judges the next data centers: the journal first, then the findings in chunks.
    const pipeline = new Pipeline();
    // One row for the batch, its envelopes in fold order; seq (identity) orders the batches for load().
    pipeline.send(tx.client.query(sql.journal, [journal.length, JSON.stringify(journal)]));
    return this.judge(tx, pipeline, [...from].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), now);
  }

  async tick(tx: ProjectionTransaction, now: Date): Promise<ProjectionChange[]> {
    const at = now.getTime();
    const due = [...this.wakeAt].filter(([, wake]) => wake !== null && wake <= at).map(([dataCenterId]) => [dataCenterId, Number.POSITIVE_INFINITY] as const);
    if (due.length === 0) return [];
    return this.judge(tx, new Pipeline(), due.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), at);
  }

  /**
   * The next instant at which time alone (or a fact dated in the future) can open or close a finding. May be at or
   * before `now` when such an instant has not been judged yet: tick now.
   */
  nextWakeUp(_now: Date): Date | null {
    let next = Number.POSITIVE_INFINITY;
    for (const wake of this.wakeAt.values()) if (wake !== null && wake < next) next = wake;
    return Number.isFinite(next) ? new Date(next) : null;
  }

  /** Read-only access for tests and diagnostics. */
  complianceState(): ComplianceState {
    return this.state;
  }

  /**
   * Judges each data center through `now`, from the instant given for it when that is at or before what it was judged
   * through already (the rows from there are read back, and those the judgement does not give again are deleted).
   */
  private async judge(tx: ProjectionTransaction, pipeline: Pipeline, dataCenters: readonly (readonly [string, number])[], now: number): Promise<ProjectionChange[]> {
    const { client } = tx;
    const sql = this.statements(tx);
    const changes: ProjectionChange[] = [];
    const judged: Pick<FindingEvaluationRecord, 'dataCenterId' | 'evaluatedAt' | 'lastJudged'>[] = [];
    let rows: FindingRow[] = [];
    const pause = pauser();
    for (const [dataCenterId, changedFrom] of dataCenters) {
      const timeline = this.timelineOf(dataCenterId);
      const before = this.openRowsOf(dataCenterId);
      const owner = this.ownerOf(dataCenterId);
      let retracted: FindingRow[] = [];
      if (changedFrom <= timeline.judgedThrough) {
        // Rows written by this batch's earlier statements must be visible to this read: drain first.
        await pipeline.drain();
        const overlapping = await overlappingRows(tx.manager, dataCenterId, iso(changedFrom));
        rewindDataCenterTimeline(
          timeline,
          changedFrom,
          overlapping.filter((r) => Date.parse(r.openedAt) < changedFrom).map((r) => openFindingOf(r, this.rulebook)),
        );
        retracted = overlapping.filter((r) => Date.parse(r.openedAt) >= changedFrom);
        before.clear();
        for (const r of overlapping) before.set(r.id, r);
      }
      const { intervals, next } = await judgeDataCenterTimeline(this.state, this.rulebook, timeline, now, { cache: this.verdicts, pause });
      const after = new Map<string, FindingRow>();
      for (const interval of intervals) {
        const row = rowOf(interval, owner, now);
        const previous = before.get(row.id);
        if (interval.closedAt === null) after.set(row.id, row);
        if (!rowChanged(row, previous)) continue;
        rows.push(row);
        if (previous === undefined) changes.push(change('finding.opened', row));
        if (row.closedAt !== null) changes.push(change('finding.closed', row));
        else if (previous !== undefined) changes.push(change('finding.updated', row));
      }
      const kept = new Set(intervals.map((i) => rowOf(i, owner, now).id));
      const gone = retracted.filter((r) => !kept.has(r.id));
      if (gone.length > 0) {
        // Under what the ledger knows now, these never held (a fact from another partition, or recorded late, says so).
        pipeline.send(client.query(sql.deleteFindings, [gone.map((r) => r.id)]));
        for (const r of gone) changes.push(change('finding.retracted', r));
      }
      this.openRows.set(dataCenterId, after);
      judged.push({ dataCenterId, evaluatedAt: iso(timeline.judgedThrough), lastJudged: Object.fromEntries(timeline.lastJudged) });
      this.wakeAt.set(dataCenterId, next);
      if (rows.length >= FINDINGS_PER_STATEMENT) {
        pipeline.send(client.query(sql.upsertFindings, [jsonRows(rows)]));
        rows = [];
      }
    }
    if (rows.length > 0) pipeline.send(client.query(sql.upsertFindings, [jsonRows(rows)]));
    if (judged.length > 0) pipeline.send(client.query(sql.upsertJudgements, [jsonRows(judged)]));
    await pipeline.drain();
    return changes;
  }

  /**
   * The batch's statements, names from the entities' metadata: findings upserted with what a later judgement can
   * change (never the identity of the interval), judgements replaced, retracted intervals deleted.
   */
  private statements({ manager, schema }: ProjectionTransaction): NonNullable<FindingsProjection['sql']> {
    if (this.sql?.schema === schema) return this.sql;
    const findings = tableOf(manager, FindingRecord, schema);
    const journal = tableOf(manager, FindingsJournalBatch, schema);
    const evaluations: TableSql<FindingEvaluationRecord> = tableOf(manager, FindingEvaluationRecord, schema);
    const incoming = 'incoming' as const;
    this.sql = {
      schema,
      journal: `INSERT INTO ${journal.name} (${journal.column('events')}, ${journal.column('envelopes')}) VALUES ($1, $2)`,
      upsertFindings: findings.upsert({
        update: {
          certainty: incoming,
          ownerOrganisationId: incoming,
          count: incoming,
          evidence: incoming,
          message: incoming,
          acknowledged: incoming,
          occurredAt: incoming,
          closedAt: incoming,
          updatedAt: incoming,
        },
      }),
      deleteFindings: `DELETE FROM ${findings.name} WHERE ${findings.column('id')} = ANY($1::text[])`,
      upsertJudgements: evaluations.upsert({ update: { evaluatedAt: incoming, lastJudged: incoming } }),
    };
    return this.sql;
  }

  private fold(e: JournalledEvent): void {
    if (this.folded.has(e.eventId)) return;
    this.state = evolveComplianceState(this.state, e, tieOf(e.origin, e.eventId));
    this.folded.add(e.eventId);
  }

  private reset(): void {
    this.state = initialComplianceState();
    this.folded.clear();
    this.timelines.clear();
    this.wakeAt.clear();
    this.openRows.clear();
    this.verdicts.clear();
  }

  private timelineOf(dataCenterId: string): DataCenterTimeline {
    let timeline = this.timelines.get(dataCenterId);
    if (!timeline) this.timelines.set(dataCenterId, (timeline = newDataCenterTimeline(dataCenterId)));
    return timeline;
  }

  private openRowsOf(dataCenterId: string): Map<string, FindingRow> {
    let rows = this.openRows.get(dataCenterId);
    if (!rows) this.openRows.set(dataCenterId, (rows = new Map()));
    return rows;
  }

  private scheduleWake(dataCenterId: string): void {
    this.wakeAt.set(dataCenterId, nextJudgement(this.state, this.rulebook, dataCenterId, this.timelineOf(dataCenterId).judgedThrough));
  }

  private ownerOf(dataCenterId: string): string | null {
    const regs = this.state.store.dataCenters.get(dataCenterId)?.registrations ?? [];
    return regs.length > 0 ? regs[regs.length - 1].ownerOrganisationId : null;
  }
}

const PARTS: readonly EvaluationPart[] = ['acts', 'remittance', 'balance', 'cn', 'prc', 'rentals'];

/** The stored intervals of a data center still open at `from` or after it (those a judgement from `from` may change). */
const overlappingRows = (manager: EntityManager, dataCenterId: string, from: string): Promise<FindingRecord[]> =>
  manager.getRepository(FindingRecord).find({ where: [{ dataCenterId, closedAt: IsNull() }, { dataCenterId, closedAt: MoreThanOrEqual(from) }] });

/** Finding rows per upsert statement while a batch is judged (each carries its evidence list). */
const FINDINGS_PER_STATEMENT = 1_000;

/** Journal batch rows read per round trip by `load` (each up to a catch-up transaction's envelopes). */
const BATCHES_PER_PAGE = 4;

/** Longest stretch of judging without giving the event loop a turn. */
const SLICE_MS = 50;

/**
 * Judging every data center a big batch touched takes seconds while a replay catches up. Between judgements, once
 * per SLICE_MS, the returned function yields to the event loop, so the Kafka consumer's heartbeats (timers) and the
 * lease's pings still run: a batch that holds the loop longer than the session timeout gets the consumer thrown out
 * of its group, and the rebalance costs a `load` of the whole journal. Nothing else touches this projection's state
 * meanwhile: the writer runs its batches and ticks one at a time.
 */
const pauser = (): (() => Promise<void>) => {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
};

const change = (kind: string, row: FindingRow): ProjectionChange => ({
  projection: FINDINGS,
  kind,
  dataCenterId: row.dataCenterId,
  organisationId: row.ownerOrganisationId,
  payload: {
    id: row.id,
    findingId: row.findingId,
    ruleId: row.ruleId,
    severity: row.severity,
    certainty: row.certainty,
    modelId: row.modelId,
    count: row.count,
    openedAt: row.openedAt,
    closedAt: row.closedAt,
  },
});
