import {
  evaluate,
  EvaluationCache,
  evolveComplianceState,
  initialComplianceState,
  RULEBOOK_V1,
  timeChangeInstants,
  type ComplianceState,
  type Finding,
  type LedgerEnvelope,
  type Rulebook,
} from '@chip-ledger/compliance';
import type { Projection, ProjectedEvent, ProjectionChange } from '@chip-ledger/projection';
import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import { asLedger } from '../shared/events';
import { Pipeline } from '../shared/pipeline';
import { asJsonRows, iso } from '../shared/sql';
import { diffFindings, type FindingRow, type Transitions } from './findings.evolve';
import { findingsDdl, findingsTables } from './findings.table';

export const FINDINGS = 'findings';

export interface FindingsOptions {
  readonly rulebook?: Rulebook;
  /** "Now" for `apply` (the engine's clock; tests pin it). `tick` gets its instant from the engine. */
  readonly clock?: () => Date;
  /** Rows of the row-per-event journal (generations written before journal batches) read per round trip by `load`. */
  readonly loadPageSize?: number;
}

/** Events after which the instants where time alone changes the answer must be recomputed. */
const TIME_SENSITIVE = new Set(['RentalStarted', 'RentalExtended', 'ChipsDelivered', 'ChipsTransferredIn', 'ExportLicenceIssued', 'ExportLicenceAmended']);

