import {
  catalogFromSeed,
  type ChipCatalog,
  type ChipModelSpec,
  type CountryCode,
  type EventEnvelope,
  type Instant,
  type LedgerEvent,
  type LicenceConditions,
  type RemovalReason,
  type RentalPurpose,
  type UsdAmount,
} from '@chip-ledger/domain';

/** Any ledger event in its envelope, with `type` narrowing `data`. */
export type LedgerEnvelope = LedgerEvent extends infer E
  ? E extends { type: infer T extends string; data: infer D }
    ? EventEnvelope<T, D>
    : never
  : never;

/**
 * One recorded fact as compliance keeps it: its position in the fold (`seq`), when it occurred (`at`, epoch
 * ms, so comparisons do not depend on how the ISO string was written), the order among facts of the same instant
 * (`tie`) and the event that recorded it.
 */
export interface Fact {
  readonly seq: number;
  readonly at: number;
  /**
   * Orders facts that occurred at the same instant, whatever order they were folded in (the order Kafka delivered
   * them in): the store's global position where the caller knows it, else the event id. See `evolveComplianceState`.
   */
  readonly tie: string;
  readonly eventId: string;
}
export type Dated<T> = Fact & T;

export interface OrganisationRecord {
  readonly registrations: Dated<{ name: string; headquartersCountry: CountryCode; ultimateParentHeadquartersCountry: CountryCode }>[];
  readonly listings: Dated<{ list: string; listed: boolean; reference: string | null }>[];
}

export type MovementKind = 'delivered' | 'installed' | 'removed' | 'transferred-out' | 'transferred-in';
export type Movement = Dated<{
  kind: MovementKind;
  dataCenterId: string;
  modelId: string;
  quantity: number;
  /** deliveryId or transferId; null for installations and removals. */
  ref: string | null;
  licenceId: string | null;
  purchaseOrderId: string | null;
  shippedFromCountry: CountryCode | null;
  removalReason: RemovalReason | null;
  otherDataCenterId: string | null;
  otherCountry: CountryCode | null;
  permitReference: string | null;
}>;

export type OrderLineFact = Dated<{ kind: 'placed' | 'cancelled'; purchaseOrderId: string; modelId: string; quantity: number }>;

export interface DataCenterRecord {
  readonly registrations: Dated<{ name: string; ownerOrganisationId: string; country: CountryCode; region: string }>[];
  readonly progress: Dated<{ completionPercent: number }>[];
  readonly funding: Dated<{ funder: string | null; reference: string | null }>[];
  /** Per chip model, every stock movement in fold order. */
  readonly stock: Map<string, Movement[]>;
  readonly orderLines: OrderLineFact[];
  readonly reviews: Dated<{ ruleId: string; decision: 'approved' | 'refused'; reasoning: string }>[];
  readonly rentals: Dated<{ rentalId: string }>[];
}

export interface PurchaseOrderRecord {
  readonly placed: Dated<{ buyerOrganisationId: string; dataCenterId: string; supplier: string }>[];
}

export interface LicenceTerms {
  readonly licenceNumber: string;
  readonly exporter: string;
  readonly consigneeOrganisationId: string;
  readonly destinationCountry: CountryCode;
  readonly modelIds: readonly string[];
  readonly authorisedQuantity: number;
  readonly validFrom: Instant;
  readonly validTo: Instant;
  readonly conditions: LicenceConditions;
}
export interface LicenceRecord {
  readonly issued: Dated<{ terms: LicenceTerms }>[];
  readonly amendments: Dated<{ changes: Partial<LicenceTerms>; reason: string }>[];
  readonly status: Dated<{ kind: 'suspended' | 'reinstated' | 'revoked'; reason: string }>[];
  readonly remittances: Dated<{ deliveryIds: readonly string[]; amountUsd: UsdAmount; reference: string }>[];
  /** Deliveries and transfers-in that cite this licence (they draw down its balance). */
  readonly uses: Movement[];
}

export interface RentalRecord {
  readonly started: Dated<{
    providerDataCenterId: string;
    tenantOrganisationId: string;
    modelId: string;
    chipCount: number;
    purpose: RentalPurpose;
    periodStart: number;
    periodEnd: number;
  }>[];
  readonly extensions: Dated<{ newPeriodEnd: number }>[];
  readonly ended: Dated<{ reason: string | null }>[];
}

export interface CatalogRecord {
  readonly added: Dated<{ spec: ChipModelSpec }>[];
  readonly corrections: Dated<{ changes: Partial<ChipModelSpec> }>[];
}

