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
import type { Projection, ProjectedEvent, ProjectionChange } from '@chip-ledger/projection';
import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import { asLedger } from '../shared/events';
import { Pipeline } from '../shared/pipeline';
import { asJsonRows, iso } from '../shared/sql';
import { openFindingOf, rowChanged, rowOf, type FindingRow } from './findings.evolve';
import { findingsDdl, findingsTables } from './findings.table';

export const FINDINGS = 'findings';

export interface FindingsOptions {
  readonly rulebook?: Rulebook;
  /** "Now" for `apply` (the engine's clock; tests pin it). `tick` gets its instant from the engine. */
  readonly clock?: () => Date;
  /** Rows of the row-per-event journal (generations written before journal batches) read per round trip by `load`. */
  readonly loadPageSize?: number;
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
  private readonly rulebook: Rulebook;
  private readonly clock: () => Date;
  private readonly pageSize: number;

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
    this.pageSize = options.loadPageSize ?? 10_000;
  }

  async migrate(client: PoolClient, schema: string): Promise<void> {
    await client.query(findingsDdl(schema));
  }

  async load(client: PoolClient, schema: string): Promise<void> {
    const t = findingsTables(schema);
    this.reset();
    // A generation written before the journal had a row per batch: its row-per-event journal comes first.
    const legacy = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [t.journal]);
    if (legacy.rows[0]?.present) {
      let after = 0;
      for (;;) {
        const page = await client.query<{ seq: string; envelope: JournalledEvent }>(`SELECT seq, envelope FROM ${t.journal} WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, this.pageSize]);
        for (const row of page.rows) {
          this.fold(row.envelope);
          after = Number(row.seq);
        }
        if (page.rows.length < this.pageSize) break;
      }
    }
    let after = 0;
    for (;;) {
      const page = await client.query<{ seq: string; envelopes: string }>(`SELECT seq, envelopes FROM ${t.journalBatches} WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, BATCHES_PER_PAGE]);
      for (const row of page.rows) {
        for (const envelope of JSON.parse(row.envelopes) as JournalledEvent[]) this.fold(envelope);
        after = Number(row.seq);
      }
      if (page.rows.length < BATCHES_PER_PAGE) break;
    }
    const open = await client.query<FindingRowFromDb>(`SELECT * FROM ${t.findings} WHERE closed_at IS NULL`);
    for (const r of open.rows) {
      const row = fromDb(r);
      this.timelineOf(row.data_center_id).open.set(`${row.finding_id}#${row.severity}`, openFindingOf(row, this.rulebook));
      this.openRowsOf(row.data_center_id).set(row.id, row);
    }
    const judged = await client.query<{ data_center_id: string; evaluated_at: Date; last_judged: Record<string, number> | null }>(`SELECT * FROM ${t.evaluations}`);
    for (const r of judged.rows) {
      const timeline = this.timelineOf(r.data_center_id);
      timeline.judgedThrough = r.evaluated_at.getTime();
      // A generation judged before parts were tracked: everything was judged at its last instant.
      for (const part of PARTS) timeline.lastJudged.set(part, r.last_judged?.[part] ?? timeline.judgedThrough);
    }
    for (const dataCenterId of this.state.store.dataCenters.keys()) this.scheduleWake(dataCenterId);
  }

  async apply(client: PoolClient, schema: string, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
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
    const t = findingsTables(schema);
    // Statements go out on this transaction's client as soon as they are known, and PostgreSQL runs them (in
    // order) while JS judges the next data centers: the journal first, then the findings in chunks.
    const pipeline = new Pipeline();
    // One row for the batch, its envelopes in fold order; seq (identity) orders the batches for load().
    pipeline.send(client.query(`INSERT INTO ${t.journalBatches} (events, envelopes) VALUES ($1, $2)`, [journal.length, JSON.stringify(journal)]));
    return this.judge(client, schema, pipeline, [...from].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), now);
  }

  async tick(client: PoolClient, schema: string, now: Date): Promise<ProjectionChange[]> {
    const at = now.getTime();
    const due = [...this.wakeAt].filter(([, wake]) => wake !== null && wake <= at).map(([dataCenterId]) => [dataCenterId, Number.POSITIVE_INFINITY] as const);
    if (due.length === 0) return [];
    return this.judge(client, schema, new Pipeline(), due.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), at);
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
  private async judge(client: PoolClient, schema: string, pipeline: Pipeline, dataCenters: readonly (readonly [string, number])[], now: number): Promise<ProjectionChange[]> {
    const t = findingsTables(schema);
    const changes: ProjectionChange[] = [];
    const judged: { data_center_id: string; evaluated_at: string; last_judged: Record<string, number> }[] = [];
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
        const stored = await client.query<FindingRowFromDb>(`SELECT * FROM ${t.findings} WHERE data_center_id = $1 AND (closed_at IS NULL OR closed_at >= $2)`, [
          dataCenterId,
          iso(changedFrom),
        ]);
        const overlapping = stored.rows.map(fromDb);
        rewindDataCenterTimeline(
          timeline,
          changedFrom,
          overlapping.filter((r) => Date.parse(r.opened_at) < changedFrom).map((r) => openFindingOf(r, this.rulebook)),
        );
        retracted = overlapping.filter((r) => Date.parse(r.opened_at) >= changedFrom);
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
        if (row.closed_at !== null) changes.push(change('finding.closed', row));
        else if (previous !== undefined) changes.push(change('finding.updated', row));
      }
      const kept = new Set(intervals.map((i) => rowOf(i, owner, now).id));
      const gone = retracted.filter((r) => !kept.has(r.id));
      if (gone.length > 0) {
        // Under what the ledger knows now, these never held (a fact from another partition, or recorded late, says so).
        pipeline.send(client.query(`DELETE FROM ${t.findings} WHERE id = ANY($1::text[])`, [gone.map((r) => r.id)]));
        for (const r of gone) changes.push(change('finding.retracted', r));
      }
      this.openRows.set(dataCenterId, after);
      judged.push({ data_center_id: dataCenterId, evaluated_at: iso(timeline.judgedThrough), last_judged: Object.fromEntries(timeline.lastJudged) });
      this.wakeAt.set(dataCenterId, next);
      if (rows.length >= FINDINGS_PER_STATEMENT) {
        pipeline.send(this.upsertFindings(client, schema, rows));
        rows = [];
      }
    }
    pipeline.send(this.upsertFindings(client, schema, rows));
    pipeline.send(this.upsertJudgements(client, schema, judged));
    await pipeline.drain();
    return changes;
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

  private async upsertFindings(client: PoolClient, schema: string, rows: readonly FindingRow[]): Promise<void> {
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO ${findingsTables(schema).findings} AS f SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id text, finding_id text, rule_id text, severity text, certainty text, data_center_id text, owner_organisation_id text,
         model_id text, count bigint, evidence jsonb, message text, source_citation text, source_url text, occurred_at timestamptz,
         acknowledged boolean, opened_at timestamptz, closed_at timestamptz, updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET certainty = excluded.certainty, owner_organisation_id = excluded.owner_organisation_id,
         count = excluded.count, evidence = excluded.evidence, message = excluded.message, acknowledged = excluded.acknowledged,
         occurred_at = excluded.occurred_at, closed_at = excluded.closed_at, updated_at = excluded.updated_at`,
      [asJsonRows(rows)],
    );
  }

  private async upsertJudgements(client: PoolClient, schema: string, judged: readonly object[]): Promise<void> {
    if (judged.length === 0) return;
    await client.query(
      `INSERT INTO ${findingsTables(schema).evaluations} AS e SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(data_center_id text, evaluated_at timestamptz, last_judged jsonb)
       ON CONFLICT (data_center_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, last_judged = excluded.last_judged`,
      [asJsonRows(judged)],
    );
  }
}

const PARTS: readonly EvaluationPart[] = ['acts', 'remittance', 'balance', 'cn', 'prc', 'rentals'];

type FindingRowFromDb = Omit<FindingRow, 'count' | 'opened_at' | 'closed_at' | 'updated_at' | 'occurred_at'> & {
  count: string;
  opened_at: Date;
  closed_at: Date | null;
  updated_at: Date;
  occurred_at: Date | null;
};

const fromDb = (r: FindingRowFromDb): FindingRow => ({
  ...r,
  count: Number(r.count),
  opened_at: r.opened_at.toISOString(),
  closed_at: r.closed_at === null ? null : r.closed_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  occurred_at: r.occurred_at === null ? null : r.occurred_at.toISOString(),
});

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
  dataCenterId: row.data_center_id,
  organisationId: row.owner_organisation_id,
  payload: {
    id: row.id,
    findingId: row.finding_id,
    ruleId: row.rule_id,
    severity: row.severity,
    certainty: row.certainty,
    modelId: row.model_id,
    count: row.count,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  },
});
