import type { LedgerEnvelope } from '@chip-ledger/compliance';

export const RENTAL_EVENTS = ['DataCenterRegistered', 'RentalStarted', 'RentalExtended', 'RentalEnded'] as const;

/** What one batch says about a rental (null: nothing); `extensions` counts this batch's, added to the stored ones. */
export interface RentalPatch {
  rentalId: string;
  providerDataCenterId: string | null;
  tenantOrganisationId: string | null;
  modelId: string | null;
  chipCount: number | null;
  purpose: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  startedAt: string | null;
  extensions: number;
  endedAt: string | null;
  endReason: string | null;
  updatedAt: string;
}

/** Who owns a provider data center (joined when read, whatever order the facts arrived in). */
export interface ProviderRow {
  dataCenterId: string;
  ownerOrganisationId: string;
}

/** One batch folded into rental patches and provider owners, in memory: then one statement per table. */
export class RentalBatch {
  readonly providers = new Map<string, ProviderRow>();
  readonly patches = new Map<string, RentalPatch>();

  add(e: LedgerEnvelope): void {
    switch (e.type) {
      case 'DataCenterRegistered':
        this.providers.set(e.data.dataCenterId, { dataCenterId: e.data.dataCenterId, ownerOrganisationId: e.data.ownerOrganisationId });
        return;
      case 'RentalStarted':
        Object.assign(this.patch(e.data.rentalId, e.recordedAt), {
          providerDataCenterId: e.data.providerDataCenterId,
          tenantOrganisationId: e.data.tenantOrganisationId,
          modelId: e.data.modelId,
          chipCount: e.data.chipCount,
          purpose: e.data.purpose,
          periodStart: e.data.periodStart,
          periodEnd: e.data.periodEnd,
          startedAt: e.occurredAt,
        });
        return;
      case 'RentalExtended': {
        const p = this.patch(e.data.rentalId, e.recordedAt);
        p.periodEnd = e.data.newPeriodEnd;
        p.extensions += 1;
        return;
      }
      case 'RentalEnded': {
        const p = this.patch(e.data.rentalId, e.recordedAt);
        p.endedAt = e.occurredAt;
        p.endReason = e.data.reason;
        return;
      }
      default:
        return;
    }
  }

  private patch(rentalId: string, at: string): RentalPatch {
    let p = this.patches.get(rentalId);
    if (!p) {
      p = {
        rentalId,
        providerDataCenterId: null,
        tenantOrganisationId: null,
        modelId: null,
        chipCount: null,
        purpose: null,
        periodStart: null,
        periodEnd: null,
        startedAt: null,
        extensions: 0,
        endedAt: null,
        endReason: null,
        updatedAt: at,
      };
      this.patches.set(rentalId, p);
    }
    p.updatedAt = at;
    return p;
  }
}