/**
 * The facts, append-only. Shared by successive states: a state sees the facts with `seq ≤ state.seq`, so
 * appending never changes what an earlier state shows. Internal: read it through `ComplianceView`.
 */
export interface FactStore {
  head: number;
  /** The latest `at` of any fact appended (an upper bound after a fork): an evaluation as of it or later sees every fact. */
  maxAt: number;
  /**
   * How often the facts that per-movement verdicts read besides the movement itself were appended to, by key:
   * `dc:<id>` (registrations), `org:<id>` (registrations and listings), `po:<id>` (placed), `licence:<id>`
   * (issued), `catalog`, `acks`. Lets `EvaluationCache` tell that an earlier verdict still holds.
   */
  readonly versions: Map<string, number>;
  readonly models: Map<string, CatalogRecord>;
  readonly organisations: Map<string, OrganisationRecord>;
  readonly dataCenters: Map<string, DataCenterRecord>;
  readonly purchaseOrders: Map<string, PurchaseOrderRecord>;
  readonly licences: Map<string, LicenceRecord>;
  readonly rentals: Map<string, RentalRecord>;
  readonly acknowledgements: Map<string, Dated<{ dataCenterId: string; comment: string }>[]>;
  /**
   * Per organisation, the data centers whose findings read its registrations and listings: those it was registered
   * as owning, those holding order lines of purchase orders it placed, those that rented capacity to it. An index
   * over every fact in the store (like the scan it replaces in `affectedDataCenters`, which ran once per
   * organisation event over every data center's order lines).
   */
  readonly dataCentersByOrganisation: Map<string, Set<string>>;
  /** Per purchase order, the data centers holding its order lines (placed or cancelled): half of the index above. */
  readonly orderLineDataCenters: Map<string, Set<string>>;
}

/**
 * What compliance knows: every fact with its occurredAt and event id, so `evaluate` can judge "as of T" and
 * cite evidence. Treat it as an immutable value: `evolveComplianceState` returns a new state and the old one
 * keeps answering as before. Applying an event costs O(1) amortised (facts are appended to a store the
 * states share; evolving an older state again copies the store once).
 */
export interface ComplianceState {
  /** Number of events folded in. */
  readonly seq: number;
  /** The catalog before any catalog event (the seed by default). */
  readonly baseCatalog: ChipCatalog;
  readonly store: FactStore;
}

const emptyStore = (): FactStore => ({
  head: 0,
  maxAt: Number.NEGATIVE_INFINITY,
  versions: new Map(),
  models: new Map(),
  organisations: new Map(),
  dataCenters: new Map(),
  purchaseOrders: new Map(),
  licences: new Map(),
  rentals: new Map(),
  acknowledgements: new Map(),
  dataCentersByOrganisation: new Map(),
  orderLineDataCenters: new Map(),
});

export const initialComplianceState = (baseCatalog: ChipCatalog = catalogFromSeed()): ComplianceState => ({
  seq: 0,
  baseCatalog,
  store: emptyStore(),
});

const upTo = <T extends Fact>(xs: readonly T[], seq: number): T[] => xs.filter((x) => x.seq <= seq);
const mapUpTo = <K, V>(m: Map<K, V>, f: (v: V) => V): Map<K, V> => new Map([...m].map(([k, v]) => [k, f(v)]));

/** A copy of the store holding only facts up to `seq`: used when an older state is evolved again (a fork). */
const forkStore = (s: FactStore, seq: number): FactStore => indexParties(copyUpTo(s, seq));

/** Rebuilds a store's organisation index from its facts (a fork holds fewer facts than the store it came from). */
const indexParties = (s: FactStore): FactStore => {
  for (const [id, dc] of s.dataCenters) {
    for (const r of dc.registrations) linkParty(s, r.ownerOrganisationId, id);
    for (const l of dc.orderLines) addOrderLineDataCenter(s, l.purchaseOrderId, id);
  }
  for (const r of s.rentals.values()) for (const x of r.started) linkParty(s, x.tenantOrganisationId, x.providerDataCenterId);
  return s;
};

