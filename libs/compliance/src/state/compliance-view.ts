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

const byTime = (a: Fact, b: Fact): number => a.at - b.at || a.seq - b.seq;

/** Facts sorted by occurrence (ties by fold order). */
export const chronological = <T extends Fact>(xs: readonly T[]): T[] => [...xs].sort(byTime);

/**
 * The state as it stood at `asOf`: only facts folded into this state (`seq`) that occurred at or before
 * `asOf` are visible. Every rule reads the state through one of these; it caches per evaluation.
 */
export class ComplianceView {
  readonly asOf: number;
  private readonly specs = new Map<string, ChipModelSpec | undefined>();

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
    let best: T | undefined;
    for (const x of xs) if (this.visibleAt(x, at) && (best === undefined || byTime(x, best) > 0)) best = x;
    return best;
  }
  all<T extends Fact>(xs: readonly T[]): T[] {
    return chronological(xs.filter(this.visible));
  }

  dataCenterIds(): string[] {
    return [...this.state.store.dataCenters.keys()].filter((id) => this.dataCenter(id) !== undefined).sort();
  }
  record(dataCenterId: string): DataCenterRecord | undefined {
    return this.state.store.dataCenters.get(dataCenterId);
  }
  dataCenter(dataCenterId: string): DataCenterInfo | undefined {
    const r = this.record(dataCenterId);
    const reg = r && this.latest(r.registrations);
    if (!r || !reg) return undefined;
    const first = chronological(r.registrations.filter(this.visible))[0] ?? reg;
    return { dataCenterId, name: reg.name, ownerOrganisationId: reg.ownerOrganisationId, country: reg.country, registeredAt: first.at, eventId: reg.eventId };
  }
  organisation(organisationId: string): OrganisationInfo | undefined {
    const reg = this.latest(this.state.store.organisations.get(organisationId)?.registrations ?? []);
    return reg && { organisationId, name: reg.name, headquartersCountry: reg.headquartersCountry, ultimateParentHeadquartersCountry: reg.ultimateParentHeadquartersCountry, eventId: reg.eventId };
  }
  /** The listing fact in force for the organisation on `list` at `at`, or undefined when not listed. */
  listingAt(organisationId: string, list: string, at: number): { eventId: string } | undefined {
    const listings = (this.state.store.organisations.get(organisationId)?.listings ?? []).filter((l) => l.list === list);
    const last = this.latest(listings, at);
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
  movements(dataCenterId: string, modelId: string): Movement[] {
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

  /** The licence as it stood at `at`: terms with amendments up to then, and its status. */
  licenceAt(licenceId: string, at: number): LicenceAt | undefined {
    const rec: LicenceRecord | undefined = this.state.store.licences.get(licenceId);
    const issued = rec && this.latest(rec.issued, at);
    if (!rec || !issued) return undefined;
    let terms = issued.terms;
    const evidence = [issued.eventId];
    for (const a of chronological(rec.amendments.filter((x) => this.visibleAt(x, at)))) {
      if (byTime(a, issued) < 0) continue;
      terms = { ...terms, ...a.changes };
      evidence.push(a.eventId);
    }
    const statuses = chronological(rec.status.filter((x) => this.visibleAt(x, at)));
    let status: LicenceAt['status'] = 'active';
    for (const s of statuses) {
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
