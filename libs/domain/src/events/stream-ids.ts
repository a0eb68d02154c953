import type { LedgerEvent } from './ledger-events';
/** Stream ids, one place. A stream is one aggregate's history. */
export const streamIds = {
  organisation: (organisationId: string) => `organisation-${organisationId}`,
  chipModel: (modelId: string) => `chip-model-${modelId}`,
  dataCenter: (dataCenterId: string) => `data-center-${dataCenterId}`,
  purchaseOrder: (purchaseOrderId: string) => `purchase-order-${purchaseOrderId}`,
  chipStock: (dataCenterId: string, modelId: string) => `chip-stock-${dataCenterId}.${modelId}`,
  rental: (rentalId: string) => `rental-${rentalId}`,
  exportLicence: (licenceId: string) => `export-licence-${licenceId}`,
  audit: (dataCenterId: string) => `audit-${dataCenterId}`,
} as const;

/** The bounded context that records an event: each has a store of its own (and a topic). */
export type LedgerContextOf = 'procurement' | 'rental' | 'audit';

/**
 * The stream an event belongs to: the aggregate it is a fact about. One switch over every event type (a new type
 * fails to compile here until it is given a stream), for tests and tools that build events without a decider.
 */
export function streamIdOf(event: LedgerEvent): string {
  switch (event.type) {
    case 'OrganisationRegistered':
    case 'RestrictedPartyListed':
    case 'RestrictedPartyDelisted':
      return streamIds.organisation(event.data.organisationId);
    case 'ChipModelAdded':
      return streamIds.chipModel(event.data.model.modelId);
    case 'ChipModelCorrected':
      return streamIds.chipModel(event.data.modelId);
    case 'DataCenterRegistered':
    case 'ConstructionProgressReported':
    case 'StateFundingReported':
      return streamIds.dataCenter(event.data.dataCenterId);
    case 'PurchaseOrderPlaced':
    case 'PurchaseOrderCancelled':
      return streamIds.purchaseOrder(event.data.purchaseOrderId);
    case 'ChipsDelivered':
    case 'ChipsInstalled':
    case 'ChipsRemoved':
    case 'ChipsTransferredOut':
    case 'ChipsTransferredIn':
      return streamIds.chipStock(event.data.dataCenterId, event.data.modelId);
    case 'RentalStarted':
    case 'RentalExtended':
    case 'RentalEnded':
      return streamIds.rental(event.data.rentalId);
    case 'ExportLicenceIssued':
    case 'ExportLicenceAmended':
    case 'ExportLicenceSuspended':
    case 'ExportLicenceReinstated':
    case 'ExportLicenceRevoked':
    case 'RevenueShareRemitted':
      return streamIds.exportLicence(event.data.licenceId);
    case 'AuditOpened':
    case 'AuditClosed':
    case 'AuditNoteRecorded':
    case 'FindingAcknowledged':
    case 'CaseReviewDecided':
      return streamIds.audit(event.data.dataCenterId);
    default: {
      const unhandled: never = event;
      throw new Error(`No stream for event type ${(unhandled as { type: string }).type}`);
    }
  }
}

/** The context whose store records an event (rentals and auditors' facts have their own; procurement the rest). */
export function contextOfEvent(event: LedgerEvent): LedgerContextOf {
  const stream = streamIdOf(event);
  return stream.startsWith('rental-') ? 'rental' : stream.startsWith('audit-') ? 'audit' : 'procurement';
}