/**
 * Compliance findings as a read model. Holds a `ComplianceState` in memory (rebuilt by `load` from the journal
 * of applied envelopes in this generation's schema), judges only the data centers a batch touched (once per
 * batch, as of the engine's "now") and writes the differences: findings opened, updated, closed.
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
  private readonly ruleFrom: Map<string, number>;

  private state: ComplianceState = initialComplianceState();
  private readonly open = new Map<string, Map<string, FindingRow>>();
  private readonly eventAt = new Map<string, number>();
  private readonly evaluatedAt = new Map<string, number>();
  private readonly futureFacts = new Set<number>();
  private lastTickAt = 0;
  private instants: number[] | null = null;
  /** Per data center, the per-movement rules' verdicts: a batch judges only the movements not judged before. */
  private readonly verdicts = new EvaluationCache();

  constructor(options: FindingsOptions = {}) {
    this.rulebook = options.rulebook ?? RULEBOOK_V1;
    this.clock = options.clock ?? (() => new Date());
    this.pageSize = options.loadPageSize ?? 10_000;
    this.ruleFrom = new Map(this.rulebook.filter((r) => r.inForce.from !== null).map((r) => [r.id, Date.parse(r.inForce.from as string)]));
  }

  async migrate(client: PoolClient, schema: string): Promise<void> {
    await client.query(findingsDdl(schema));
  }

  async load(client: PoolClient, schema: string): Promise<void> {
    const t = findingsTables(schema);
    this.reset();
    const now = this.clock().getTime();
    const fold = (envelope: LedgerEnvelope): void => {
      this.state = evolveComplianceState(this.state, envelope);
      const at = Date.parse(envelope.occurredAt);
      this.eventAt.set(envelope.eventId, at);
      if (at > now) this.futureFacts.add(at);
    };
    // A generation written before the journal had a row per batch: its row-per-event journal comes first.
    const legacy = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [t.journal]);
    if (legacy.rows[0]?.present) {
      let after = 0;
      for (;;) {
        const page = await client.query<{ seq: string; envelope: LedgerEnvelope }>(
          `SELECT seq, envelope FROM ${t.journal} WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [after, this.pageSize],
        );
        for (const row of page.rows) {
          fold(row.envelope);
          after = Number(row.seq);
        }
        if (page.rows.length < this.pageSize) break;
      }
    }
    let after = 0;
    for (;;) {
      const page = await client.query<{ seq: string; envelopes: string }>(
        `SELECT seq, envelopes FROM ${t.journalBatches} WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [after, BATCHES_PER_PAGE],
      );
      for (const row of page.rows) {
        for (const envelope of JSON.parse(row.envelopes) as LedgerEnvelope[]) fold(envelope);
        after = Number(row.seq);
      }
      if (page.rows.length < BATCHES_PER_PAGE) break;
    }
    const open = await client.query<FindingRow & { count: string; opened_at: Date; updated_at: Date; occurred_at: Date | null }>(
      `SELECT * FROM ${t.findings} WHERE closed_at IS NULL`,
    );
    for (const r of open.rows) {
      const row: FindingRow = {
        ...r,
        count: Number(r.count),
        opened_at: r.opened_at.toISOString(),
        updated_at: r.updated_at.toISOString(),
        occurred_at: r.occurred_at === null ? null : r.occurred_at.toISOString(),
        closed_at: null,
      };
      this.openOf(row.data_center_id).set(`${row.finding_id}#${row.severity}`, row);
    }
    const evaluations = await client.query<{ data_center_id: string; evaluated_at: Date }>(`SELECT * FROM ${t.evaluations}`);
    for (const r of evaluations.rows) this.evaluatedAt.set(r.data_center_id, r.evaluated_at.getTime());
    const meta = await client.query<{ value: number }>(`SELECT value FROM ${t.meta} WHERE key = 'last_tick_at'`);
    this.lastTickAt = meta.rows[0] ? Number(meta.rows[0].value) : 0;
  }

  async apply(client: PoolClient, schema: string, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const asOf = this.clock().getTime();
    const journal: object[] = [];
    /** Per touched data center, the latest occurredAt among this batch's events about it (when findings close). */
    const touched = new Map<string, number>();
    const touch = (dataCenterId: string, at: number): void => {
      touched.set(dataCenterId, Math.max(touched.get(dataCenterId) ?? Number.NEGATIVE_INFINITY, at));
    };
    for (const event of events) {
      if (this.eventAt.has(event.eventId)) continue; // the engine dedupes; this keeps the state honest if it did not
      const e = asLedger(event);
      this.state = evolveComplianceState(this.state, e);
      const at = Date.parse(e.occurredAt);
      this.eventAt.set(e.eventId, at);
      if (at > asOf) this.futureFacts.add(at);
      if (TIME_SENSITIVE.has(e.type)) this.instants = null;
      // As it came, with where it was read (`source`): no copy of each envelope; `load` folds it like any other.
      journal.push(event);
      for (const dc of this.touchedBy(e)) touch(dc, at);
    }
    if (journal.length === 0) return [];
    const t = findingsTables(schema);
    // Statements go out on this transaction's client as soon as they are known, and PostgreSQL runs them (in
    // order) while JS evaluates the next data centers: the journal first, then the findings in chunks.
    const pipeline = new Pipeline();
    // One row for the batch, its envelopes in fold order; seq (identity) orders the batches for load().
    pipeline.send(client.query(`INSERT INTO ${t.journalBatches} (events, envelopes) VALUES ($1, $2)`, [journal.length, JSON.stringify(journal)]));

    const transitions: Transitions[] = [];
    let rows: FindingRow[] = [];
    const pause = pauser();
    for (const [dataCenterId, latestAt] of touched) {
      await pause();
      const current = evaluate(this.state, this.rulebook, iso(asOf), { dataCenterId, cache: this.verdicts });
      const transition = diffFindings(this.openOf(dataCenterId), current, this.ownerOf(dataCenterId), {
        openedAt: (f) => Math.min(this.ownTime(f, latestAt), asOf),
        closedAt: Math.min(latestAt, asOf),
        now: asOf,
      });
      transitions.push(transition);
      rows.push(...transition.opened, ...transition.updated, ...transition.closed);
      if (rows.length >= FINDINGS_PER_STATEMENT) {
        pipeline.send(this.upsertFindings(client, schema, rows));
        rows = [];
      }
      this.evaluatedAt.set(dataCenterId, asOf);
    }
    pipeline.send(this.upsertFindings(client, schema, rows));
    pipeline.send(this.upsertEvaluations(client, schema, [...touched.keys()].map((dc) => ({ data_center_id: dc, evaluated_at: iso(asOf) }))));
    await pipeline.drain();
    return toChanges(transitions);
  }

  async tick(client: PoolClient, schema: string, now: Date): Promise<ProjectionChange[]> {
    const nowMs = now.getTime();
    const crossed = [...new Set([...this.timeInstants(), ...this.futureFacts])].filter((x) => x > this.lastTickAt && x <= nowMs).sort((a, b) => a - b);
    const transitions: Transitions[] = [];
    const evaluated = new Map<string, number>();
    const pause = pauser();
    for (const at of crossed) {
      for (const dataCenterId of this.state.store.dataCenters.keys()) {
        await pause();
        // A data center judged at or after `at` (by a batch) is already past this instant.
        if ((this.evaluatedAt.get(dataCenterId) ?? Number.NEGATIVE_INFINITY) >= at) continue;
        const current = evaluate(this.state, this.rulebook, iso(at), { dataCenterId, cache: this.verdicts });
        transitions.push(diffFindings(this.openOf(dataCenterId), current, this.ownerOf(dataCenterId), { openedAt: () => at, closedAt: at, now: nowMs }));
        this.evaluatedAt.set(dataCenterId, at);
        evaluated.set(dataCenterId, at);
      }
    }
    for (const x of this.futureFacts) if (x <= nowMs) this.futureFacts.delete(x);
    this.lastTickAt = Math.max(this.lastTickAt, nowMs);
    await this.write(client, schema, transitions, [...evaluated].map(([dc, at]) => ({ data_center_id: dc, evaluated_at: iso(at) })));
    await client.query(
      `INSERT INTO ${findingsTables(schema).meta} (key, value) VALUES ('last_tick_at', $1::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(this.lastTickAt)],
    );
    return toChanges(transitions);
  }

  /**
   * The next instant at which time alone can open or close a finding (compliance's time-change instants, and
   * facts dated in the future). May be at or before `now` when such an instant has not been ticked yet: tick now.
   */
  nextWakeUp(now: Date): Date | null {
    const from = Math.min(this.lastTickAt, now.getTime());
    let next = Number.POSITIVE_INFINITY;
    for (const x of this.timeInstants()) if (x > from && x < next) next = x;
    for (const x of this.futureFacts) if (x > from && x < next) next = x;
    return Number.isFinite(next) ? new Date(next) : null;
  }

  /** Read-only access for tests and diagnostics. */
  complianceState(): ComplianceState {
    return this.state;
  }

  private reset(): void {
    this.state = initialComplianceState();
    this.open.clear();
    this.eventAt.clear();
    this.evaluatedAt.clear();
    this.futureFacts.clear();
    this.lastTickAt = 0;
    this.instants = null;
    this.verdicts.clear();
  }

  private timeInstants(): number[] {
    if (this.instants === null) this.instants = timeChangeInstants(this.state, this.rulebook).map((x) => Date.parse(x));
    return this.instants;
  }

  private openOf(dataCenterId: string): Map<string, FindingRow> {
    let m = this.open.get(dataCenterId);
    if (!m) this.open.set(dataCenterId, (m = new Map()));
    return m;
  }

  private ownerOf(dataCenterId: string): string | null {
    const regs = this.state.store.dataCenters.get(dataCenterId)?.registrations ?? [];
    return regs.length > 0 ? regs[regs.length - 1].ownerOrganisationId : null;
  }

  /**
   * When a finding first seen by a batch opened: its own instant when compliance gives one (the delivery, the
   * order, the end of a remittance window), else when its evidence was complete (the latest evidence event);
   * never before its rule came into force.
   */
  private ownTime(f: Finding, fallback: number): number {
    let own = f.occurredAt === null ? Number.NEGATIVE_INFINITY : Date.parse(f.occurredAt);
    if (f.occurredAt === null) for (const id of f.evidence) own = Math.max(own, this.eventAt.get(id) ?? Number.NEGATIVE_INFINITY);
    if (!Number.isFinite(own)) own = fallback;
    return Math.max(own, this.ruleFrom.get(f.ruleId) ?? Number.NEGATIVE_INFINITY);
  }

  /** Which data centers an event can change findings for. */
  private touchedBy(e: LedgerEnvelope): string[] {
    const store = this.state.store;
    switch (e.type) {
      case 'OrganisationRegistered':
      case 'RestrictedPartyListed':
      case 'RestrictedPartyDelisted': {
        // Owner headquarters (destination rules) and listings (entity list, rentals to tenants).
        const org = e.data.organisationId;
        const out: string[] = [];
        for (const [id, rec] of store.dataCenters) if (rec.registrations.some((r) => r.ownerOrganisationId === org)) out.push(id);
        for (const r of store.rentals.values()) for (const s of r.started) if (s.tenantOrganisationId === org) out.push(s.providerDataCenterId);
        return [...new Set(out)];
      }
      case 'ChipModelAdded':
      case 'ChipModelCorrected': {
        const modelId = e.type === 'ChipModelAdded' ? e.data.model.modelId : e.data.modelId;
        const out: string[] = [];
        for (const [id, rec] of store.dataCenters) if (rec.stock.has(modelId) || rec.orderLines.some((l) => l.modelId === modelId)) out.push(id);
        return out;
      }
      case 'ChipsTransferredOut':
        return [e.data.dataCenterId, e.data.toDataCenterId];
      case 'ChipsTransferredIn':
        return [e.data.dataCenterId, e.data.fromDataCenterId];
      case 'RentalStarted':
        return [e.data.providerDataCenterId];
      case 'RentalExtended':
      case 'RentalEnded':
        return (store.rentals.get(e.data.rentalId)?.started ?? []).map((s) => s.providerDataCenterId);
      case 'ExportLicenceIssued':
      case 'ExportLicenceAmended':
      case 'ExportLicenceSuspended':
      case 'ExportLicenceReinstated':
      case 'ExportLicenceRevoked':
      case 'RevenueShareRemitted':
        return [...new Set((store.licences.get(e.data.licenceId)?.uses ?? []).map((m) => m.dataCenterId))];
      case 'AuditOpened':
      case 'AuditClosed':
      case 'AuditNoteRecorded':
        return [];
      default: {
        const d = e.data as { dataCenterId?: unknown };
        return typeof d.dataCenterId === 'string' ? [d.dataCenterId] : [];
      }
    }
  }

  private async write(client: PoolClient, schema: string, transitions: readonly Transitions[], evaluations: readonly object[]): Promise<void> {
    await this.upsertFindings(client, schema, transitions.flatMap((x) => [...x.opened, ...x.updated, ...x.closed]));
    await this.upsertEvaluations(client, schema, evaluations);
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
         closed_at = excluded.closed_at, updated_at = excluded.updated_at`,
      [asJsonRows(rows)],
    );
  }

  private async upsertEvaluations(client: PoolClient, schema: string, evaluations: readonly object[]): Promise<void> {
    if (evaluations.length === 0) return;
    await client.query(
      `INSERT INTO ${findingsTables(schema).evaluations} AS e SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(data_center_id text, evaluated_at timestamptz)
       ON CONFLICT (data_center_id) DO UPDATE SET evaluated_at = GREATEST(e.evaluated_at, excluded.evaluated_at)`,
      [asJsonRows(evaluations)],
    );
  }
}

/** Finding rows per upsert statement while a batch is evaluated (each carries its evidence list). */
const FINDINGS_PER_STATEMENT = 1_000;

/** Journal batch rows read per round trip by `load` (each up to a catch-up transaction's envelopes). */
const BATCHES_PER_PAGE = 4;

/** Longest stretch of evaluations without giving the event loop a turn. */
const SLICE_MS = 50;

/**
 * Evaluating every data center a big batch touched takes seconds while a replay catches up. Between
 * evaluations, once per SLICE_MS, the returned function yields to the event loop, so the Kafka consumer's
 * heartbeats (timers) and the lease's pings still run: a batch that holds the loop longer than the session
 * timeout gets the consumer thrown out of its group, and the rebalance costs a `load` of the whole journal.
 * Nothing else touches this projection's state meanwhile: the writer runs its batches and ticks one at a time.
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

const toChanges = (transitions: readonly Transitions[]): ProjectionChange[] =>
  transitions.flatMap((x) => [
    ...x.closed.map((r) => change('finding.closed', r)),
    ...x.opened.map((r) => change('finding.opened', r)),
    ...x.updated.map((r) => change('finding.updated', r)),
  ]);