const copyUpTo = (s: FactStore, seq: number): FactStore => ({
  head: seq,
  maxAt: s.maxAt,
  // A fork is a new store: caches keyed by the store object start afresh, whatever the counts say.
  versions: new Map(s.versions),
  models: mapUpTo(s.models, (r) => ({ added: upTo(r.added, seq), corrections: upTo(r.corrections, seq) })),
  organisations: mapUpTo(s.organisations, (r) => ({ registrations: upTo(r.registrations, seq), listings: upTo(r.listings, seq) })),
  dataCenters: mapUpTo(s.dataCenters, (r) => ({
    registrations: upTo(r.registrations, seq),
    progress: upTo(r.progress, seq),
    funding: upTo(r.funding, seq),
    stock: mapUpTo(r.stock, (ms) => upTo(ms, seq)),
    orderLines: upTo(r.orderLines, seq),
    reviews: upTo(r.reviews, seq),
    rentals: upTo(r.rentals, seq),
  })),
  purchaseOrders: mapUpTo(s.purchaseOrders, (r) => ({ placed: upTo(r.placed, seq) })),
  licences: mapUpTo(s.licences, (r) => ({
    issued: upTo(r.issued, seq),
    amendments: upTo(r.amendments, seq),
    status: upTo(r.status, seq),
    remittances: upTo(r.remittances, seq),
    uses: upTo(r.uses, seq),
  })),
  rentals: mapUpTo(s.rentals, (r) => ({ started: upTo(r.started, seq), extensions: upTo(r.extensions, seq), ended: upTo(r.ended, seq) })),
  acknowledgements: mapUpTo(s.acknowledgements, (xs) => upTo(xs, seq)),
  dataCentersByOrganisation: new Map(),
  orderLineDataCenters: new Map(),
});

const getOr = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
};
const dataCenter = (s: FactStore, id: string): DataCenterRecord =>
  getOr(s.dataCenters, id, () => ({ registrations: [], progress: [], funding: [], stock: new Map(), orderLines: [], reviews: [], rentals: [] }));
const organisation = (s: FactStore, id: string): OrganisationRecord => getOr(s.organisations, id, () => ({ registrations: [], listings: [] }));
const licence = (s: FactStore, id: string): LicenceRecord =>
  getOr(s.licences, id, () => ({ issued: [], amendments: [], status: [], remittances: [], uses: [] }));
const rental = (s: FactStore, id: string): RentalRecord => getOr(s.rentals, id, () => ({ started: [], extensions: [], ended: [] }));
const model = (s: FactStore, id: string): CatalogRecord => getOr(s.models, id, () => ({ added: [], corrections: [] }));

const movement = (
  fact: Fact,
  kind: MovementKind,
  d: { dataCenterId: string; modelId: string; quantity: number },
  extra: Partial<Movement> = {},
): Movement => ({
  // One literal of one shape (spreading `extra`, whose shape varies by kind, was ~15% of a replay's fold).
  seq: fact.seq,
  at: fact.at,
  tie: fact.tie,
  eventId: fact.eventId,
  kind,
  dataCenterId: d.dataCenterId,
  modelId: d.modelId,
  quantity: d.quantity,
  ref: 'ref' in extra ? (extra.ref as Movement['ref']) : null,
  licenceId: 'licenceId' in extra ? (extra.licenceId as Movement['licenceId']) : null,
  purchaseOrderId: 'purchaseOrderId' in extra ? (extra.purchaseOrderId as Movement['purchaseOrderId']) : null,
  shippedFromCountry: 'shippedFromCountry' in extra ? (extra.shippedFromCountry as Movement['shippedFromCountry']) : null,
  removalReason: 'removalReason' in extra ? (extra.removalReason as Movement['removalReason']) : null,
  otherDataCenterId: 'otherDataCenterId' in extra ? (extra.otherDataCenterId as Movement['otherDataCenterId']) : null,
  otherCountry: 'otherCountry' in extra ? (extra.otherCountry as Movement['otherCountry']) : null,
  permitReference: 'permitReference' in extra ? (extra.permitReference as Movement['permitReference']) : null,
});

const linkParty = (s: FactStore, organisationId: string, dataCenterId: string): void => {
  getOr(s.dataCentersByOrganisation, organisationId, () => new Set<string>()).add(dataCenterId);
};

/** A purchase order's lines are held by `dataCenterId`: each of its buyers (placed so far or later) is a party of it. */
const addOrderLineDataCenter = (s: FactStore, purchaseOrderId: string, dataCenterId: string): void => {
  getOr(s.orderLineDataCenters, purchaseOrderId, () => new Set<string>()).add(dataCenterId);
  for (const p of s.purchaseOrders.get(purchaseOrderId)?.placed ?? []) linkParty(s, p.buyerOrganisationId, dataCenterId);
};

const addMovement = (s: FactStore, m: Movement): void => {
  getOr(dataCenter(s, m.dataCenterId).stock, m.modelId, () => []).push(m);
  if (m.licenceId !== null && (m.kind === 'delivered' || m.kind === 'transferred-in')) licence(s, m.licenceId).uses.push(m);
};

