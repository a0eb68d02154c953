import type { LedgerEnvelope } from '@chip-ledger/compliance';
import { classify3A090, type ChipModelSpec, type Eccn3A090Class } from '@chip-ledger/domain';
import type { DomesticDefinition } from '@chip-ledger/compliance';

/** The events chip-mix handles; everything else is ignored. */
export const CHIP_MIX_EVENTS = [
  'OrganisationRegistered',
  'ChipModelAdded',
  'ChipModelCorrected',
  'DataCenterRegistered',
  'ConstructionProgressReported',
  'StateFundingReported',
  'PurchaseOrderPlaced',
  'PurchaseOrderCancelled',
  'ChipsDelivered',
  'ChipsInstalled',
  'ChipsRemoved',
  'ChipsTransferredOut',
  'ChipsTransferredIn',
  'RentalStarted',
  'RentalExtended',
  'RentalEnded',
] as const;

export interface CountDelta {
  dataCenterId: string;
  modelId: string;
  ordered: number;
  cancelled: number;
  delivered: number;
  installed: number;
  inStock: number;
  removed: number;
  transferredIn: number;
  transferredOut: number;
  lastEventAt: string;
}

/** A partial data-center row: null means "this batch says nothing about it". */
export interface DataCenterPatch {
  dataCenterId: string;
  name: string | null;
  ownerOrganisationId: string | null;
  country: string | null;
  region: string | null;
  registeredAt: string | null;
  stateFunded: boolean;
  stateFundedAt: string | null;
  completionPercent: number | null;
  completionReportedAt: string | null;
}

export interface ModelRow {
  modelId: string;
  name: string;
  vendor: string;
  vendorHeadquarters: string;
  fabCountry: string | null;
  usOrigin: boolean;
  eccnClass: Eccn3A090Class;
  domestic: boolean;
  spec: ChipModelSpec;
}

export interface RentalPatch {
  rentalId: string;
  dataCenterId: string | null;
  modelId: string | null;
  chipCount: number | null;
  periodStart: string | null;
  periodEnd: string | null;
  endedAt: string | null;
}

export const isDomestic = (spec: Pick<ChipModelSpec, 'vendorHeadquarters' | 'fabCountry'>, domestic: DomesticDefinition): boolean =>
  domestic.vendorHeadquartersIn.includes(spec.vendorHeadquarters) &&
  (domestic.fabIn === null || (spec.fabCountry !== null && domestic.fabIn.includes(spec.fabCountry)));

export const modelRow = (spec: ChipModelSpec, domestic: DomesticDefinition): ModelRow => ({
  modelId: spec.modelId,
  name: spec.name,
  vendor: spec.vendor,
  vendorHeadquarters: spec.vendorHeadquarters,
  fabCountry: spec.fabCountry,
  usOrigin: spec.usOrigin,
  eccnClass: classify3A090(spec),
  domestic: isDomestic(spec, domestic),
  spec,
});

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : Date.parse(b) >= Date.parse(a) ? b : a);
const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : Date.parse(b) < Date.parse(a) ? b : a);

/**
 * One batch folded into row deltas, in memory: the batch then costs one multi-row upsert per table, whatever
 * its size. Counts are additive deltas (summed by the upsert); facts about a data center merge by occurredAt.
 */
export class ChipMixBatch {
  readonly counts = new Map<string, CountDelta>();
  readonly dataCenters = new Map<string, DataCenterPatch>();
  readonly organisations = new Map<string, { organisationId: string; name: string; headquartersCountry: string; ultimateParentHeadquartersCountry: string }>();
  readonly modelsAdded: ChipModelSpec[] = [];
  readonly modelCorrections: { modelId: string; changes: Partial<ChipModelSpec> }[] = [];
  readonly rentals = new Map<string, RentalPatch>();
  /** Data centers whose chip mix or facts changed, for the change stream. */
  readonly touched = new Map<string, Set<string>>();

  private count(dataCenterId: string, modelId: string, at: string): CountDelta {
    const key = `${dataCenterId}\u0000${modelId}`;
    let row = this.counts.get(key);
    if (!row) {
      row = { dataCenterId: dataCenterId, modelId: modelId, ordered: 0, cancelled: 0, delivered: 0, installed: 0, inStock: 0, removed: 0, transferredIn: 0, transferredOut: 0, lastEventAt: at };
      this.counts.set(key, row);
    }
    row.lastEventAt = later(row.lastEventAt, at) ?? at;
    this.touch(dataCenterId, modelId);
    return row;
  }

