/*
 * The query API's answers, as the dashboard reads them (the server side: each read model's controller and response DTOs in libs/read-models/src/<read-model>/, the auditors' in libs/audit-read). Only the
 * fields the pages use are typed; the browser tests run every page against the real API.
 */

export type Severity = 'breach' | 'review' | 'risk';
export const SEVERITIES: readonly Severity[] = ['breach', 'review', 'risk'];
export type Certainty = 'regulation' | 'licence-condition' | 'guidance' | 'reported-guidance';
export type Role = 'operator' | 'viewer' | 'auditor' | 'admin';

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface DataCenterTotals {
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
  readonly domesticInstalled: number;
  readonly foreignInstalled: number;
}

export interface DataCenter {
  readonly dataCenterId: string;
  readonly name: string | null;
  readonly ownerOrganisationId: string | null;
  readonly ownerName: string | null;
  readonly country: string | null;
  readonly region: string | null;
  readonly registeredAt: string | null;
  readonly stateFunded: boolean;
  readonly stateFundedAt: string | null;
  readonly completionPercent: number | null;
  readonly completionReportedAt: string | null;
  readonly totals: DataCenterTotals;
}

export interface ChipMixLine {
  readonly modelId: string;
  readonly modelName: string | null;
  readonly vendor: string | null;
  readonly vendorHeadquarters: string | null;
  readonly origin: 'domestic' | 'foreign' | 'unknown';
  readonly eccnClass: string | null;
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
  readonly lastEventAt: string;
}

export interface Finding {
  /** One interval during which the finding was open with one severity. */
  readonly id: string;
  /** `ruleId/dataCenterId/modelId/discriminator`, shared by reopened intervals. */
  readonly findingId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly status: 'open' | 'closed';
  readonly dataCenterId: string;
  readonly ownerOrganisationId: string | null;
  readonly modelId: string | null;
  readonly count: number;
  /** Ids of the events that caused it. */
  readonly evidence: readonly string[];
  readonly message: string;
  readonly source: { readonly citation: string; readonly url: string };
  readonly occurredAt: string | null;
  readonly acknowledged: boolean;
  readonly openedAt: string;
  readonly closedAt: string | null;
}

export interface DataCenterDetail extends DataCenter {
  readonly chipMix: readonly ChipMixLine[];
  readonly openFindings: readonly Finding[];
}

export type FleetMixDimension = 'country' | 'owner' | 'vendor' | 'class';

export interface FleetMixRow {
  readonly key: string | null;
  readonly label: string | null;
  readonly dataCenters: number;
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
  readonly domesticInstalled: number;
  readonly foreignInstalled: number;
  readonly controlledInstalled: number;
}

export interface LicenceBalance {
  readonly licenceId: string;
  readonly licenceNumber: string | null;
  readonly exporter: string | null;
  readonly consigneeOrganisationId: string | null;
  readonly destinationCountry: string | null;
  readonly modelIds: readonly string[];
  readonly authorised: number;
  readonly used: number;
  readonly remaining: number;
  readonly overdrawnBy: number;
  readonly status: 'active' | 'suspended' | 'revoked' | 'expired' | 'not-yet-valid' | 'exhausted' | 'overdrawn' | 'unknown';
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly revenueSharePercent: number | null;
  readonly usages: readonly { readonly eventId: string; readonly dataCenterId: string; readonly quantity: number; readonly occurredAt: string }[];
}

export interface Rental {
  readonly rentalId: string;
  readonly providerDataCenterId: string | null;
  readonly tenantOrganisationId: string | null;
  readonly modelId: string | null;
  readonly chipCount: number;
  readonly purpose: 'training' | 'inference' | null;
  readonly periodStart: string | null;
  readonly periodEnd: string | null;
  readonly status: 'scheduled' | 'active' | 'expired' | 'ended';
  readonly extensions: number;
  readonly endedAt: string | null;
}

export interface DevelopmentSignInOptions {
  readonly roles: readonly ('viewer' | 'auditor')[];
  readonly organisations: readonly { readonly organisationId: string; readonly name: string }[];
}

export interface DevelopmentSignIn {
  readonly token: string;
  readonly role: 'viewer' | 'auditor';
  readonly organisationId: string;
  readonly expiresAt: string;
}

/** A change the SSE stream announces (`event:` is its kind). */
export interface LiveChange {
  readonly projection: string;
  readonly kind: string;
  readonly dataCenterId: string | null;
  readonly organisationId: string | null;
}