/**
 * Applies one recorded event. Unknown event types (newer than this code) are ignored, but still counted.
 * `tie` orders it among facts of the same occurredAt (`tieOf`): with it, what the state says does not depend on
 * the order events were folded in, only on the events.
 */
export const evolveComplianceState = (state: ComplianceState, envelope: LedgerEnvelope, tie: string = envelope.eventId): ComplianceState => {
  const store = state.store.head === state.seq ? state.store : forkStore(state.store, state.seq);
  const seq = state.seq + 1;
  const fact: Fact = { seq, at: Date.parse(envelope.occurredAt), tie, eventId: envelope.eventId };
  apply(store, fact, envelope);
  if (fact.at > store.maxAt) store.maxAt = fact.at;
  store.head = seq;
  return { seq, baseCatalog: state.baseCatalog, store };
};

const bump = (s: FactStore, key: string): void => {
  s.versions.set(key, (s.versions.get(key) ?? 0) + 1);
};

const apply = (s: FactStore, fact: Fact, e: LedgerEnvelope): void => {
  switch (e.type) {
    case 'OrganisationRegistered':
      organisation(s, e.data.organisationId).registrations.push({ ...fact, ...e.data });
      bump(s, `org:${e.data.organisationId}`);
      return;
    case 'RestrictedPartyListed':
    case 'RestrictedPartyDelisted':
      organisation(s, e.data.organisationId).listings.push({
        ...fact,
        list: e.data.list,
        listed: e.type === 'RestrictedPartyListed',
        reference: e.data.reference,
      });
      bump(s, `org:${e.data.organisationId}`);
      return;
    case 'ChipModelAdded':
      model(s, e.data.model.modelId).added.push({ ...fact, spec: e.data.model });
      bump(s, 'catalog');
      return;
    case 'ChipModelCorrected':
      model(s, e.data.modelId).corrections.push({ ...fact, changes: e.data.changes });
      bump(s, 'catalog');
      return;
    case 'DataCenterRegistered':
      dataCenter(s, e.data.dataCenterId).registrations.push({ ...fact, ...e.data });
      linkParty(s, e.data.ownerOrganisationId, e.data.dataCenterId);
      bump(s, `dc:${e.data.dataCenterId}`);
      return;
    case 'ConstructionProgressReported':
      dataCenter(s, e.data.dataCenterId).progress.push({ ...fact, completionPercent: e.data.completionPercent });
      return;
    case 'StateFundingReported':
      dataCenter(s, e.data.dataCenterId).funding.push({ ...fact, funder: e.data.funder, reference: e.data.reference });
      return;
    case 'PurchaseOrderPlaced': {
      getOr(s.purchaseOrders, e.data.purchaseOrderId, () => ({ placed: [] })).placed.push({
        ...fact,
        buyerOrganisationId: e.data.buyerOrganisationId,
        dataCenterId: e.data.dataCenterId,
        supplier: e.data.supplier,
      });
      bump(s, `po:${e.data.purchaseOrderId}`);
      const lines = dataCenter(s, e.data.dataCenterId).orderLines;
      for (const l of e.data.lines) lines.push({ ...fact, kind: 'placed', purchaseOrderId: e.data.purchaseOrderId, modelId: l.modelId, quantity: l.quantity });
      if (e.data.lines.length > 0) addOrderLineDataCenter(s, e.data.purchaseOrderId, e.data.dataCenterId);
      // The buyer is a party of every data center holding the order's lines (a cancellation may have come first).
      for (const dataCenterId of s.orderLineDataCenters.get(e.data.purchaseOrderId) ?? []) linkParty(s, e.data.buyerOrganisationId, dataCenterId);
      return;
    }
    case 'PurchaseOrderCancelled': {
      const lines = dataCenter(s, e.data.dataCenterId).orderLines;
      for (const l of e.data.cancelledLines) {
        lines.push({ ...fact, kind: 'cancelled', purchaseOrderId: e.data.purchaseOrderId, modelId: l.modelId, quantity: l.quantity });
      }
      if (e.data.cancelledLines.length > 0) addOrderLineDataCenter(s, e.data.purchaseOrderId, e.data.dataCenterId);
      return;
    }
    case 'ChipsDelivered':
      addMovement(
        s,
        movement(fact, 'delivered', e.data, {
          ref: e.data.deliveryId,
          licenceId: e.data.licenceId,
          purchaseOrderId: e.data.purchaseOrderId,
          shippedFromCountry: e.data.shippedFromCountry,
        }),
      );
      return;
    case 'ChipsInstalled':
      addMovement(s, movement(fact, 'installed', e.data));
      return;
    case 'ChipsRemoved':
      addMovement(s, movement(fact, 'removed', e.data, { removalReason: e.data.reason }));
      return;
    case 'ChipsTransferredOut':
      addMovement(
        s,
        movement(fact, 'transferred-out', e.data, {
          ref: e.data.transferId,
          licenceId: e.data.licenceId,
          otherDataCenterId: e.data.toDataCenterId,
          otherCountry: e.data.toCountry,
          permitReference: e.data.permitReference,
        }),
      );
      return;
    case 'ChipsTransferredIn':
      addMovement(
        s,
        movement(fact, 'transferred-in', e.data, {
          ref: e.data.transferId,
          licenceId: e.data.licenceId,
          otherDataCenterId: e.data.fromDataCenterId,
          otherCountry: e.data.fromCountry,
          permitReference: e.data.permitReference,
        }),
      );
      return;
    case 'RentalStarted':
      rental(s, e.data.rentalId).started.push({
        ...fact,
        providerDataCenterId: e.data.providerDataCenterId,
        tenantOrganisationId: e.data.tenantOrganisationId,
        modelId: e.data.modelId,
        chipCount: e.data.chipCount,
        purpose: e.data.purpose,
        periodStart: Date.parse(e.data.periodStart),
        periodEnd: Date.parse(e.data.periodEnd),
      });
      dataCenter(s, e.data.providerDataCenterId).rentals.push({ ...fact, rentalId: e.data.rentalId });
      linkParty(s, e.data.tenantOrganisationId, e.data.providerDataCenterId);
      return;
    case 'RentalExtended':
      rental(s, e.data.rentalId).extensions.push({ ...fact, newPeriodEnd: Date.parse(e.data.newPeriodEnd) });
      return;
    case 'RentalEnded':
      rental(s, e.data.rentalId).ended.push({ ...fact, reason: e.data.reason });
      return;
    case 'ExportLicenceIssued': {
      const { licenceId: _id, ...terms } = e.data;
      licence(s, e.data.licenceId).issued.push({ ...fact, terms });
      bump(s, `licence:${e.data.licenceId}`);
      return;
    }
    case 'ExportLicenceAmended':
      licence(s, e.data.licenceId).amendments.push({ ...fact, changes: e.data.changes, reason: e.data.reason });
      return;
    case 'ExportLicenceSuspended':
    case 'ExportLicenceReinstated':
    case 'ExportLicenceRevoked':
      licence(s, e.data.licenceId).status.push({
        ...fact,
        kind: e.type === 'ExportLicenceSuspended' ? 'suspended' : e.type === 'ExportLicenceReinstated' ? 'reinstated' : 'revoked',
        reason: e.data.reason,
      });
      return;
    case 'RevenueShareRemitted':
      licence(s, e.data.licenceId).remittances.push({ ...fact, deliveryIds: e.data.deliveryIds, amountUsd: e.data.amountUsd, reference: e.data.reference });
      return;
    case 'CaseReviewDecided':
      dataCenter(s, e.data.dataCenterId).reviews.push({ ...fact, ruleId: e.data.ruleId, decision: e.data.decision, reasoning: e.data.reasoning });
      return;
    case 'FindingAcknowledged':
      getOr(s.acknowledgements, e.data.findingId, () => []).push({ ...fact, dataCenterId: e.data.dataCenterId, comment: e.data.comment });
      bump(s, 'acks');
      return;
    case 'AuditOpened':
    case 'AuditClosed':
    case 'AuditNoteRecorded':
      // Auditors' working notes change no finding.
      return;
    default: {
      const _unhandled: never = e;
      return;
    }
  }
};

/** Folds envelopes in the order given, from `initial`, each ordered among its instant's facts by `tie`. */
export const foldComplianceState = (
  envelopes: Iterable<LedgerEnvelope>,
  initial: ComplianceState = initialComplianceState(),
  tie: (envelope: LedgerEnvelope) => string = (envelope) => envelope.eventId,
): ComplianceState => {
  let state = initial;
  for (const e of envelopes) state = evolveComplianceState(state, e, tie(e));
  return state;
};

/**
 * The order among facts of one instant from where the store put them: `<context>:<global position>` (zero-padded, so
 * strings compare as numbers), or the event id when the position is not known. Facts of one context keep the store's
 * order; a tie across contexts is broken by the context's name, which is as good as any fixed rule.
 */
export const tieOf = (origin: { readonly context: string; readonly position: number } | null | undefined, eventId: string): string =>
  origin ? `${origin.context}:${String(origin.position).padStart(16, '0')}` : eventId;
