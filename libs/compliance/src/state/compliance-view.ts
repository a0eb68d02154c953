import { type ChipModelSpec, type CountryCode } from '@chip-ledger/domain';
import type { ComplianceState, DataCenterRecord, Fact, LicenceRecord, LicenceTerms, Movement, RentalRecord } from './compliance-state';

export interface DataCenterInfo {
  readonly dataCenterId: string;
  readonly name: string;
  readonly ownerOrganisationId: string;
  readonly country: CountryCode;
  readonly registeredAt: number;
  readonly eventId: string;
}
export interface OrganisationInfo {
  readonly organisationId: string;
  readonly name: string;
  readonly headquartersCountry: CountryCode;
  readonly ultimateParentHeadquartersCountry: CountryCode;
  readonly eventId: string;
}
export interface LicenceAt {
  readonly licenceId: string;
  readonly terms: LicenceTerms;
  readonly status: 'active' | 'suspended' | 'revoked';
  readonly evidence: string[];
}
export interface StockPosition {
  readonly delivered: number;
  readonly installed: number;
  /** Installed and not removed. */
  readonly installedNow: number;
  /** Physically at the data center, installed or in stock. */
  readonly onSite: number;
  readonly evidence: string[];
}

const byTime = (a: Fact, b: Fact): number => a.at - b.at || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : a.seq - b.seq);

const isChronological = (xs: readonly Fact[]): boolean => {
  for (let i = 1; i < xs.length; i++) if (byTime(xs[i - 1], xs[i]) > 0) return false;
  return true;
};

/**
 * What is known of a fact list of the (append-only) store, kept up to date by scanning only what was appended
 * since the last look: whether it is in chronological order, and its latest `at` and highest `seq`.
 */
interface ListShape {
  scanned: number;
  chronological: boolean;
  maxAt: number;
  maxSeq: number;
  /** The list sorted by time when it was not appended in order (facts from several partitions), while it has this length. */
  sorted: readonly Fact[] | null;
}
const shapes = new WeakMap<readonly Fact[], ListShape>();
const shapeOf = (xs: readonly Fact[]): ListShape => {
  let shape = shapes.get(xs);
  if (shape === undefined) shapes.set(xs, (shape = { scanned: 0, chronological: true, maxAt: Number.NEGATIVE_INFINITY, maxSeq: Number.NEGATIVE_INFINITY, sorted: null }));
  for (let i = shape.scanned; i < xs.length; i++) {
    const x = xs[i];
    if (i > 0 && byTime(xs[i - 1], x) > 0) shape.chronological = false;
    if (x.at > shape.maxAt) shape.maxAt = x.at;
    if (x.seq > shape.maxSeq) shape.maxSeq = x.seq;
  }
  shape.scanned = xs.length;
  return shape;
};

/**
 * The list in time order: itself when it was appended in order, else a sorted copy kept across views until the
 * list grows (the store only appends, so a list of the same length holds the same facts). Do not mutate it.
 */
const inTimeOrder = <T extends Fact>(xs: readonly T[], shape: ListShape): readonly T[] => {
  if (shape.chronological) return xs;
  if (shape.sorted === null || shape.sorted.length !== xs.length) shape.sorted = [...xs].sort(byTime);
  return shape.sorted as readonly T[];
};

/** Lists shorter than this are scanned as they are: ordering them would cost more than it saves. */
const ORDERED_FROM = 16;

/** How many facts of a list in time order occurred at or before `at` (binary search). */
const countUpTo = (xs: readonly Fact[], at: number): number => {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid].at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Facts sorted by occurrence (ties by fold order). */
export const chronological = <T extends Fact>(xs: readonly T[]): T[] => (isChronological(xs) ? [...xs] : [...xs].sort(byTime));

/**
 * The state as it stood at `asOf`: only facts folded into this state (`seq`) that occurred at or before
 * `asOf` are visible. Every rule reads the state through one of these; it caches per evaluation: a view
 * answers for one state, whose facts never change (later facts have a higher `seq` and stay invisible),
 * so what it derived once (visible facts in order, data centers, organisations, licences) it keeps.
 */
