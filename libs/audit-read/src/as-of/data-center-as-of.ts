import {
  ComplianceView,
  evaluate,
  ruleById,
  type ComplianceState,
  type DomesticDefinition,
  type Finding,
  type Rulebook,
} from '@chip-ledger/compliance';
import { classify3A090, type ChipModelSpec, type Instant } from '@chip-ledger/domain';
import type { FoldedLedger, UnfoldedEvent } from './fold';
import type { LedgerEntry } from './ledger-entry';
import { rulesInForceAt, type RuleAt } from './rules-at';

export type Origin = 'domestic' | 'foreign' | 'unknown';

/** One chip model's line in a data center's mix, with the same counts as the chip-mix read model. */
export interface ChipMixLineAsOf {
  readonly modelId: string;
  readonly modelName: string | null;
  readonly vendor: string | null;
  readonly vendorHeadquarters: string | null;
  readonly origin: Origin;
  readonly eccnClass: string | null;
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
  readonly delivered: number;
  readonly removed: number;
  readonly transferredIn: number;
  readonly transferredOut: number;
  readonly lastEventAt: Instant | null;
}

export interface ChipTotals {
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
}

/** Chips on site (installed + in stock), grouped. */
export interface ChipGroups {
  readonly byOrigin: Record<string, number>;
  readonly byClass: Record<string, number>;
  readonly byVendor: Record<string, number>;
}

export interface DataCenterFactsAsOf {
  readonly name: string;
  readonly ownerOrganisationId: string;
  readonly country: string;
  readonly region: string;
  readonly registeredAt: Instant;
  readonly stateFunded: boolean;
  readonly stateFundedAt: Instant | null;
  readonly completionPercent: number | null;
  readonly completionReportedAt: Instant | null;
}

export interface RentalAsOf {
  readonly rentalId: string;
  readonly tenantOrganisationId: string;
  readonly modelId: string;
  readonly chipCount: number;
  readonly purpose: string;
  readonly periodStart: Instant;
  readonly periodEnd: Instant;
  /** At the instant: running, not yet started, past its end, or ended early. */
  readonly status: 'active' | 'scheduled' | 'expired' | 'ended';
  readonly endedAt: Instant | null;
  readonly evidence: readonly string[];
}

export interface LicenceInUse {
  readonly licenceId: string;
  readonly licenceNumber: string | null;
  readonly consigneeOrganisationId: string | null;
  readonly destinationCountry: string | null;
  readonly modelIds: readonly string[];
  readonly authorisedQuantity: number | null;
  readonly validFrom: Instant | null;
  readonly validTo: Instant | null;
  /** null when the ledger knew no such licence at the instant (a citation of an unknown licence). */
  readonly status: 'active' | 'suspended' | 'revoked' | null;
  /** Chips delivered or transferred into this data center under the licence by the instant. */
  readonly quantityHere: number;
  readonly evidence: readonly string[];
}

/** An event cited as evidence, resolvable at `GET /events/{eventId}`. */
export interface EvidenceRef {
  readonly eventId: string;
  readonly type: string | null;
  readonly streamId: string | null;
  readonly occurredAt: Instant | null;
  readonly recordedAt: Instant | null;
  readonly href: string;
}

export type FindingAsOf = Omit<Finding, 'evidence'> & { readonly evidence: readonly EvidenceRef[] };

export interface DataCenterAsOf {
  readonly dataCenterId: string;
  readonly occurredAt: Instant;
  readonly knownAt: Instant;
  readonly dataCenter: DataCenterFactsAsOf;
  readonly chipMix: readonly ChipMixLineAsOf[];
  readonly totals: ChipTotals;
  readonly chips: ChipGroups;
  readonly rentals: readonly RentalAsOf[];
  readonly licencesInUse: readonly LicenceInUse[];
  readonly findings: readonly FindingAsOf[];
  readonly rulesInForce: readonly RuleAt[];
  /** How many events were folded, and those that could not be. */
  readonly eventsFolded: number;
  readonly unfoldedEvents: readonly UnfoldedEvent[];
}

