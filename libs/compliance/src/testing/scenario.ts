import { streamIdOf, type Actor, type Instant, type LedgerEvent, type OrderLine } from '@chip-ledger/domain';
import type { LedgerEnvelope } from '../state/compliance-state';

/** '2025-11-05' or a full ISO instant → a full ISO instant (UTC midnight for a bare date). */
export const at = (when: string): Instant => (/^\d{4}-\d{2}-\d{2}$/.test(when) ? `${when}T00:00:00.000Z` : when);


const operator: Actor = { id: 'test-operator', organisation: 'test', role: 'operator' };
const auditor: Actor = { id: 'test-auditor', organisation: 'audit', role: 'auditor' };

/**
 * Builds envelopes for tests: deterministic event ids (`evt-1`, ...), per-stream versions, occurredAt as given,
 * recordedAt = occurredAt unless told otherwise. Helpers name the facts the worked examples need.
 */
export class Scenario {
  readonly envelopes: LedgerEnvelope[] = [];
  private readonly versions = new Map<string, number>();
  private n = 0;

  record(when: string, event: LedgerEvent, options: { recordedAt?: string; eventId?: string } = {}): LedgerEnvelope {
    const streamId = streamIdOf(event);
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.n += 1;
    const eventId = options.eventId ?? `evt-${this.n}`;
    const envelope = {
      eventId,
      type: event.type,
      schemaVersion: 1,
      streamId,
      version,
      occurredAt: at(when),
      recordedAt: at(options.recordedAt ?? when),
      actor: event.type === 'CaseReviewDecided' || event.type === 'FindingAcknowledged' ? auditor : operator,
      correlationId: `corr-${this.n}`,
      causationId: null,
      data: event.data,
    } as LedgerEnvelope;
    this.envelopes.push(envelope);
    return envelope;
  }

