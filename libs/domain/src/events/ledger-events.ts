import type { ChipModelSpec } from '../catalog/chip-model';
import type { UsdAmount } from '../shared/money';
import type { CountryCode, Instant } from '../shared/values';
import type { DomainEvent } from './envelope';

/*
 * Every fact the ledger records, by stream. Names are past tense; data is plain JSON (it crosses Kafka
 * with no class revival). Stream ids: see `streamIds` in ./stream-ids.ts.
 * Each event type's current schema version is in EVENT_SCHEMA_VERSIONS (./schema-versions.ts).
 */

// ---- Organisations (stream organisation-{organisationId}) --------------------------------------------
export type OrganisationRegistered = DomainEvent<
  'OrganisationRegistered',
  {
    organisationId: string;
    name: string;
    headquartersCountry: CountryCode;
    /** HQ country of the ultimate parent; equals headquartersCountry for a parent itself. */
    ultimateParentHeadquartersCountry: CountryCode;
  }
>;
export type RestrictedPartyListed = DomainEvent<
  'RestrictedPartyListed',
  { organisationId: string; list: 'US-ENTITY-LIST'; reference: string | null }
>;
export type RestrictedPartyDelisted = DomainEvent<
  'RestrictedPartyDelisted',
  { organisationId: string; list: 'US-ENTITY-LIST'; reference: string | null }
>;
export type OrganisationEvent = OrganisationRegistered | RestrictedPartyListed | RestrictedPartyDelisted;

// ---- Chip catalog (stream chip-model-{modelId}) -----------------------------------------------------
export type ChipModelAdded = DomainEvent<'ChipModelAdded', { model: ChipModelSpec }>;
/** A correction replaces the listed fields; `reason` is shown to auditors. */
export type ChipModelCorrected = DomainEvent<
  'ChipModelCorrected',
  { modelId: string; changes: Partial<Omit<ChipModelSpec, 'modelId'>>; reason: string }
>;
export type ChipModelEvent = ChipModelAdded | ChipModelCorrected;

// ---- Data centers (stream data-center-{dataCenterId}) -----------------------------------------------
export type DataCenterRegistered = DomainEvent<
  'DataCenterRegistered',
  {
    dataCenterId: string;
    name: string;
    ownerOrganisationId: string;
    country: CountryCode;
    region: string;
  }
>;
export type ConstructionProgressReported = DomainEvent<
  'ConstructionProgressReported',
  { dataCenterId: string; completionPercent: number }
>;
/** The data center has received state funding; `occurredAt` is when that became known. */
export type StateFundingReported = DomainEvent<
  'StateFundingReported',
  { dataCenterId: string; funder: string | null; reference: string | null }
>;
export type DataCenterEvent = DataCenterRegistered | ConstructionProgressReported | StateFundingReported;

// ---- Purchase orders (stream purchase-order-{purchaseOrderId}) --------------------------------------
export interface OrderLine {
  readonly modelId: string;
  readonly quantity: number;
}
export type PurchaseOrderPlaced = DomainEvent<
  'PurchaseOrderPlaced',
  {
    purchaseOrderId: string;
    buyerOrganisationId: string;
    dataCenterId: string;
    supplier: string;
    lines: OrderLine[];
  }
>;
/** Cancels whatever of the order is not yet delivered. */
export type PurchaseOrderCancelled = DomainEvent<
  'PurchaseOrderCancelled',
  { purchaseOrderId: string; dataCenterId: string; reason: string; cancelledLines: OrderLine[] }
>;
export type PurchaseOrderEvent = PurchaseOrderPlaced | PurchaseOrderCancelled;

// ---- Chip stock per data center and model (stream chip-stock-{dataCenterId}.{modelId}) --------------
export type ChipsDelivered = DomainEvent<
  'ChipsDelivered',
  {
    deliveryId: string;
    dataCenterId: string;
    modelId: string;
    quantity: number;
    purchaseOrderId: string;
    /** Export licence the delivery was shipped under, if any; draws down its balance. */
    licenceId: string | null;
    /** Where the shipment came from (for "exported from the US" vs re-export). */
    shippedFromCountry: CountryCode;
  }
>;
export type ChipsInstalled = DomainEvent<'ChipsInstalled', { dataCenterId: string; modelId: string; quantity: number }>;
export type RemovalReason = 'decommissioned' | 'failed' | 'remediation' | 'transferred';
export type ChipsRemoved = DomainEvent<
  'ChipsRemoved',
  { dataCenterId: string; modelId: string; quantity: number; reason: RemovalReason }
>;
/** Chips leave this data center's stock (uninstalled stock only) for another data center. */
export type ChipsTransferredOut = DomainEvent<
  'ChipsTransferredOut',
  {
    transferId: string;
    dataCenterId: string;
    modelId: string;
    quantity: number;
    toDataCenterId: string;
    toCountry: CountryCode;
    /** Malaysian Strategic Trade permit reference, when one was granted. */
    permitReference: string | null;
    licenceId: string | null;
  }
