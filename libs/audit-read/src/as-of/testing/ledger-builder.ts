import { contextOfEvent, EVENT_SCHEMA_VERSIONS, streamIdOf, type LedgerEvent, type OrderLine } from '@chip-ledger/domain';
import type { LedgerEntry, LedgerStore } from '../ledger-entry';

/** '2025-11-05' → '2025-11-05T00:00:00.000Z'; a full instant is normalised. */
export const at = (when: string): string => new Date(/^\d{4}-\d{2}-\d{2}$/.test(when) ? `${when}T00:00:00.000Z` : when).toISOString();


/**
 * Builds ledger entries for unit tests the way the stores would record them: per-store global positions, per-stream
 * versions, `recordedAt` = `occurredAt` unless a late recording is asked for. Ids are `evt-1`, `evt-2`, ...
 */
export class LedgerBuilder {
  readonly entries: LedgerEntry[] = [];
  private readonly versions = new Map<string, number>();
  private readonly positions = new Map<LedgerStore, number>();

  record(when: string, event: LedgerEvent, options: { recordedAt?: string } = {}): LedgerEntry {
    const streamId = streamIdOf(event);
    const context: LedgerStore = contextOfEvent(event);
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    const globalPosition = (this.positions.get(context) ?? 0) + 1;
    this.positions.set(context, globalPosition);
    const entry: LedgerEntry = {
      eventId: `evt-${this.entries.length + 1}`,
      context,
      streamId,
      version,
      globalPosition,
      type: event.type,
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
      data: event.data,
      actor: { id: 'tester', organisation: 'test', role: event.type === 'CaseReviewDecided' ? 'auditor' : 'operator' },
      occurredAt: at(when),
      recordedAt: at(options.recordedAt ?? when),
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
      correlationId: `corr-${this.entries.length + 1}`,
      causationId: null,
    };
    this.entries.push(entry);
    return entry;
  }

  organisation(when: string, organisationId: string, hq: string, parentHq = hq): this {
    this.record(when, { type: 'OrganisationRegistered', data: { organisationId, name: organisationId, headquartersCountry: hq, ultimateParentHeadquartersCountry: parentHq } });
    return this;
  }
  dataCenter(when: string, dataCenterId: string, owner: string, country: string): this {
    this.record(when, { type: 'DataCenterRegistered', data: { dataCenterId, name: dataCenterId, ownerOrganisationId: owner, country, region: 'region' } });
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
  order(when: string, purchaseOrderId: string, dataCenterId: string, buyer: string, lines: OrderLine[]): this {
    this.record(when, { type: 'PurchaseOrderPlaced', data: { purchaseOrderId, buyerOrganisationId: buyer, dataCenterId, supplier: 'supplier', lines } });
    return this;
  }
  deliver(when: string, dataCenterId: string, modelId: string, quantity: number, o: { licenceId?: string | null; shippedFromCountry?: string; recordedAt?: string } = {}): this {
    this.record(
      when,
      {
        type: 'ChipsDelivered',
        data: { deliveryId: `del-${this.entries.length + 1}`, dataCenterId, modelId, quantity, purchaseOrderId: `po-${dataCenterId}`, licenceId: o.licenceId ?? null, shippedFromCountry: o.shippedFromCountry ?? 'US' },
      },
      { recordedAt: o.recordedAt },
    );
    return this;
  }
  install(when: string, dataCenterId: string, modelId: string, quantity: number, o: { recordedAt?: string } = {}): this {
    this.record(when, { type: 'ChipsInstalled', data: { dataCenterId, modelId, quantity } }, o);
    return this;
  }
  remove(when: string, dataCenterId: string, modelId: string, quantity: number, o: { recordedAt?: string } = {}): this {
    this.record(when, { type: 'ChipsRemoved', data: { dataCenterId, modelId, quantity, reason: 'remediation' } }, o);
    return this;
  }
  transfer(when: string, from: { dataCenterId: string; country: string }, to: { dataCenterId: string; country: string }, modelId: string, quantity: number): this {
    const common = { transferId: `tr-${this.entries.length + 1}`, modelId, quantity, permitReference: null, licenceId: null };
    this.record(when, { type: 'ChipsTransferredOut', data: { ...common, dataCenterId: from.dataCenterId, toDataCenterId: to.dataCenterId, toCountry: to.country } });
    this.record(when, { type: 'ChipsTransferredIn', data: { ...common, dataCenterId: to.dataCenterId, fromDataCenterId: from.dataCenterId, fromCountry: from.country } });
    return this;
  }
  rental(when: string, rentalId: string, r: { providerDataCenterId: string; tenantOrganisationId: string; modelId: string; chipCount: number; periodEnd: string; periodStart?: string }): this {
    this.record(when, {
      type: 'RentalStarted',
      data: { ...r, rentalId, purpose: 'training', periodStart: at(r.periodStart ?? when), periodEnd: at(r.periodEnd) },
    });
    return this;
  }
  licence(when: string, licenceId: string, consignee: string, country: string, modelIds: string[], authorisedQuantity: number): this {
    this.record(when, {
      type: 'ExportLicenceIssued',
      data: {
        licenceId,
        licenceNumber: `L-${licenceId}`,
        exporter: 'exporter',
        consigneeOrganisationId: consignee,
        destinationCountry: country,
        modelIds,
        authorisedQuantity,
        validFrom: at(when),
        validTo: at('2030-01-01'),
        conditions: { revenueSharePercent: null },
      },
    });
    return this;
  }
  review(when: string, dataCenterId: string, decision: 'approved' | 'refused'): this {
    this.record(when, { type: 'CaseReviewDecided', data: { dataCenterId, ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision, reasoning: 'reasons' } });
    return this;
  }
  note(when: string, dataCenterId: string, note: string): this {
    this.record(when, { type: 'AuditNoteRecorded', data: { dataCenterId, note } });
    return this;
  }
}
