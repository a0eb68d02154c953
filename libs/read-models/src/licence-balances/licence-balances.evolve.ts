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
  licence_id: string;
  licence_number: string | null;
  exporter: string | null;
  consignee_organisation_id: string | null;
  destination_country: string | null;
  model_ids: string[] | null;
  authorised: number | null;
  valid_from: string | null;
  valid_to: string | null;
  revenue_share_percent: number | null;
  /** undefined in JSON = unchanged; the revenue share can be amended to null, hence the flag. */
  revenue_share_set: boolean;
  status: 'active' | 'suspended' | 'revoked' | null;
  status_reason: string | null;
  issued_at: string | null;
  updated_at: string;
}

export interface UsageRow {
  event_id: string;
  licence_id: string;
  kind: 'delivery' | 'transfer-in';
  reference: string;
  data_center_id: string;
  model_id: string;
  quantity: number;
  occurred_at: string;
}

/** Who owns a data center: a usage draws on a licence only when its data center's owner is the consignee. */
export interface DataCenterOwnerRow {
  data_center_id: string;
  owner_organisation_id: string;
}

export interface RemittanceRow {
  event_id: string;
  licence_id: string;
  reference: string;
  delivery_ids: string[];
  /** Exact decimal (RevenueShareRemitted v2); the column is numeric. */
  amount_usd: string;
  occurred_at: string;
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
        licence_id: licenceId,
        licence_number: null,
        exporter: null,
        consignee_organisation_id: null,
        destination_country: null,
        model_ids: null,
        authorised: null,
        valid_from: null,
        valid_to: null,
        revenue_share_percent: null,
        revenue_share_set: false,
        status: null,
        status_reason: null,
        issued_at: null,
        updated_at: at,
      };
      this.licences.set(licenceId, p);
    }
    p.updated_at = at;
    this.touched.add(licenceId);
    return p;
  }

  add(e: LedgerEnvelope): void {
    switch (e.type) {
      case 'ExportLicenceIssued': {
        const p = this.patch(e.data.licenceId, e.recordedAt);
        Object.assign(p, {
          licence_number: e.data.licenceNumber,
          exporter: e.data.exporter,
          consignee_organisation_id: e.data.consigneeOrganisationId,
          destination_country: e.data.destinationCountry,
          model_ids: e.data.modelIds,
          authorised: e.data.authorisedQuantity,
          valid_from: e.data.validFrom,
          valid_to: e.data.validTo,
          revenue_share_percent: e.data.conditions.revenueSharePercent,
          revenue_share_set: true,
          status: 'active',
          issued_at: e.occurredAt,
        });
        return;
      }
      case 'ExportLicenceAmended': {
        const p = this.patch(e.data.licenceId, e.recordedAt);
        const c = e.data.changes;
        if (c.modelIds !== undefined) p.model_ids = c.modelIds;
        if (c.authorisedQuantity !== undefined) p.authorised = c.authorisedQuantity;
        if (c.validFrom !== undefined) p.valid_from = c.validFrom;
        if (c.validTo !== undefined) p.valid_to = c.validTo;
        if (c.conditions !== undefined) {
          p.revenue_share_percent = c.conditions.revenueSharePercent;
          p.revenue_share_set = true;
        }
        return;
      }
      case 'ExportLicenceSuspended':
      case 'ExportLicenceReinstated':
      case 'ExportLicenceRevoked': {
        const p = this.patch(e.data.licenceId, e.recordedAt);
        p.status = e.type === 'ExportLicenceSuspended' ? 'suspended' : e.type === 'ExportLicenceRevoked' ? 'revoked' : 'active';
        p.status_reason = e.data.reason;
        return;
      }
      case 'RevenueShareRemitted':
        this.touched.add(e.data.licenceId);
        this.remittances.push({
          event_id: e.eventId,
          licence_id: e.data.licenceId,
          reference: e.data.reference,
          delivery_ids: e.data.deliveryIds,
          amount_usd: e.data.amountUsd,
          occurred_at: e.occurredAt,
        });
        return;
      case 'ChipsDelivered':
      case 'ChipsTransferredIn': {
        if (e.data.licenceId === null) return;
        this.touched.add(e.data.licenceId);
        this.usages.push({
          event_id: e.eventId,
          licence_id: e.data.licenceId,
          kind: e.type === 'ChipsDelivered' ? 'delivery' : 'transfer-in',
          reference: e.type === 'ChipsDelivered' ? e.data.deliveryId : e.data.transferId,
          data_center_id: e.data.dataCenterId,
          model_id: e.data.modelId,
          quantity: e.data.quantity,
          occurred_at: e.occurredAt,
        });
        return;
      }
      case 'DataCenterRegistered':
        this.owners.push({ data_center_id: e.data.dataCenterId, owner_organisation_id: e.data.ownerOrganisationId });
        return;
      default:
        return;
    }
  }
}