const iso = (ms: number): Instant => new Date(ms).toISOString();

/** "Domestic" as the rulebook defines it (the CN mandate's parameter), so the mix and the findings agree. */
export const domesticDefinitionOf = (rulebook: Rulebook): DomesticDefinition =>
  ruleById(rulebook, 'CN-STATE-FUNDED-DOMESTIC')?.parameters.domestic ?? { vendorHeadquartersIn: ['CN'], fabIn: null };

export const originOf = (spec: ChipModelSpec | undefined, domestic: DomesticDefinition): Origin => {
  if (spec === undefined) return 'unknown';
  const isDomestic =
    domestic.vendorHeadquartersIn.includes(spec.vendorHeadquarters) && (domestic.fabIn === null || (spec.fabCountry !== null && domestic.fabIn.includes(spec.fabCountry)));
  return isDomestic ? 'domestic' : 'foreign';
};

/** The data center's registration and reported facts as they stood at the view's instant; null before it was registered. */
export const dataCenterFactsAt = (view: ComplianceView, dataCenterId: string): DataCenterFactsAsOf | null => {
  const record = view.record(dataCenterId);
  const info = view.dataCenter(dataCenterId);
  if (!record || !info) return null;
  const registration = view.latest(record.registrations);
  const funding = view.all(record.funding);
  const progress = view.latest(record.progress);
  return {
    name: info.name,
    ownerOrganisationId: info.ownerOrganisationId,
    country: info.country,
    region: registration?.region ?? '',
    registeredAt: iso(info.registeredAt),
    stateFunded: funding.length > 0,
    stateFundedAt: funding.length > 0 ? iso(funding[0].at) : null,
    completionPercent: progress?.completionPercent ?? null,
    completionReportedAt: progress ? iso(progress.at) : null,
  };
};

/** The rentals the data center provides, each with its standing at the view's instant. */
export const rentalsAt = (view: ComplianceView, dataCenterId: string): RentalAsOf[] => {
  const record = view.record(dataCenterId);
  if (!record) return [];
  const out: RentalAsOf[] = [];
  for (const { rentalId } of view.all(record.rentals)) {
    const r = view.rental(rentalId);
    const started = r && view.latest(r.started);
    if (!r || !started) continue;
    const extensions = view.all(r.extensions);
    const ended = view.all(r.ended)[0];
    const periodEnd = extensions.reduce((end, x) => Math.max(end, x.newPeriodEnd), started.periodEnd);
    const t = view.asOf;
    const status: RentalAsOf['status'] = ended ? 'ended' : t < started.periodStart ? 'scheduled' : t >= periodEnd ? 'expired' : 'active';
    out.push({
      rentalId,
      tenantOrganisationId: started.tenantOrganisationId,
      modelId: started.modelId,
      chipCount: started.chipCount,
      purpose: started.purpose,
      periodStart: iso(started.periodStart),
      periodEnd: iso(periodEnd),
      status,
      endedAt: ended ? iso(ended.at) : null,
      evidence: [started.eventId, ...extensions.map((x) => x.eventId), ...(ended ? [ended.eventId] : [])],
    });
  }
  return out.sort((a, b) => (a.rentalId < b.rentalId ? -1 : a.rentalId > b.rentalId ? 1 : 0));
};

/**
 * The data center's chip mix at the view's instant, counted exactly as the chip-mix read model counts (see
 * `ChipMixBatch`): a removal "for transfer" only uninstalls, on-order is what was ordered less delivered and
 * cancelled, rented-out is the active rentals' chips.
 */