>;
export type ChipsTransferredIn = DomainEvent<
  'ChipsTransferredIn',
  {
    transferId: string;
    dataCenterId: string;
    modelId: string;
    quantity: number;
    fromDataCenterId: string;
    fromCountry: CountryCode;
    permitReference: string | null;
    licenceId: string | null;
  }
>;
export type ChipStockEvent = ChipsDelivered | ChipsInstalled | ChipsRemoved | ChipsTransferredOut | ChipsTransferredIn;

// ---- Rentals (stream rental-{rentalId}) ------------------------------------------------------------
export type RentalPurpose = 'training' | 'inference';
export type RentalStarted = DomainEvent<
  'RentalStarted',
  {
    rentalId: string;
    providerDataCenterId: string;
    tenantOrganisationId: string;
    modelId: string;
    chipCount: number;
    purpose: RentalPurpose;
    /** Inclusive start and exclusive end of the rented period. */
    periodStart: Instant;
    periodEnd: Instant;
  }
>;
export type RentalExtended = DomainEvent<'RentalExtended', { rentalId: string; newPeriodEnd: Instant }>;
export type RentalEnded = DomainEvent<'RentalEnded', { rentalId: string; reason: string | null }>;
export type RentalEvent = RentalStarted | RentalExtended | RentalEnded;

// ---- US export licences (stream export-licence-{licenceId}) -----------------------------------------
export interface LicenceConditions {
  /** Share of the revenue owed to the US government, e.g. 15; remittance due within 90 days of a delivery. */
  readonly revenueSharePercent: number | null;
}
export type ExportLicenceIssued = DomainEvent<
  'ExportLicenceIssued',
  {
    licenceId: string;
    licenceNumber: string;
    exporter: string;
    consigneeOrganisationId: string;
    destinationCountry: CountryCode;
    modelIds: string[];
    authorisedQuantity: number;
    validFrom: Instant;
    validTo: Instant;
    conditions: LicenceConditions;
  }
>;
export type ExportLicenceAmended = DomainEvent<
  'ExportLicenceAmended',
  {
    licenceId: string;
    changes: Partial<{
      modelIds: string[];
      authorisedQuantity: number;
      validFrom: Instant;
      validTo: Instant;
      conditions: LicenceConditions;
    }>;
    reason: string;
  }
>;
export type ExportLicenceSuspended = DomainEvent<'ExportLicenceSuspended', { licenceId: string; reason: string }>;
export type ExportLicenceReinstated = DomainEvent<'ExportLicenceReinstated', { licenceId: string; reason: string }>;
export type ExportLicenceRevoked = DomainEvent<'ExportLicenceRevoked', { licenceId: string; reason: string }>;
export type RevenueShareRemitted = DomainEvent<
  'RevenueShareRemitted',
  /** amountUsd: exact decimal string since schema v2 (v1 recorded a JSON number). */
  { licenceId: string; deliveryIds: string[]; amountUsd: UsdAmount; reference: string }
>;
export type ExportLicenceEvent =
  | ExportLicenceIssued
  | ExportLicenceAmended
  | ExportLicenceSuspended
  | ExportLicenceReinstated
  | ExportLicenceRevoked
  | RevenueShareRemitted;

// ---- Auditors' facts (stream audit-{dataCenterId}) --------------------------------------------------
export type AuditOpened = DomainEvent<'AuditOpened', { dataCenterId: string; auditId: string; scope: string }>;
export type AuditClosed = DomainEvent<'AuditClosed', { dataCenterId: string; auditId: string; conclusion: string }>;
export type AuditNoteRecorded = DomainEvent<'AuditNoteRecorded', { dataCenterId: string; note: string }>;
export type FindingAcknowledged = DomainEvent<
  'FindingAcknowledged',
  { dataCenterId: string; findingId: string; comment: string }
>;
/** Decision on a case-by-case review (e.g. CN-STATE-FUNDED-DOMESTIC for data centers ≥ 30% complete). */
export type CaseReviewDecided = DomainEvent<
  'CaseReviewDecided',
  { dataCenterId: string; ruleId: string; decision: 'approved' | 'refused'; reasoning: string }
>;
export type AuditEvent = AuditOpened | AuditClosed | AuditNoteRecorded | FindingAcknowledged | CaseReviewDecided;

/** Every event the ledger knows. */
export type LedgerEvent =
  | OrganisationEvent
  | ChipModelEvent
  | DataCenterEvent
  | PurchaseOrderEvent
  | ChipStockEvent
  | RentalEvent
  | ExportLicenceEvent
  | AuditEvent;

export type LedgerEventType = LedgerEvent['type'];

/** Narrow a union member by its type name. */
export type EventOfType<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>;
