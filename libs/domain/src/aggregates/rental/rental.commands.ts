import type { RentalPurpose } from '../../events/ledger-events';
import type { Instant } from '../../shared/values';
import type { DataCenterFacts } from '../decider';

/** Capacity of a provider data center rented to a tenant for a half-open period [periodStart, periodEnd). */
export interface StartRental {
  readonly type: 'StartRental';
  readonly rentalId: string;
  readonly providerDataCenterId: string;
  readonly tenantOrganisationId: string;
  readonly modelId: string;
  readonly chipCount: number;
  readonly purpose: RentalPurpose;
  readonly periodStart: Instant;
  readonly periodEnd: Instant;
  readonly occurredAt: Instant;
  readonly context: {
    readonly providerDataCenter: DataCenterFacts | null;
    readonly tenantOrganisationRegistered: boolean;
    readonly chipModelKnown: boolean;
    /**
     * Chips of the model installed at the provider (its chip-stock `installed`). An application that wants
     * to forbid renting the same chips twice passes installed minus chips already rented for the period.
     */
    readonly installedAtProvider: number;
  };
}

export interface ExtendRental {
  readonly type: 'ExtendRental';
  readonly rentalId: string;
  /** Must be after the current end. */
  readonly newPeriodEnd: Instant;
  readonly occurredAt: Instant;
}

/** The rental ends (early termination or the normal close); nothing may happen to it afterwards. */
export interface EndRental {
  readonly type: 'EndRental';
  readonly rentalId: string;
  readonly reason: string | null;
  readonly occurredAt: Instant;
}

export type RentalCommand = StartRental | ExtendRental | EndRental;
