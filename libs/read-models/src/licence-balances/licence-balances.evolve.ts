import type { LedgerEnvelope } from '@chip-ledger/compliance';

export const LICENCE_EVENTS = [
  'ExportLicenceIssued',
  'ExportLicenceAmended',
  'ExportLicenceSuspended',
  'ExportLicenceReinstated',
  'ExportLicenceRevoked',
  'RevenueShareRemitted',
  'ChipsDelivered',
  'ChipsTransferredIn',
  'DataCenterRegistered',
] as const;

export interface LicencePatch {
  licenceId: string;
  licenceNumber: string | null;
  exporter: string | null;
  consigneeOrganisationId: string | null;
  destinationCountry: string | null;
  modelIds: string[] | null;
  authorised: number | null;
  validFrom: string | null;
  validTo: string | null;
  revenueSharePercent: number | null;
  /** undefined in JSON = unchanged; the revenue share can be amended to null, hence the flag. */
  revenueShareSet: boolean;
  status: 'active' | 'suspended' | 'revoked' | null;
  statusReason: string | null;
  issuedAt: string | null;
  updatedAt: string;
}

export interface UsageRow {
  eventId: string;
  licenceId: string;
  kind: 'delivery' | 'transfer-in';
  reference: string;
  dataCenterId: string;
  modelId: string;
  quantity: number;
  occurredAt: string;
}

/** Who owns a data center: a usage draws on a licence only when its data center's owner is the consignee. */
export interface DataCenterOwnerRow {
  dataCenterId: string;
  ownerOrganisationId: string;
}

export interface RemittanceRow {
  eventId: string;
  licenceId: string;
  reference: string;
  deliveryIds: string[];
  /** Exact decimal (RevenueShareRemitted v2); the column is numeric. */
  amountUsd: string;
  occurredAt: string;
}

/** One batch folded into licence patches (last word per field, in log order), usage rows and remittance rows. */
export class LicenceBatch {
  readonly licences = new Map<string, LicencePatch>();
  readonly usages: UsageRow[] = [];
  readonly remittances: RemittanceRow[] = [];
  readonly owners: DataCenterOwnerRow[] = [];
  readonly touched = new Set<string>();

  private patch(licenceId: string, at: string): LicencePatch {
    let p = this.licences.get(licenceId);
    if (!p) {
      p = {
        licenceId,
        licenceNumber: null,
        exporter: null,
        consigneeOrganisationId: null,
        destinationCountry: null,
        modelIds: null,
        authorised: null,
        validFrom: null,
        validTo: null,
        revenueSharePercent: null,
        revenueShareSet: false,
        status: null,
        statusReason: null,
        issuedAt: null,
        updatedAt: at,
      };
      this.licences.set(licenceId, p);
    }
    p.updatedAt = at;
    this.touched.add(licenceId);
    return p;
  }

  add(e: LedgerEnvelope): void {
    switch (e.type) {
      case 'ExportLicenceIssued': {
        const p = this.patch(e.data.licenceId, e.recordedAt);
        Object.assign(p, {
          licenceNumber: e.data.licenceNumber,
          exporter: e.data.exporter,
          consigneeOrganisationId: e.data.consigneeOrganisationId,
          destinationCountry: e.data.destinationCountry,
          modelIds: e.data.modelIds,
          authorised: e.data.authorisedQuantity,
          validFrom: e.data.validFrom,
          validTo: e.data.validTo,
          revenueSharePercent: e.data.conditions.revenueSharePercent,
          revenueShareSet: true,
          status: 'active',
          issuedAt: e.occurredAt,
        });
        return;
      }
      case 'ExportLicenceAmended': {
        const p = this.patch(e.data.licenceId, e.recordedAt);
        const c = e.data.changes;
        if (c.modelIds !== undefined) p.modelIds = c.modelIds;
        if (c.authorisedQuantity !== undefined) p.authorised = c.authorisedQuantity;
        if (c.validFrom !== undefined) p.validFrom = c.validFrom;
        if (c.validTo !== undefined) p.validTo = c.validTo;
        if (c.conditions !== undefined) {
          p.revenueSharePercent = c.conditions.revenueSharePercent;
          p.revenueShareSet = true;
        }
        return;
      }
      case 'ExportLicenceSuspended':
      case 'ExportLicenceReinstated':
      case 'ExportLicenceRevoked': {
        const p = this.patch(e.data.licenceId, e.recordedAt);
        p.status = e.type === 'ExportLicenceSuspended' ? 'suspended' : e.type === 'ExportLicenceRevoked' ? 'revoked' : 'active';
        p.statusReason = e.data.reason;
        return;
      }
      case 'RevenueShareRemitted':
        this.touched.add(e.data.licenceId);
        this.remittances.push({
          eventId: e.eventId,
          licenceId: e.data.licenceId,
          reference: e.data.reference,
          deliveryIds: e.data.deliveryIds,
          amountUsd: e.data.amountUsd,
          occurredAt: e.occurredAt,
        });
        return;
      case 'ChipsDelivered':
      case 'ChipsTransferredIn': {
        if (e.data.licenceId === null) return;
        this.touched.add(e.data.licenceId);
        this.usages.push({
          eventId: e.eventId,
          licenceId: e.data.licenceId,
          kind: e.type === 'ChipsDelivered' ? 'delivery' : 'transfer-in',
          reference: e.type === 'ChipsDelivered' ? e.data.deliveryId : e.data.transferId,
          dataCenterId: e.data.dataCenterId,
          modelId: e.data.modelId,
          quantity: e.data.quantity,
          occurredAt: e.occurredAt,
        });
        return;
      }
      case 'DataCenterRegistered':
        this.owners.push({ dataCenterId: e.data.dataCenterId, ownerOrganisationId: e.data.ownerOrganisationId });
        return;
      default:
        return;
    }
  }
}
