import type { Actor, Instant } from '@chip-ledger/domain';
import { streamIds } from '@chip-ledger/domain';
import type { Pool } from 'pg';
import { LEDGER_STORES, ledgerOrder, storeRank, type LedgerEntry, type LedgerKey, type LedgerStore } from '../as-of/ledger-entry';

/** Which events a history reads: all of the ledger, or those of some streams, naming some data centers or licences. */
export interface Selection {
  readonly streamIds?: readonly string[];
  readonly dataCenterIds?: readonly string[];
  /** Uses of these licences (deliveries and transfers citing them). */
  readonly licenceIds?: readonly string[];
}

export interface HistoryFilter {
  readonly types?: readonly string[];
  readonly actorId?: string;
  readonly occurredFrom?: Instant;
  readonly occurredTo?: Instant;
  readonly recordedFrom?: Instant;
  readonly recordedTo?: Instant;
}

export type HistoryOrder = 'oldest' | 'newest';

export interface HistoryPage {
  readonly items: readonly LedgerEntry[];
  /** Where the next page starts (the last item's key), or null on the last page. */
  readonly next: LedgerKey | null;
}

/** The instant as the API and the hash chain write it, formatted by PostgreSQL (no Date round trip per row). */
const isoText = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

const COLUMNS = `global_position, event_id::text AS event_id, stream_id, version, type, schema_version, ${isoText('occurred_at')}, ${isoText('recorded_at')},
  actor, correlation_id, causation_id, data, prev_hash, hash`;

