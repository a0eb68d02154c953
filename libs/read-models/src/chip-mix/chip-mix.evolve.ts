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
  data_center_id: string;
  model_id: string;
  ordered: number;
  cancelled: number;
  delivered: number;
  installed: number;
  in_stock: number;
  removed: number;
  transferred_in: number;
  transferred_out: number;
  last_event_at: string;
}

/** A partial data-center row: null means "this batch says nothing about it". */
export interface DataCenterPatch {
  data_center_id: string;
  name: string | null;
  owner_organisation_id: string | null;
  country: string | null;
  region: string | null;
  registered_at: string | null;
  state_funded: boolean;
  state_funded_at: string | null;
  completion_percent: number | null;
  completion_reported_at: string | null;
}

export interface ModelRow {
  model_id: string;
  name: string;
  vendor: string;
  vendor_headquarters: string;
  fab_country: string | null;
  us_origin: boolean;
  eccn_class: Eccn3A090Class;
  domestic: boolean;
  spec: ChipModelSpec;
}

export interface RentalPatch {
  rental_id: string;
  data_center_id: string | null;
  model_id: string | null;
  chip_count: number | null;
  period_start: string | null;
  period_end: string | null;
  ended_at: string | null;
}

export const isDomestic = (spec: Pick<ChipModelSpec, 'vendorHeadquarters' | 'fabCountry'>, domestic: DomesticDefinition): boolean =>
  domestic.vendorHeadquartersIn.includes(spec.vendorHeadquarters) &&
  (domestic.fabIn === null || (spec.fabCountry !== null && domestic.fabIn.includes(spec.fabCountry)));

export const modelRow = (spec: ChipModelSpec, domestic: DomesticDefinition): ModelRow => ({
  model_id: spec.modelId,
  name: spec.name,
  vendor: spec.vendor,
  vendor_headquarters: spec.vendorHeadquarters,
  fab_country: spec.fabCountry,
  us_origin: spec.usOrigin,
  eccn_class: classify3A090(spec),
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
  readonly organisations = new Map<string, { organisation_id: string; name: string; headquarters_country: string; ultimate_parent_headquarters_country: string }>();
  readonly modelsAdded: ChipModelSpec[] = [];
  readonly modelCorrections: { modelId: string; changes: Partial<ChipModelSpec> }[] = [];
  readonly rentals = new Map<string, RentalPatch>();
  /** Data centers whose chip mix or facts changed, for the change stream. */
  readonly touched = new Map<string, Set<string>>();

  private count(dataCenterId: string, modelId: string, at: string): CountDelta {
    const key = `${dataCenterId}\u0000${modelId}`;
    let row = this.counts.get(key);
    if (!row) {
      row = { data_center_id: dataCenterId, model_id: modelId, ordered: 0, cancelled: 0, delivered: 0, installed: 0, in_stock: 0, removed: 0, transferred_in: 0, transferred_out: 0, last_event_at: at };
      this.counts.set(key, row);
    }
    row.last_event_at = later(row.last_event_at, at) ?? at;
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
        data_center_id: dataCenterId,
        name: null,
        owner_organisation_id: null,
        country: null,
        region: null,
        registered_at: null,
        state_funded: false,
        state_funded_at: null,
        completion_percent: null,
        completion_reported_at: null,
      };
      this.dataCenters.set(dataCenterId, row);
    }
    this.touch(dataCenterId, null);
    return row;
  }

  private rental(rentalId: string): RentalPatch {
    let row = this.rentals.get(rentalId);
    if (!row) {
      row = { rental_id: rentalId, data_center_id: null, model_id: null, chip_count: null, period_start: null, period_end: null, ended_at: null };
      this.rentals.set(rentalId, row);
    }
    return row;
  }

  add(e: LedgerEnvelope): void {
    const at = e.occurredAt;
    switch (e.type) {
      case 'OrganisationRegistered':
        this.organisations.set(e.data.organisationId, {
          organisation_id: e.data.organisationId,
          name: e.data.name,
          headquarters_country: e.data.headquartersCountry,
          ultimate_parent_headquarters_country: e.data.ultimateParentHeadquartersCountry,
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
        dc.owner_organisation_id = e.data.ownerOrganisationId;
        dc.country = e.data.country;
        dc.region = e.data.region;
        dc.registered_at = at;
        return;
      }
      case 'ConstructionProgressReported': {
        const dc = this.dataCenter(e.data.dataCenterId);
        // The latest report by occurredAt wins, whatever order late facts arrive in.
        if (dc.completion_reported_at === null || Date.parse(at) >= Date.parse(dc.completion_reported_at)) {
          dc.completion_percent = e.data.completionPercent;
          dc.completion_reported_at = at;
        }
        return;
      }
      case 'StateFundingReported': {
        const dc = this.dataCenter(e.data.dataCenterId);
        dc.state_funded = true;
        dc.state_funded_at = earlier(dc.state_funded_at, at);
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
        c.in_stock += e.data.quantity;
        return;
      }
      case 'ChipsInstalled': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.installed += e.data.quantity;
        c.in_stock -= e.data.quantity;
        return;
      }
      case 'ChipsRemoved': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.installed -= e.data.quantity;
        // Removed "for transfer" only uninstalls: the chips stay in stock until ChipsTransferredOut.
        if (e.data.reason === 'transferred') c.in_stock += e.data.quantity;
        else c.removed += e.data.quantity;
        return;
      }
      case 'ChipsTransferredOut': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.in_stock -= e.data.quantity;
        c.transferred_out += e.data.quantity;
        return;
      }
      case 'ChipsTransferredIn': {
        const c = this.count(e.data.dataCenterId, e.data.modelId, at);
        c.in_stock += e.data.quantity;
        c.transferred_in += e.data.quantity;
        return;
      }
      case 'RentalStarted': {
        const r = this.rental(e.data.rentalId);
        r.data_center_id = e.data.providerDataCenterId;
        r.model_id = e.data.modelId;
        r.chip_count = e.data.chipCount;
        r.period_start = e.data.periodStart;
        r.period_end = later(r.period_end, e.data.periodEnd);
        this.touch(e.data.providerDataCenterId, e.data.modelId);
        return;
      }
      case 'RentalExtended': {
        const r = this.rental(e.data.rentalId);
        r.period_end = later(r.period_end, e.data.newPeriodEnd);
        return;
      }
      case 'RentalEnded': {
        const r = this.rental(e.data.rentalId);
        r.ended_at = earlier(r.ended_at, at);
        return;
      }
      default:
        return;
    }
  }
}