export const chipMixAt = (view: ComplianceView, dataCenterId: string, domestic: DomesticDefinition, rentals: readonly RentalAsOf[]): ChipMixLineAsOf[] => {
  const record = view.record(dataCenterId);
  if (!record) return [];
  const orders = new Map<string, { ordered: number; cancelled: number; last: number }>();
  for (const line of view.all(record.orderLines)) {
    const o = orders.get(line.modelId) ?? { ordered: 0, cancelled: 0, last: Number.NEGATIVE_INFINITY };
    if (line.kind === 'placed') o.ordered += line.quantity;
    else o.cancelled += line.quantity;
    o.last = Math.max(o.last, line.at);
    orders.set(line.modelId, o);
  }
  const rented = new Map<string, number>();
  for (const r of rentals) if (r.status === 'active') rented.set(r.modelId, (rented.get(r.modelId) ?? 0) + r.chipCount);
  const modelIds = [...new Set([...view.modelIds(dataCenterId).filter((m) => view.movements(dataCenterId, m).length > 0), ...orders.keys()])].sort();
  return modelIds.map((modelId) => {
    let delivered = 0;
    let installed = 0;
    let inStock = 0;
    let removed = 0;
    let transferredIn = 0;
    let transferredOut = 0;
    let last = orders.get(modelId)?.last ?? Number.NEGATIVE_INFINITY;
    for (const m of view.movements(dataCenterId, modelId)) {
      last = Math.max(last, m.at);
      switch (m.kind) {
        case 'delivered':
          delivered += m.quantity;
          inStock += m.quantity;
          break;
        case 'installed':
          installed += m.quantity;
          inStock -= m.quantity;
          break;
        case 'removed':
          installed -= m.quantity;
          if (m.removalReason === 'transferred') inStock += m.quantity;
          else removed += m.quantity;
          break;
        case 'transferred-out':
          inStock -= m.quantity;
          transferredOut += m.quantity;
          break;
        case 'transferred-in':
          inStock += m.quantity;
          transferredIn += m.quantity;
          break;
      }
    }
    const order = orders.get(modelId);
    const spec = view.spec(modelId);
    return {
      modelId,
      modelName: spec?.name ?? null,
      vendor: spec?.vendor ?? null,
      vendorHeadquarters: spec?.vendorHeadquarters ?? null,
      origin: originOf(spec, domestic),
      eccnClass: spec ? classify3A090(spec) : null,
      installed,
      inStock,
      onOrder: order ? Math.max(order.ordered - delivered - order.cancelled, 0) : 0,
      rentedOut: rented.get(modelId) ?? 0,
      delivered,
      removed,
      transferredIn,
      transferredOut,
      lastEventAt: Number.isFinite(last) ? iso(last) : null,
    };
  });
};

export const totalsOf = (lines: readonly ChipMixLineAsOf[]): ChipTotals =>
  lines.reduce((t, l) => ({ installed: t.installed + l.installed, inStock: t.inStock + l.inStock, onOrder: t.onOrder + l.onOrder, rentedOut: t.rentedOut + l.rentedOut }), {
    installed: 0,
    inStock: 0,
    onOrder: 0,
    rentedOut: 0,
  });

const add = (into: Record<string, number>, key: string, n: number): void => {
  if (n !== 0) into[key] = (into[key] ?? 0) + n;
};

/**
 * Chips by origin, 3A090 class and vendor: on site (installed and in stock) by default, or installed only (what the
 * dashboards' domestic share and fleet mix count).
 */
export const groupChips = (
  lines: readonly ChipMixLineAsOf[],
  into: ChipGroups = { byOrigin: {}, byClass: {}, byVendor: {} },
  count: (line: ChipMixLineAsOf) => number = (l) => l.installed + l.inStock,
): ChipGroups => {
  for (const l of lines) {
    const n = count(l);
    add(into.byOrigin, l.origin, n);
    add(into.byClass, l.eccnClass ?? 'cannot-classify', n);
    add(into.byVendor, l.vendor ?? 'unknown', n);
  }
  return into;
};

export const installedOnly = (line: ChipMixLineAsOf): number => line.installed;