  organisation(when: string, organisationId: string, headquartersCountry: string, ultimateParentHeadquartersCountry = headquartersCountry, name = organisationId): this {
    this.record(when, { type: 'OrganisationRegistered', data: { organisationId, name, headquartersCountry, ultimateParentHeadquartersCountry } });
    return this;
  }
  listed(when: string, organisationId: string): this {
    this.record(when, { type: 'RestrictedPartyListed', data: { organisationId, list: 'US-ENTITY-LIST', reference: null } });
    return this;
  }
  delisted(when: string, organisationId: string): this {
    this.record(when, { type: 'RestrictedPartyDelisted', data: { organisationId, list: 'US-ENTITY-LIST', reference: null } });
    return this;
  }
  dataCenter(when: string, dataCenterId: string, ownerOrganisationId: string, country: string, region = 'region'): this {
    this.record(when, { type: 'DataCenterRegistered', data: { dataCenterId, name: dataCenterId, ownerOrganisationId, country, region } });
    return this;
  }
  progress(when: string, dataCenterId: string, completionPercent: number): this {
    this.record(when, { type: 'ConstructionProgressReported', data: { dataCenterId, completionPercent } });
    return this;
  }
  stateFunding(when: string, dataCenterId: string): this {
    this.record(when, { type: 'StateFundingReported', data: { dataCenterId, funder: 'state', reference: null } });
    return this;
  }
  order(when: string, purchaseOrderId: string, dataCenterId: string, buyerOrganisationId: string, lines: OrderLine[]): this {
    this.record(when, { type: 'PurchaseOrderPlaced', data: { purchaseOrderId, buyerOrganisationId, dataCenterId, supplier: 'supplier', lines } });
    return this;
  }
  cancel(when: string, purchaseOrderId: string, dataCenterId: string, cancelledLines: OrderLine[]): this {
    this.record(when, { type: 'PurchaseOrderCancelled', data: { purchaseOrderId, dataCenterId, reason: 'cancelled', cancelledLines } });
    return this;
  }
  deliver(
    when: string,
    dataCenterId: string,
    modelId: string,
    quantity: number,
    o: { deliveryId?: string; purchaseOrderId?: string; licenceId?: string | null; shippedFromCountry?: string } = {},
  ): this {
    this.record(when, {
      type: 'ChipsDelivered',
      data: {
        deliveryId: o.deliveryId ?? `del-${this.n + 1}`,
        dataCenterId,
        modelId,
        quantity,
        purchaseOrderId: o.purchaseOrderId ?? `po-${dataCenterId}`,
        licenceId: o.licenceId ?? null,
        shippedFromCountry: o.shippedFromCountry ?? 'TW',
      },
    });
    return this;
  }
  install(when: string, dataCenterId: string, modelId: string, quantity: number): this {
    this.record(when, { type: 'ChipsInstalled', data: { dataCenterId, modelId, quantity } });
    return this;
  }
  remove(when: string, dataCenterId: string, modelId: string, quantity: number, reason: 'decommissioned' | 'failed' | 'remediation' | 'transferred' = 'remediation'): this {
    this.record(when, { type: 'ChipsRemoved', data: { dataCenterId, modelId, quantity, reason } });
    return this;
  }
  transfer(
    when: string,
    from: { dataCenterId: string; country: string },
    to: { dataCenterId: string; country: string },
    modelId: string,
    quantity: number,
    o: { transferId?: string; permitReference?: string | null; licenceId?: string | null } = {},
  ): this {
    const transferId = o.transferId ?? `tr-${this.n + 1}`;
    const common = { transferId, modelId, quantity, permitReference: o.permitReference ?? null, licenceId: o.licenceId ?? null };
    this.record(when, { type: 'ChipsTransferredOut', data: { ...common, dataCenterId: from.dataCenterId, toDataCenterId: to.dataCenterId, toCountry: to.country } });
    this.record(when, { type: 'ChipsTransferredIn', data: { ...common, dataCenterId: to.dataCenterId, fromDataCenterId: from.dataCenterId, fromCountry: from.country } });
    return this;
  }
  licence(
    when: string,
    licenceId: string,
    t: { consigneeOrganisationId: string; destinationCountry: string; modelIds: string[]; authorisedQuantity: number; validFrom?: string; validTo?: string; revenueSharePercent?: number | null },
  ): this {
    this.record(when, {
      type: 'ExportLicenceIssued',
      data: {
        licenceId,
        licenceNumber: `L-${licenceId}`,
        exporter: 'exporter',
        consigneeOrganisationId: t.consigneeOrganisationId,
        destinationCountry: t.destinationCountry,
        modelIds: t.modelIds,
        authorisedQuantity: t.authorisedQuantity,
        validFrom: at(t.validFrom ?? when),
        validTo: at(t.validTo ?? '2030-01-01'),
        conditions: { revenueSharePercent: t.revenueSharePercent ?? null },
      },
    });
    return this;
  }
  remit(when: string, licenceId: string, deliveryIds: string[]): this {
    this.record(when, { type: 'RevenueShareRemitted', data: { licenceId, deliveryIds, amountUsd: '1.00', reference: `rem-${this.n + 1}` } });
    return this;
  }
  rental(
    when: string,
    rentalId: string,
    r: { providerDataCenterId: string; tenantOrganisationId: string; modelId: string; chipCount: number; purpose?: 'training' | 'inference'; periodStart?: string; periodEnd: string },
  ): this {
    this.record(when, {
      type: 'RentalStarted',
      data: {
        rentalId,
        providerDataCenterId: r.providerDataCenterId,
        tenantOrganisationId: r.tenantOrganisationId,
        modelId: r.modelId,
        chipCount: r.chipCount,
        purpose: r.purpose ?? 'training',
        periodStart: at(r.periodStart ?? when),
        periodEnd: at(r.periodEnd),
      },
    });
    return this;
  }
  review(when: string, dataCenterId: string, decision: 'approved' | 'refused', ruleId = 'CN-STATE-FUNDED-DOMESTIC'): this {
    this.record(when, { type: 'CaseReviewDecided', data: { dataCenterId, ruleId, decision, reasoning: 'reasons' } });
    return this;
  }
}

export const scenario = (): Scenario => new Scenario();