  private touch(dataCenterId: string, modelId: string | null): void {
    let models = this.touched.get(dataCenterId);
    if (!models) this.touched.set(dataCenterId, (models = new Set()));
    if (modelId !== null) models.add(modelId);
  }

  private dataCenter(dataCenterId: string): DataCenterPatch {
    let row = this.dataCenters.get(dataCenterId);
    if (!row) {
      row = {
        dataCenterId: dataCenterId,
        name: null,
        ownerOrganisationId: null,
        country: null,
        region: null,
        registeredAt: null,
        stateFunded: false,
        stateFundedAt: null,
        completionPercent: null,
        completionReportedAt: null,
      };
      this.dataCenters.set(dataCenterId, row);
    }
    this.touch(dataCenterId, null);
    return row;
  }

  private rental(rentalId: string): RentalPatch {
    let row = this.rentals.get(rentalId);
    if (!row) {
      row = { rentalId: rentalId, dataCenterId: null, modelId: null, chipCount: null, periodStart: null, periodEnd: null, endedAt: null };
      this.rentals.set(rentalId, row);
    }
    return row;
  }

  add(e: LedgerEnvelope): void {
    const at = e.occurredAt;
    switch (e.type) {
      case 'OrganisationRegistered':
        this.organisations.set(e.data.organisationId, {
          organisationId: e.data.organisationId,
          name: e.data.name,
          headquartersCountry: e.data.headquartersCountry,
          ultimateParentHeadquartersCountry: e.data.ultimateParentHeadquartersCountry,
        });
        return;
      case 'ChipModelAdded':
        this.modelsAdded.push(e.data.model);
        return;
      case 'ChipModelCorrected':
        this.modelCorrections.push({ modelId: e.data.modelId, changes: e.data.changes });
        return;
      case 'DataCenterRegistered': {
        const dc = this.dataCenter(e.data.dataCenterId);
        dc.name = e.data.name;
        dc.ownerOrganisationId = e.data.ownerOrganisationId;
        dc.country = e.data.country;
        dc.region = e.data.region;
        dc.registeredAt = at;
        return;
      }
      case 'ConstructionProgressReported': {
        const dc = this.dataCenter(e.data.dataCenterId);
        // The latest report by occurredAt wins, whatever order late facts arrive in.
        if (dc.completionReportedAt === null || Date.parse(at) >= Date.parse(dc.completionReportedAt)) {
          dc.completionPercent = e.data.completionPercent;
          dc.completionReportedAt = at;
        }
        return;
      }
      case 'StateFundingReported': {
        const dc = this.dataCenter(e.data.dataCenterId);
        dc.stateFunded = true;
        dc.stateFundedAt = earlier(dc.stateFundedAt, at);
        return;
      }
      case 'PurchaseOrderPlaced':
        for (const l of e.data.lines) this.count(e.data.dataCenterId, l.modelId, at).ordered += l.quantity;
        return;
      case 'PurchaseOrderCancelled':
        for (const l of e.data.cancelledLines) this.count(e.data.dataCenterId, l.modelId, at).cancelled += l.quantity;
        return;
      case 'ChipsDelivered': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.delivered += e.data.quantity;
        c.inStock += e.data.quantity;
        return;
      }
      case 'ChipsInstalled': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.installed += e.data.quantity;
        c.inStock -= e.data.quantity;
        return;
      }
      case 'ChipsRemoved': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.installed -= e.data.quantity;
        // Removed "for transfer" only uninstalls: the chips stay in stock until ChipsTransferredOut.
        if (e.data.reason === 'transferred') c.inStock += e.data.quantity;
        else c.removed += e.data.quantity;
        return;
      }
      case 'ChipsTransferredOut': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.inStock -= e.data.quantity;
        c.transferredOut += e.data.quantity;
        return;
      }
      case 'ChipsTransferredIn': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.inStock += e.data.quantity;
        c.transferredIn += e.data.quantity;
        return;
      }
      case 'RentalStarted': {
        const r = this.rental(e.data.rentalId);
        r.dataCenterId = e.data.providerDataCenterId;
        r.modelId = e.data.modelId;
        r.chipCount = e.data.chipCount;
        r.periodStart = e.data.periodStart;
        r.periodEnd = later(r.periodEnd, e.data.periodEnd);
        this.touch(e.data.providerDataCenterId, e.data.modelId);
        return;
      }
      case 'RentalExtended': {
        const r = this.rental(e.data.rentalId);
        r.periodEnd = later(r.periodEnd, e.data.newPeriodEnd);
        return;
      }
      case 'RentalEnded': {
        const r = this.rental(e.data.rentalId);
        r.endedAt = earlier(r.endedAt, at);
        return;
      }
      default:
        return;
    }
  }
}