/** The licences cited by the data center's deliveries and transfers-in up to the view's instant, as they stood then. */
export const licencesInUseAt = (view: ComplianceView, dataCenterId: string): LicenceInUse[] => {
  const used = new Map<string, { quantity: number; evidence: string[] }>();
  for (const modelId of view.modelIds(dataCenterId)) {
    for (const m of view.movements(dataCenterId, modelId)) {
      if (m.licenceId === null || (m.kind !== 'delivered' && m.kind !== 'transferred-in')) continue;
      const u = used.get(m.licenceId) ?? { quantity: 0, evidence: [] };
      u.quantity += m.quantity;
      u.evidence.push(m.eventId);
      used.set(m.licenceId, u);
    }
  }
  return [...used.keys()].sort().map((licenceId) => {
    const u = used.get(licenceId) as { quantity: number; evidence: string[] };
    const licence = view.licenceAt(licenceId, view.asOf);
    const t = licence?.terms;
    return {
      licenceId,
      licenceNumber: t?.licenceNumber ?? null,
      consigneeOrganisationId: t?.consigneeOrganisationId ?? null,
      destinationCountry: t?.destinationCountry ?? null,
      modelIds: t?.modelIds ?? [],
      authorisedQuantity: t?.authorisedQuantity ?? null,
      validFrom: t?.validFrom ?? null,
      validTo: t?.validTo ?? null,
      status: licence?.status ?? null,
      quantityHere: u.quantity,
      evidence: [...(licence?.evidence ?? []), ...u.evidence],
    };
  });
};

/** Evidence ids resolved against the folded events (type, stream, both instants) with their link. */
export const resolveEvidence = (ids: readonly string[], events: ReadonlyMap<string, LedgerEntry>): EvidenceRef[] =>
  ids.map((eventId) => {
    const e = events.get(eventId);
    return {
      eventId,
      type: e?.type ?? null,
      streamId: e?.streamId ?? null,
      occurredAt: e?.occurredAt ?? null,
      recordedAt: e?.recordedAt ?? null,
      href: `/events/${eventId}`,
    };
  });

export const withEvidence = (findings: readonly Finding[], events: ReadonlyMap<string, LedgerEntry>): FindingAsOf[] =>
  findings.map((f) => ({ ...f, evidence: resolveEvidence(f.evidence, events) }));

/** Compliance's findings for one data center at `occurredAt`, from a state folded as of it (same function as the projector). */
export const findingsAt = (state: ComplianceState, rulebook: Rulebook, occurredAt: Instant, dataCenterId?: string): Finding[] =>
  evaluate(state, rulebook, occurredAt, dataCenterId === undefined ? {} : { dataCenterId });

/**
 * The data center as the world was at `occurredAt`, according to what the ledger had recorded by `knownAt`: a pure
 * function of the folded events (see `foldLedger`) and the rulebook. Null when the data center was not registered
 * (as far as the ledger knew) by then.
 */
export const dataCenterAsOf = (folded: FoldedLedger, rulebook: Rulebook, at: { occurredAt: Instant; knownAt: Instant }, dataCenterId: string): DataCenterAsOf | null => {
  const view = new ComplianceView(folded.state, Date.parse(at.occurredAt));
  const facts = dataCenterFactsAt(view, dataCenterId);
  if (facts === null) return null;
  const domestic = domesticDefinitionOf(rulebook);
  const rentals = rentalsAt(view, dataCenterId);
  const chipMix = chipMixAt(view, dataCenterId, domestic, rentals);
  return {
    dataCenterId,
    occurredAt: at.occurredAt,
    knownAt: at.knownAt,
    dataCenter: facts,
    chipMix,
    totals: totalsOf(chipMix),
    chips: groupChips(chipMix),
    rentals,
    licencesInUse: licencesInUseAt(view, dataCenterId),
    findings: withEvidence(findingsAt(folded.state, rulebook, at.occurredAt, dataCenterId), folded.events),
    rulesInForce: rulesInForceAt(rulebook, at.occurredAt),
    eventsFolded: folded.state.seq,
    unfoldedEvents: folded.unfolded,
  };
};
