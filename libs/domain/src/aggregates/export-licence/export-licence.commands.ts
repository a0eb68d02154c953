import type { LicenceConditions } from '../../events/ledger-events';
import type { CountryCode, Instant } from '../../shared/values';
import type { UsdAmount } from '../../shared/money';

export interface IssueExportLicence {
  readonly type: 'IssueExportLicence';
  readonly licenceId: string;
  readonly licenceNumber: string;
  readonly exporter: string;
  readonly consigneeOrganisationId: string;
  readonly destinationCountry: CountryCode;
  readonly modelIds: readonly string[];
  readonly authorisedQuantity: number;
  /** Half-open validity [validFrom, validTo). */
  readonly validFrom: Instant;
  readonly validTo: Instant;
  readonly conditions: LicenceConditions;
  readonly occurredAt: Instant;
  readonly context: {
    readonly consigneeOrganisationRegistered: boolean;
    /** Which of `modelIds` are in the catalog. */
    readonly knownModelIds: readonly string[];
  };
}

/** Replaces the listed terms; the amended licence must still be valid as a whole. */
export interface AmendExportLicence {
  readonly type: 'AmendExportLicence';
  readonly licenceId: string;
  readonly changes: {
    readonly modelIds?: readonly string[];
    readonly authorisedQuantity?: number;
    readonly validFrom?: Instant;
    readonly validTo?: Instant;
    readonly conditions?: LicenceConditions;
  };
  readonly reason: string;
  readonly occurredAt: Instant;
  readonly context: {
    /** Which of `changes.modelIds` are in the catalog (empty when the models are not changed). */
    readonly knownModelIds: readonly string[];
  };
}

export interface SuspendExportLicence {
  readonly type: 'SuspendExportLicence';
  readonly licenceId: string;
  readonly reason: string;
  readonly occurredAt: Instant;
}

export interface ReinstateExportLicence {
  readonly type: 'ReinstateExportLicence';
  readonly licenceId: string;
  readonly reason: string;
  readonly occurredAt: Instant;
}

export interface RevokeExportLicence {
  readonly type: 'RevokeExportLicence';
  readonly licenceId: string;
  readonly reason: string;
  readonly occurredAt: Instant;
}

/** Revenue share paid to the US government for deliveries under the licence (its revenue-share condition). */
export interface RecordRevenueShareRemittance {
  readonly type: 'RecordRevenueShareRemittance';
  readonly licenceId: string;
  readonly deliveryIds: readonly string[];
  /** Exact decimal string, e.g. '1250000.00'. */
  readonly amountUsd: UsdAmount;
  readonly reference: string;
  readonly occurredAt: Instant;
}

export type ExportLicenceCommand =
  | IssueExportLicence
  | AmendExportLicence
  | SuspendExportLicence
  | ReinstateExportLicence
  | RevokeExportLicence
  | RecordRevenueShareRemittance;
