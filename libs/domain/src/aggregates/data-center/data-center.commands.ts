import type { CountryCode, Instant } from '../../shared/values';

/** Registers a data center; its `occurredAt` is when it came into existence: no fact about it may be earlier. */
export interface RegisterDataCenter {
  readonly type: 'RegisterDataCenter';
  readonly dataCenterId: string;
  readonly name: string;
  readonly ownerOrganisationId: string;
  readonly country: CountryCode;
  readonly region: string;
  readonly occurredAt: Instant;
  readonly context: {
    /** Whether the owning organisation is registered. */
    readonly ownerOrganisationRegistered: boolean;
  };
}

/** A dated construction completion figure (0..100, at most one decimal). */
export interface ReportConstructionProgress {
  readonly type: 'ReportConstructionProgress';
  readonly dataCenterId: string;
  readonly completionPercent: number;
  readonly occurredAt: Instant;
}

/** The data center has received state funding; `occurredAt` is when that became known. */
export interface ReportStateFunding {
  readonly type: 'ReportStateFunding';
  readonly dataCenterId: string;
  readonly funder: string | null;
  readonly reference: string | null;
  readonly occurredAt: Instant;
}

export type DataCenterCommand = RegisterDataCenter | ReportConstructionProgress | ReportStateFunding;