interface Row {
  global_position: string;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  occurred_at: string;
  recorded_at: string;
  actor: Actor;
  correlation_id: string;
  causation_id: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

const toEntry = (context: LedgerStore) => (r: Row): LedgerEntry => ({
  eventId: r.event_id,
  context,
  streamId: r.stream_id,
  version: r.version,
  globalPosition: Number(r.global_position),
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  actor: r.actor,
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  prevHash: r.prev_hash,
  hash: r.hash,
  correlationId: r.correlation_id,
  causationId: r.causation_id,
});

/**
 * A row count written into the statement: a LIMIT given as a parameter is planned as if unknown (PostgreSQL assumes it
 * returns a large part of the table), and the plan sorts the whole table instead of reading the first rows of an index.
 */
const sqlInt = (n: number): string => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Not a row count: ${n}`);
  return String(n);
};

/** Builds one statement's WHERE clause and parameters. */
class Where {
  readonly params: unknown[] = [];
  readonly clauses: string[] = [];
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  add(clause: string): this {
    this.clauses.push(clause);
    return this;
  }
  text(): string {
    return this.clauses.length === 0 ? 'true' : this.clauses.join(' AND ');
  }
}

const selectionClause = (w: Where, selection: Selection): string | null => {
  const parts: string[] = [];
  if (selection.streamIds?.length) parts.push(`stream_id = ANY(${w.bind(selection.streamIds)}::text[])`);
  if (selection.dataCenterIds?.length) parts.push(`(data->>'dataCenterId') = ANY(${w.bind(selection.dataCenterIds)}::text[])`);
  if (selection.licenceIds?.length) parts.push(`(data->>'licenceId') = ANY(${w.bind(selection.licenceIds)}::text[])`);
  return parts.length === 0 ? null : `(${parts.join(' OR ')})`;
};

const filterClauses = (w: Where, filter: HistoryFilter): void => {
  if (filter.types?.length) w.add(`type = ANY(${w.bind(filter.types)}::text[])`);
  if (filter.actorId !== undefined) w.add(`actor->>'id' = ${w.bind(filter.actorId)}`);
  if (filter.occurredFrom !== undefined) w.add(`occurred_at >= ${w.bind(filter.occurredFrom)}::timestamptz`);
  if (filter.occurredTo !== undefined) w.add(`occurred_at <= ${w.bind(filter.occurredTo)}::timestamptz`);
  if (filter.recordedFrom !== undefined) w.add(`recorded_at >= ${w.bind(filter.recordedFrom)}::timestamptz`);
  if (filter.recordedTo !== undefined) w.add(`recorded_at <= ${w.bind(filter.recordedTo)}::timestamptz`);
};

/**
 * "After the cursor" in the ledger's order, for one store. The store's rank is a constant in its statement, so the
 * comparison becomes one the (recorded_at, global_position) index serves: a later store's events at the cursor's
 * instant all come after it, an earlier store's all before it.
 */
const afterClause = (w: Where, store: LedgerStore, after: LedgerKey, order: HistoryOrder): string => {
  const at = w.bind(after.recordedAt);
  const rank = storeRank(store);
  const cursorRank = storeRank(after.context);
  const forward = order === 'oldest';
  if (rank === cursorRank) return `(recorded_at, global_position) ${forward ? '>' : '<'} (${at}::timestamptz, ${w.bind(after.globalPosition)}::bigint)`;
  const sameInstantFollows = forward ? rank > cursorRank : rank < cursorRank;
  return `recorded_at ${forward ? '>' : '<'}${sameInstantFollows ? '=' : ''} ${at}::timestamptz`;
};

/**
 * Reads the ledger's event stores (one schema per context, in the same PostgreSQL database) for auditors: histories in
 * the ledger's order, one event by id, and the events an as-of question needs. Read-only; every statement is plain
 * SQL on the events tables, which belong to the event store (migration 0005 indexes what is selected on here).
 */
export class LedgerReader {
  private present: LedgerStore[] | null = null;

  constructor(private readonly db: Pool) {}

  /** The stores whose events table exists (in the distributed form a service may not have created its schema yet). */
  async stores(): Promise<readonly LedgerStore[]> {
    if (this.present !== null && this.present.length === LEDGER_STORES.length) return this.present;
    const { rows } = await this.db.query<{ store: LedgerStore }>(
      `SELECT s AS store FROM unnest($1::text[]) AS s WHERE to_regclass(quote_ident(s) || '.events') IS NOT NULL`,
      [LEDGER_STORES],
    );
    this.present = LEDGER_STORES.filter((s) => rows.some((r) => r.store === s));
    return this.present;
  }

  private async query(store: LedgerStore, where: Where, tail: string): Promise<LedgerEntry[]> {
    // Aliased `e`: the ORDER BY clauses name e.recorded_at, since a bare recorded_at would be the text output column
    // (sorting text, and with no index to read it in order: the whole table sorted for every page).
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${store}".events e WHERE ${where.text()} ${tail}`, where.params);
    return rows.map(toEntry(store));
  }

  /** A page of history in the ledger's order, `after` a cursor's key (exclusive). */
  async history(selection: Selection | 'all', filter: HistoryFilter, after: LedgerKey | null, order: HistoryOrder, limit: number): Promise<HistoryPage> {
    const direction = order === 'oldest' ? 'ASC' : 'DESC';
    const perStore = await Promise.all(
      (await this.stores()).map((store) => {
        const w = new Where();
        if (selection !== 'all') {
          const clause = selectionClause(w, selection);
          if (clause === null) return Promise.resolve([]);
          w.add(clause);
        }
        filterClauses(w, filter);
        if (after !== null) w.add(afterClause(w, store, after, order));
        return this.query(store, w, `ORDER BY e.recorded_at ${direction}, e.global_position ${direction} LIMIT ${sqlInt(limit + 1)}`);
      }),
    );
    const merged = perStore.flat().sort(order === 'oldest' ? ledgerOrder : (a, b) => ledgerOrder(b, a));
    const items = merged.slice(0, limit);
    const last = items[items.length - 1];
    return { items, next: merged.length > limit && last ? { recordedAt: last.recordedAt, context: last.context, globalPosition: last.globalPosition } : null };
  }

  async byId(eventId: string): Promise<LedgerEntry | null> {
    for (const store of await this.stores()) {
      const w = new Where();
      w.add(`event_id = ${w.bind(eventId)}::uuid`);
      const [found] = await this.query(store, w, '');
      if (found) return found;
    }
    return null;
  }

  /** The first event of a stream (it says what the stream is about), or null for a stream no store has. */
  async firstOf(streamId: string): Promise<LedgerEntry | null> {
    for (const store of await this.stores()) {
      const w = new Where();
      w.add(`stream_id = ${w.bind(streamId)}`).add('version = 1');
      const [found] = await this.query(store, w, '');
      if (found) return found;
    }
    return null;
  }

  /** The organisation owning a data center (its registration), or null when the ledger has no such data center. */
  async ownerOfDataCenter(dataCenterId: string): Promise<string | null> {
    const first = await this.firstOf(streamIds.dataCenter(dataCenterId));
    return first?.type === 'DataCenterRegistered' ? String((first.data as { ownerOrganisationId: string }).ownerOrganisationId) : null;
  }

  /**
   * Everything that touches a data center: the events naming it (its registration and reports, stock, orders placed
   * for it, auditors' facts), the rentals it provides, and the licences used there (their own events).
   */
  async dataCenterSelection(dataCenterId: string): Promise<Selection> {
    const [rentals, licences] = await Promise.all([this.rentalStreamsOf([dataCenterId]), this.licencesCitedAt([dataCenterId])]);
    return { dataCenterIds: [dataCenterId], streamIds: [...rentals, ...licences.map(streamIds.exportLicence)] };
  }

  /**
   * Everything that touches an organisation: its own stream, everything about the data centers it owns, the licences
   * it is the consignee of (with their uses), the orders it placed and the rentals it is the tenant of.
   */
  async organisationSelection(organisationId: string): Promise<Selection> {
    const named = await this.namingOrganisation(organisationId);
    const dataCenterIds = named.filter((n) => n.type === 'DataCenterRegistered').map((n) => n.id);
    const consigned = named.filter((n) => n.type === 'ExportLicenceIssued').map((n) => n.id);
    const [rentals, cited] = await Promise.all([this.rentalStreamsOf(dataCenterIds), this.licencesCitedAt(dataCenterIds)]);
    const licenceIds = [...new Set([...consigned, ...cited])];
    return {
      dataCenterIds,
      licenceIds: consigned,
      streamIds: [
        streamIds.organisation(organisationId),
        ...rentals,
        ...licenceIds.map(streamIds.exportLicence),
        ...named.filter((n) => n.type === 'PurchaseOrderPlaced').map((n) => streamIds.purchaseOrder(n.id)),
        ...named.filter((n) => n.type === 'RentalStarted').map((n) => streamIds.rental(n.id)),
      ],
    };
  }

  /** A licence's own events and every delivery or transfer citing it. */
  licenceSelection(licenceId: string): Selection {
    return { streamIds: [streamIds.exportLicence(licenceId)], licenceIds: [licenceId] };
  }

  /** The data centers registered to, licences consigned to, orders placed by and rentals taken by an organisation. */
  private async namingOrganisation(organisationId: string): Promise<{ type: string; id: string }[]> {
    const out: { type: string; id: string }[] = [];
    for (const store of await this.stores()) {
      // The expression and predicate of migration 0005's events_organisation_ref_idx.
      const { rows } = await this.db.query<{ type: string; id: string }>(
        `SELECT type, COALESCE(data->>'dataCenterId', data->>'licenceId', data->>'purchaseOrderId', data->>'rentalId') AS id
           FROM "${store}".events
          WHERE type IN ('DataCenterRegistered', 'ExportLicenceIssued', 'PurchaseOrderPlaced', 'RentalStarted')
            AND COALESCE(data->>'ownerOrganisationId', data->>'consigneeOrganisationId', data->>'buyerOrganisationId', data->>'tenantOrganisationId') = $1`,
        [organisationId],
      );
      out.push(...rows);
    }
    return out;
  }

  private async rentalStreamsOf(dataCenterIds: readonly string[], knownAt?: Instant): Promise<string[]> {
    if (dataCenterIds.length === 0 || !(await this.stores()).includes('rental')) return [];
    const { rows } = await this.db.query<{ stream_id: string }>(
      `SELECT stream_id FROM "rental".events WHERE type = 'RentalStarted' AND (data->>'providerDataCenterId') = ANY($1::text[])
          AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)`,
      [dataCenterIds, knownAt ?? null],
    );
    return rows.map((r) => r.stream_id);
  }

  private async licencesCitedAt(dataCenterIds: readonly string[], knownAt?: Instant): Promise<string[]> {
    if (dataCenterIds.length === 0) return [];
    const { rows } = await this.db.query<{ licence_id: string }>(
      `SELECT DISTINCT data->>'licenceId' AS licence_id FROM "procurement".events
        WHERE (data->>'dataCenterId') = ANY($1::text[]) AND (data->>'licenceId') IS NOT NULL
          AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)`,
      [dataCenterIds, knownAt ?? null],
    );
    return rows.map((r) => r.licence_id);
  }

  /** Every event of a selection recorded by `knownAt` that occurred by `occurredAt`. */
  private async selected(selection: Selection, at: { occurredAt: Instant; knownAt: Instant }, types?: readonly string[], only?: readonly LedgerStore[]): Promise<LedgerEntry[]> {
    const stores = await this.stores();
    const perStore = await Promise.all(
      stores.filter((s) => only === undefined || only.includes(s)).map((store) => {
        const w = new Where();
        const clause = selectionClause(w, selection);
        if (clause === null) return Promise.resolve([]);
        w.add(clause)
          .add(`recorded_at <= ${w.bind(at.knownAt)}::timestamptz`)
          .add(`occurred_at <= ${w.bind(at.occurredAt)}::timestamptz`);
        if (types) w.add(`type = ANY(${w.bind(types)}::text[])`);
        return this.query(store, w, '');
      }),
    );
    return perStore.flat();
  }

  /**
   * The events an as-of of one data center folds: everything about it (its own events, the rentals it provides), and
   * what its findings read elsewhere: the catalog, the organisations concerned (owner, buyers, tenants), the licences it
   * cites with all their uses (a balance is drawn everywhere) and the registrations (and owners) of the data centers at
   * the other end of those uses and of its transfers. Limited to what was recorded by `knownAt` and had occurred by
   * `occurredAt`. Two or three round trips, each of parallel statements.
   */
  async asOfEvents(dataCenterId: string, at: { occurredAt: Instant; knownAt: Instant }): Promise<LedgerEntry[]> {
    const stores = await this.stores();
    const [own, rentals, catalog] = await Promise.all([
      this.selected({ dataCenterIds: [dataCenterId] }, at, undefined, stores.filter((s) => s !== 'rental')),
      stores.includes('rental') ? this.rentalsOf(dataCenterId, at) : Promise.resolve([]),
      this.catalog(at),
    ]);
    const seen = new Set<string>([...own, ...rentals].map((e) => e.eventId));
    const organisations = new Set<string>();
    const otherDataCenters = new Set<string>();
    const licences = new Set<string>();
    const note = (events: readonly LedgerEntry[]) => {
      for (const e of events) {
        const d = e.data as Record<string, unknown>;
        for (const key of ['ownerOrganisationId', 'buyerOrganisationId', 'tenantOrganisationId']) if (typeof d[key] === 'string') organisations.add(d[key] as string);
        for (const key of ['dataCenterId', 'fromDataCenterId', 'toDataCenterId']) if (typeof d[key] === 'string' && d[key] !== dataCenterId) otherDataCenters.add(d[key] as string);
        if (typeof d['licenceId'] === 'string') licences.add(d['licenceId']);
      }
    };
    note(own);
    note(rentals);
    const known = new Set(otherDataCenters);
    const [licenceEvents, registrations, orgs] = await Promise.all([
      licences.size === 0 ? [] : this.selected({ licenceIds: [...licences] }, at, undefined, ['procurement']),
      otherDataCenters.size === 0 ? [] : this.selected({ dataCenterIds: [...otherDataCenters] }, at, ['DataCenterRegistered'], ['procurement']),
      organisations.size === 0 ? [] : this.selected({ streamIds: [...organisations].map(streamIds.organisation) }, at, undefined, ['procurement']),
    ]);
    const fresh = licenceEvents.filter((e) => !seen.has(e.eventId));
    note(fresh);
    note(registrations);
    // Uses of the licences at data centers not seen yet: their registrations and owners, in one more round trip.
    const unseenDataCenters = [...otherDataCenters].filter((id) => !known.has(id));
    const unseenOrganisations = [...organisations].filter((o) => !orgs.some((e) => e.streamId === streamIds.organisation(o)));
    const [moreRegistrations, moreOrgs] = await Promise.all([
      unseenDataCenters.length === 0 ? [] : this.selected({ dataCenterIds: unseenDataCenters }, at, ['DataCenterRegistered'], ['procurement']),
      unseenOrganisations.length === 0 ? [] : this.selected({ streamIds: unseenOrganisations.map(streamIds.organisation) }, at, undefined, ['procurement']),
    ]);
    const lastOrgs = moreRegistrations
      .map((e) => (e.data as { ownerOrganisationId: string }).ownerOrganisationId)
      .filter((o) => !organisations.has(o));
    const lastOrgEvents = lastOrgs.length === 0 ? [] : await this.selected({ streamIds: lastOrgs.map(streamIds.organisation) }, at, undefined, ['procurement']);
    return [...own, ...rentals, ...catalog, ...fresh, ...registrations, ...orgs, ...moreRegistrations, ...moreOrgs, ...lastOrgEvents];
  }

  /** The events of the rentals a data center provides (their streams, found by their RentalStarted). */
  private async rentalsOf(dataCenterId: string, at: { occurredAt: Instant; knownAt: Instant }): Promise<LedgerEntry[]> {
    const w = new Where();
    const k = w.bind(at.knownAt);
    w.add(`stream_id IN (SELECT stream_id FROM "rental".events WHERE type = 'RentalStarted' AND (data->>'providerDataCenterId') = ${w.bind(dataCenterId)} AND recorded_at <= ${k}::timestamptz)`)
      .add(`recorded_at <= ${k}::timestamptz`)
      .add(`occurred_at <= ${w.bind(at.occurredAt)}::timestamptz`);
    return this.query('rental', w, '');
  }

  /** Catalog additions and corrections (few; migration 0005 indexes them). */
  private async catalog(at: { occurredAt: Instant; knownAt: Instant }): Promise<LedgerEntry[]> {
    const w = new Where();
    w.add(`type IN ('ChipModelAdded', 'ChipModelCorrected')`)
      .add(`recorded_at <= ${w.bind(at.knownAt)}::timestamptz`)
      .add(`occurred_at <= ${w.bind(at.occurredAt)}::timestamptz`);
    return this.query('procurement', w, '');
  }

  /** Every event of the ledger recorded by `knownAt` that occurred by `occurredAt`, read in pages (for the fleet). */
  async allEvents(at: { occurredAt: Instant; knownAt: Instant }, pageSize = 10_000): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    for (const store of await this.stores()) {
      let after = 0;
      for (;;) {
        const w = new Where();
        w.add(`global_position > ${w.bind(after)}::bigint`)
          .add(`recorded_at <= ${w.bind(at.knownAt)}::timestamptz`)
          .add(`occurred_at <= ${w.bind(at.occurredAt)}::timestamptz`);
        const page = await this.query(store, w, `ORDER BY e.global_position LIMIT ${sqlInt(pageSize)}`);
        out.push(...page);
        if (page.length < pageSize) break;
        after = page[page.length - 1].globalPosition;
      }
    }
    return out;
  }

  /**
   * Events recorded more than `thresholdMs` after they occurred, newest recording first, from `since` on, limited to
   * the given data centers when set (a caller who sees only its own organisation).
   */
  async lateFacts(options: { thresholdMs: number; since?: Instant; after: LedgerKey | null; limit: number; dataCenterIds?: readonly string[] }): Promise<HistoryPage> {
    const perStore = await Promise.all(
      (await this.stores()).map((store) => {
        const w = new Where();
        w.add(`recorded_at - occurred_at > make_interval(secs => ${w.bind(options.thresholdMs / 1000)}::double precision)`);
        if (options.since !== undefined) w.add(`recorded_at >= ${w.bind(options.since)}::timestamptz`);
        if (options.dataCenterIds !== undefined) w.add(`(data->>'dataCenterId') = ANY(${w.bind(options.dataCenterIds)}::text[])`);
        if (options.after !== null) w.add(afterClause(w, store, options.after, 'newest'));
        return this.query(store, w, `ORDER BY e.recorded_at DESC, e.global_position DESC LIMIT ${sqlInt(options.limit + 1)}`);
      }),
    );
    const merged = perStore.flat().sort((a, b) => ledgerOrder(b, a));
    const items = merged.slice(0, options.limit);
    const last = items[items.length - 1];
    return { items, next: merged.length > options.limit && last ? { recordedAt: last.recordedAt, context: last.context, globalPosition: last.globalPosition } : null };
  }

  /**
   * Per store, its commit horizon (`relay_horizon()`, migration 0004): no event with a lower transaction id can appear
   * any more. Stores that predate the function (none here) would answer '0', so everything counts as new.
   */
  async horizons(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const store of await this.stores()) {
      const { rows } = await this.db.query<{ h: string }>(`SELECT "${store}".relay_horizon()::text AS h`);
      out[store] = rows[0]?.h ?? '0';
    }
    return out;
  }

  /**
   * Every event whose transaction is at or above the given horizon of its store (what was recorded since), or null
   * when there are more than `limit` of them.
   */
  async since(horizons: Record<string, string>, limit: number): Promise<LedgerEntry[] | null> {
    const out: LedgerEntry[] = [];
    for (const store of await this.stores()) {
      const w = new Where();
      w.add(`tx_id >= ${w.bind(horizons[store] ?? '0')}::xid8`);
      const rows = await this.query(store, w, `ORDER BY e.tx_id, e.global_position LIMIT ${sqlInt(limit + 1 - out.length)}`);
      out.push(...rows);
      if (out.length > limit) return null;
    }
    return out;
  }

  /** How many events each store holds (recorded by `recordedTo` when given): what a full replay will read. */
  async counts(recordedTo?: Instant): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const store of await this.stores()) {
      const { rows } = await this.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${store}".events WHERE $1::timestamptz IS NULL OR recorded_at <= $1::timestamptz`,
        [recordedTo ?? null],
      );
      out[store] = Number(rows[0]?.n ?? 0);
    }
    return out;
  }

  /** The data centers an organisation owns (for scoping a caller who sees only its own). */
  async dataCentersOf(organisationId: string): Promise<string[]> {
    return (await this.namingOrganisation(organisationId)).filter((n) => n.type === 'DataCenterRegistered').map((n) => n.id);
  }
}