export class ComplianceView {
  readonly asOf: number;
  private readonly specs = new Map<string, ChipModelSpec | undefined>();
  private readonly lists = new Map<readonly Fact[], readonly Fact[]>();
  private readonly dataCenters = new Map<string, DataCenterInfo | undefined>();
  private readonly organisations = new Map<string, OrganisationInfo | undefined>();
  private readonly licences = new Map<string, LicenceAt | undefined>();
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly state: ComplianceState,
    asOf: number,
  ) {
    this.asOf = asOf;
  }

  visible = (f: Fact): boolean => f.seq <= this.state.seq && f.at <= this.asOf;
  visibleAt = (f: Fact, at: number): boolean => f.seq <= this.state.seq && f.at <= Math.min(at, this.asOf);
  /** The latest visible fact occurring at or before `at` (default: asOf). */
  latest<T extends Fact>(xs: readonly T[], at = this.asOf): T | undefined {
    if (xs.length >= ORDERED_FROM) {
      const shape = shapeOf(xs);
      // Every fact folded in: the latest visible one is the last in time order occurring by then.
      if (shape.maxSeq <= this.state.seq) {
        const ordered = inTimeOrder(xs, shape);
        const n = countUpTo(ordered, Math.min(at, this.asOf));
        return n > 0 ? ordered[n - 1] : undefined;
      }
    }
    let best: T | undefined;
    for (const x of xs) if (this.visibleAt(x, at) && (best === undefined || byTime(x, best) > 0)) best = x;
    return best;
  }
  /** The visible facts in chronological order; computed once per list and view (do not mutate the result). */
  all<T extends Fact>(xs: readonly T[]): readonly T[] {
    if (xs.length === 0) return xs;
    // The usual case: a list appended in time order, every fact of it visible. The list itself is the answer
    // (not cached: a later append would show through; it is only ever read during one evaluation).
    const shape = shapeOf(xs);
    const folded = shape.maxSeq <= this.state.seq;
    if (folded && shape.maxAt <= this.asOf) return inTimeOrder(xs, shape);
    let out = this.lists.get(xs) as readonly T[] | undefined;
    if (out === undefined) {
      if (folded) {
        // Every fact folded in: the visible ones are those in time order up to asOf (the findings timeline judges at
        // past instants all the time; a slice is far cheaper than a filter and a sort over the whole list).
        const ordered = inTimeOrder(xs, shape);
        out = ordered.slice(0, countUpTo(ordered, this.asOf));
      } else {
        const seen = xs.filter(this.visible);
        out = isChronological(seen) ? seen : seen.sort(byTime);
      }
      this.lists.set(xs, out);
    }
    return out;
  }
  /** A value derived once per view (an evaluation), e.g. a data center's inbound movements. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  dataCenterIds(): string[] {
    return [...this.state.store.dataCenters.keys()].filter((id) => this.dataCenter(id) !== undefined).sort();
  }
  record(dataCenterId: string): DataCenterRecord | undefined {
    return this.state.store.dataCenters.get(dataCenterId);
  }
  dataCenter(dataCenterId: string): DataCenterInfo | undefined {
    if (this.dataCenters.has(dataCenterId)) return this.dataCenters.get(dataCenterId);
    const r = this.record(dataCenterId);
    const reg = r && this.latest(r.registrations);
    let info: DataCenterInfo | undefined;
    if (r && reg) {
      const first = this.all(r.registrations)[0] ?? reg;
      info = { dataCenterId, name: reg.name, ownerOrganisationId: reg.ownerOrganisationId, country: reg.country, registeredAt: first.at, eventId: reg.eventId };
    }
    this.dataCenters.set(dataCenterId, info);
    return info;
  }
  organisation(organisationId: string): OrganisationInfo | undefined {
    if (this.organisations.has(organisationId)) return this.organisations.get(organisationId);
    const reg = this.latest(this.state.store.organisations.get(organisationId)?.registrations ?? []);
    const info = reg && { organisationId, name: reg.name, headquartersCountry: reg.headquartersCountry, ultimateParentHeadquartersCountry: reg.ultimateParentHeadquartersCountry, eventId: reg.eventId };
    this.organisations.set(organisationId, info);
    return info;
  }
  /** The listing fact in force for the organisation on `list` at `at`, or undefined when not listed. */
  listingAt(organisationId: string, list: string, at: number): { eventId: string } | undefined {
    const all = this.state.store.organisations.get(organisationId)?.listings;
    if (all === undefined || all.length === 0) return undefined;
    const last = this.latest(all.filter((l) => l.list === list), at);
    return last?.listed ? last : undefined;
  }

  /** The catalog entry as known at asOf: base (seed) or the latest add, with later corrections applied in order. */
  spec(modelId: string): ChipModelSpec | undefined {
    if (this.specs.has(modelId)) return this.specs.get(modelId);
    const rec = this.state.store.models.get(modelId);
    const added = rec && this.latest(rec.added);
    let spec = added?.spec ?? this.state.baseCatalog.get(modelId);
    if (spec && rec) {
      for (const c of this.all(rec.corrections)) if (added === undefined || byTime(c, added) > 0) spec = { ...spec, ...c.changes, modelId };
    }
    this.specs.set(modelId, spec);
    return spec;
  }

  modelIds(dataCenterId: string): string[] {
    return [...(this.record(dataCenterId)?.stock.keys() ?? [])].sort();
  }
  movements(dataCenterId: string, modelId: string): readonly Movement[] {
    return this.all(this.record(dataCenterId)?.stock.get(modelId) ?? []);
  }
  stock(dataCenterId: string, modelId: string, at = this.asOf): StockPosition {
    let delivered = 0;
    let installed = 0;
    let removed = 0;
    let left = 0;
    let arrived = 0;
    const evidence: string[] = [];
    for (const m of this.movements(dataCenterId, modelId)) {
      if (m.at > at) continue;
      evidence.push(m.eventId);
      switch (m.kind) {
        case 'delivered':
          delivered += m.quantity;
          arrived += m.quantity;
          break;
        case 'transferred-in':
          arrived += m.quantity;
          break;
        case 'transferred-out':
          left += m.quantity;
          break;
        case 'installed':
          installed += m.quantity;
          break;
        case 'removed':
          removed += m.quantity;
          // A removal "for transfer" only uninstalls: the chips leave with the ChipsTransferredOut that follows.
          if (m.removalReason !== 'transferred') left += m.quantity;
          break;
      }
    }
    return { delivered, installed, installedNow: Math.max(0, installed - removed), onSite: Math.max(0, arrived - left), evidence };
  }

  /** Whether the licence had been issued by `at` (as this view sees it): `licenceAt(licenceId, at) !== undefined`, cheaply. */
  licenceIssuedBy(licenceId: string, at: number): boolean {
    const issued = this.state.store.licences.get(licenceId)?.issued;
    if (issued === undefined) return false;
    for (const x of issued) if (this.visibleAt(x, at)) return true;
    return false;
  }

  /** The licence as it stood at `at`: terms with amendments up to then, and its status (do not mutate the result). */
  licenceAt(licenceId: string, at: number): LicenceAt | undefined {
    const key = `${licenceId}@${Math.min(at, this.asOf)}`;
    if (this.licences.has(key)) return this.licences.get(key);
    const answer = this.computeLicenceAt(licenceId, at);
    this.licences.set(key, answer);
    return answer;
  }

  private computeLicenceAt(licenceId: string, at: number): LicenceAt | undefined {
    const rec: LicenceRecord | undefined = this.state.store.licences.get(licenceId);
    const issued = rec && this.latest(rec.issued, at);
    if (!rec || !issued) return undefined;
    let terms = issued.terms;
    const evidence = [issued.eventId];
    // Visible at `at` = visible at asOf and occurred by `at`; the lists are in chronological order.
    for (const a of this.all(rec.amendments)) {
      if (a.at > at) break;
      if (byTime(a, issued) < 0) continue;
      terms = { ...terms, ...a.changes };
      evidence.push(a.eventId);
    }
    let status: LicenceAt['status'] = 'active';
    for (const s of this.all(rec.status)) {
      if (s.at > at) break;
      if (status === 'revoked') break;
      status = s.kind === 'reinstated' ? 'active' : s.kind;
      evidence.push(s.eventId);
    }
    return { licenceId, terms, status, evidence };
  }

  rental(rentalId: string): RentalRecord | undefined {
    return this.state.store.rentals.get(rentalId);
  }
}
