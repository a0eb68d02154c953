import type { LedgerEventType } from './ledger-events';

/**
 * The current schema version of every event type: what deciders emit and what evolve/projections read.
 * Stored or received envelopes with an older version are brought up to it by `upcastEvent` (./upcasting.ts).
 * Bump a version only together with an upcaster from the previous one.
 *
 * History:
 * - ChipsTransferredOut / ChipsTransferredIn v2: `permitReference` added for Malaysia's Strategic Trade permit
 *   rule of 2025-07-14; v1 events had no such field.
 * - RevenueShareRemitted v2: `amountUsd` is an exact decimal string ('1250000.00'); v1 recorded a JSON number.
 */
export const EVENT_SCHEMA_VERSIONS = {
  OrganisationRegistered: 1,
  RestrictedPartyListed: 1,
  RestrictedPartyDelisted: 1,
  ChipModelAdded: 1,
  ChipModelCorrected: 1,
  DataCenterRegistered: 1,
  ConstructionProgressReported: 1,
  StateFundingReported: 1,
  PurchaseOrderPlaced: 1,
  PurchaseOrderCancelled: 1,
  ChipsDelivered: 1,
  ChipsInstalled: 1,
  ChipsRemoved: 1,
  ChipsTransferredOut: 2,
  ChipsTransferredIn: 2,
  RentalStarted: 1,
  RentalExtended: 1,
  RentalEnded: 1,
  ExportLicenceIssued: 1,
  ExportLicenceAmended: 1,
  ExportLicenceSuspended: 1,
  ExportLicenceReinstated: 1,
  ExportLicenceRevoked: 1,
  RevenueShareRemitted: 2,
  AuditOpened: 1,
  AuditClosed: 1,
  AuditNoteRecorded: 1,
  FindingAcknowledged: 1,
  CaseReviewDecided: 1,
} as const satisfies { readonly [T in LedgerEventType]: number };

/** True when `type` is an event type this version of the ledger knows. */
export const isLedgerEventType = (type: string): type is LedgerEventType => Object.hasOwn(EVENT_SCHEMA_VERSIONS, type);
