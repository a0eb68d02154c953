import type { DataCenterEvent } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import { compareInstants } from '../../shared/instant';
import type { CountryCode, Instant } from '../../shared/values';
import type { DataCenterFacts } from '../decider';

/** One dated construction report. */
export interface ConstructionReport {
  readonly occurredAt: Instant;
  readonly completionPercent: number;
  readonly eventId: string;
}

export interface StateFundingReport {
  readonly occurredAt: Instant;
  readonly funder: string | null;
  readonly reference: string | null;
  readonly eventId: string;
}

export type DataCenterState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly dataCenterId: string;
      readonly name: string;
      readonly ownerOrganisationId: string;
      readonly country: CountryCode;
      readonly region: string;
      readonly registeredAt: Instant;
      readonly registeredEventId: string;
      /** Sorted by `occurredAt` (reports may be recorded late); non-decreasing in completion. */
      readonly construction: readonly ConstructionReport[];
      /** Every funding report, in recording order; the earliest `occurredAt` is when funding was first known. */
      readonly stateFunding: readonly StateFundingReport[];
    };

export type RegisteredDataCenter = Extract<DataCenterState, { status: 'registered' }>;

export const initialDataCenterState = (): DataCenterState => ({ status: 'unregistered' });

/** Inserts keeping `occurredAt` order; a report equal in time goes after the existing ones (recording order). */
const insertByOccurredAt = <T extends { readonly occurredAt: Instant }>(items: readonly T[], item: T): T[] => {
  const index = items.findIndex((existing) => compareInstants(existing.occurredAt, item.occurredAt) > 0);
  return index === -1 ? [...items, item] : [...items.slice(0, index), item, ...items.slice(index)];
};

export const evolveDataCenter = (state: DataCenterState, event: Recorded<DataCenterEvent>): DataCenterState => {
  switch (event.type) {
    case 'DataCenterRegistered':
      return {
        status: 'registered',
        ...event.data,
        registeredAt: event.occurredAt,
        registeredEventId: event.eventId,
        construction: [],
        stateFunding: [],
      };
    case 'ConstructionProgressReported':
      if (state.status !== 'registered') return state;
      return {
        ...state,
        construction: insertByOccurredAt(state.construction, {
          occurredAt: event.occurredAt,
          completionPercent: event.data.completionPercent,
          eventId: event.eventId,
        }),
      };
    case 'StateFundingReported':
      if (state.status !== 'registered') return state;
      return {
        ...state,
        stateFunding: [
          ...state.stateFunding,
          { occurredAt: event.occurredAt, funder: event.data.funder, reference: event.data.reference, eventId: event.eventId },
        ],
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

/** The facts other deciders need about this data center (see `context` in decider.ts); null if unregistered. */
export const dataCenterFacts = (state: DataCenterState): DataCenterFacts | null =>
  state.status === 'registered'
    ? {
        dataCenterId: state.dataCenterId,
        registeredAt: state.registeredAt,
        registeredEventId: state.registeredEventId,
        country: state.country,
        ownerOrganisationId: state.ownerOrganisationId,
      }
    : null;

/** Completion known at `asOf` (the latest report dated at or before it), or null when none was reported yet. */
export const completionAt = (state: DataCenterState, asOf: Instant): number | null => {
  if (state.status !== 'registered') return null;
  const known = state.construction.filter((report) => compareInstants(report.occurredAt, asOf) <= 0);
  return known.length === 0 ? null : known[known.length - 1].completionPercent;
};

/** When state funding first became known, or null. */
export const stateFundingKnownSince = (state: DataCenterState): Instant | null => {
  if (state.status !== 'registered' || state.stateFunding.length === 0) return null;
  return state.stateFunding.map((report) => report.occurredAt).reduce((a, b) => (compareInstants(a, b) <= 0 ? a : b));
};