/*
 * The auditors' read side (libs/audit-read): as-of answers, the rulebook's timeline, events and histories.
 */

export type Origin = 'domestic' | 'foreign' | 'unknown';

/** Chips counted by origin, 3A090 class and vendor (keys as the API writes them; a zero count is left out). */
export interface ChipGroups {
  readonly byOrigin: Readonly<Record<string, number>>;
  readonly byClass: Readonly<Record<string, number>>;
  readonly byVendor: Readonly<Record<string, number>>;
}

export interface DataCenterFactsAsOf {
  readonly name: string;
  readonly ownerOrganisationId: string;
  readonly country: string;
  readonly region: string;
  readonly registeredAt: string;
  readonly stateFunded: boolean;
  readonly stateFundedAt: string | null;
  readonly completionPercent: number | null;
  readonly completionReportedAt: string | null;
}

export interface ChipTotalsAsOf {
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
}

export interface RuleAt {
  readonly ruleId: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly certainty: Certainty;
  readonly source: { readonly citation: string; readonly url: string };
  readonly inForce: { readonly from: string; readonly to: string | null };
  readonly status: 'not-yet-in-force' | 'in-force' | 'ended' | 'announced-not-enforced';
  readonly judgesFactsAt: boolean;
  readonly summary: string;
  readonly explanation: string;
}

/** An event a finding rests on, resolved by the as-of answer. */
export interface EvidenceRef {
  readonly eventId: string;
  readonly type: string | null;
  readonly occurredAt: string | null;
}

export interface FindingAsOf {
  readonly findingId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly dataCenterId: string;
  readonly modelId: string | null;
  readonly count: number;
  readonly evidence: readonly EvidenceRef[];
  readonly source: { readonly citation: string; readonly url: string };
  readonly inForce: { readonly from: string; readonly to: string | null };
  readonly occurredAt: string | null;
  readonly acknowledged: boolean;
  readonly message: string;
}

export interface FleetDataCenterAsOf {
  readonly dataCenterId: string;
  readonly dataCenter: DataCenterFactsAsOf;
  readonly totals: ChipTotalsAsOf;
  /** Installed chips (the domestic share counts these). */
  readonly installed: ChipGroups;
  readonly openFindings: { readonly total: number; readonly bySeverity: Readonly<Partial<Record<Severity, number>>> };
}

/** `GET /audit/fleet/as-of`, every page read. */
export interface FleetAsOf {
  readonly occurredAt: string;
  readonly knownAt: string;
  readonly dataCenters: readonly FleetDataCenterAsOf[];
  readonly installed: ChipGroups;
  readonly openFindings: { readonly total: number; readonly bySeverity: Readonly<Partial<Record<Severity, number>>> };
}

export interface LicenceInUseAsOf {
  readonly licenceId: string;
  readonly licenceNumber: string | null;
  readonly consigneeOrganisationId: string | null;
  readonly destinationCountry: string | null;
  readonly modelIds: readonly string[];
  readonly authorisedQuantity: number | null;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly status: 'active' | 'suspended' | 'revoked' | null;
  readonly quantityHere: number;
}

export interface RentalAsOf {
  readonly rentalId: string;
  readonly tenantOrganisationId: string;
  readonly modelId: string;
  readonly chipCount: number;
  readonly purpose: 'training' | 'inference';
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly status: 'active' | 'scheduled' | 'expired' | 'ended';
  readonly endedAt: string | null;
}

/** `GET /audit/data-centers/{id}/as-of`. */
export interface DataCenterAsOf {
  readonly dataCenterId: string;
  readonly occurredAt: string;
  readonly knownAt: string;
  readonly dataCenter: DataCenterFactsAsOf;
  readonly chipMix: readonly ChipMixLine[];
  readonly totals: ChipTotalsAsOf;
  /** On site: installed and in stock. */
  readonly chips: ChipGroups;
  readonly rentals: readonly RentalAsOf[];
  readonly licencesInUse: readonly LicenceInUseAsOf[];
  readonly findings: readonly FindingAsOf[];
  readonly rulesInForce: readonly RuleAt[];
}

/** One recorded event as `GET /events/{id}` and the histories answer it. */
export interface LedgerEvent {
  readonly eventId: string;
  readonly context: 'procurement' | 'rental' | 'audit';
  readonly streamId: string;
  readonly version: number;
  readonly globalPosition: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly actor: { readonly id: string; readonly role: Role; readonly organisation: string };
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly correlationId: string;
  readonly causationId: string | null;
}
