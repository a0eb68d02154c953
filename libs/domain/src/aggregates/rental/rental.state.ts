import type { RentalEvent, RentalPurpose } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import type { Instant } from '../../shared/values';

interface RentalTerms {
  readonly rentalId: string;
  readonly providerDataCenterId: string;
  readonly tenantOrganisationId: string;
  readonly modelId: string;
  readonly chipCount: number;
  readonly purpose: RentalPurpose;
  readonly periodStart: Instant;
  /** Current end, after any extensions. */
  readonly periodEnd: Instant;
  readonly startedAt: Instant;
  readonly startedEventId: string;
  /** Every end the period had, in order (the first is the original end). */
  readonly periodEndHistory: readonly { readonly periodEnd: Instant; readonly eventId: string }[];
}

export type RentalState =
  | { readonly status: 'none' }
  | (RentalTerms & { readonly status: 'active' })
  | (RentalTerms & { readonly status: 'ended'; readonly endedAt: Instant; readonly endReason: string | null; readonly endedEventId: string });

export const initialRentalState = (): RentalState => ({ status: 'none' });

export const evolveRental = (state: RentalState, event: Recorded<RentalEvent>): RentalState => {
  switch (event.type) {
    case 'RentalStarted':
      return {
        status: 'active',
        ...event.data,
        startedAt: event.occurredAt,
        startedEventId: event.eventId,
        periodEndHistory: [{ periodEnd: event.data.periodEnd, eventId: event.eventId }],
      };
    case 'RentalExtended':
      if (state.status !== 'active') return state;
      return {
        ...state,
        periodEnd: event.data.newPeriodEnd,
        periodEndHistory: [...state.periodEndHistory, { periodEnd: event.data.newPeriodEnd, eventId: event.eventId }],
      };
    case 'RentalEnded':
      if (state.status !== 'active') return state;
      return { ...state, status: 'ended', endedAt: event.occurredAt, endReason: event.data.reason, endedEventId: event.eventId };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
