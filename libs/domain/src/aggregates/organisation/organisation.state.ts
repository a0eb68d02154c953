import type { OrganisationEvent, RestrictedPartyListed } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import { compareInstants } from '../../shared/instant';
import type { CountryCode, Instant } from '../../shared/values';

export type RestrictedPartyList = RestrictedPartyListed['data']['list'];

/** One period on a restricted-party list: listed from `listedAt`, until `delistedAt` (exclusive) if delisted. */
export interface RestrictedPartyListing {
  readonly list: RestrictedPartyList;
  readonly listedAt: Instant;
  readonly listedReference: string | null;
  readonly listedEventId: string;
  readonly delistedAt: Instant | null;
  readonly delistedEventId: string | null;
}

export type OrganisationState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly organisationId: string;
      readonly name: string;
      readonly headquartersCountry: CountryCode;
      readonly ultimateParentHeadquartersCountry: CountryCode;
      readonly registeredAt: Instant;
      /** Listing periods in recording order; at most one open period per list. */
      readonly listings: readonly RestrictedPartyListing[];
    };

export type RegisteredOrganisation = Extract<OrganisationState, { status: 'registered' }>;

export const initialOrganisationState = (): OrganisationState => ({ status: 'unregistered' });

/** The open (not yet delisted) period on `list`, if any. */
export const openListing = (state: OrganisationState, list: RestrictedPartyList): RestrictedPartyListing | undefined =>
  state.status === 'registered' ? state.listings.find((listing) => listing.list === list && listing.delistedAt === null) : undefined;

/** Whether the organisation was on `list` at `asOf` (as the rulebook asks: "on the Entity List at that date"). */
export const isListedAt = (state: OrganisationState, list: RestrictedPartyList, asOf: Instant): boolean =>
  state.status === 'registered' &&
  state.listings.some(
    (listing) =>
      listing.list === list &&
      compareInstants(listing.listedAt, asOf) <= 0 &&
      (listing.delistedAt === null || compareInstants(asOf, listing.delistedAt) < 0),
  );

export const evolveOrganisation = (state: OrganisationState, event: Recorded<OrganisationEvent>): OrganisationState => {
  switch (event.type) {
    case 'OrganisationRegistered':
      return { status: 'registered', ...event.data, registeredAt: event.occurredAt, listings: [] };
    case 'RestrictedPartyListed':
      if (state.status !== 'registered') return state;
      return {
        ...state,
        listings: [
          ...state.listings,
          {
            list: event.data.list,
            listedAt: event.occurredAt,
            listedReference: event.data.reference,
            listedEventId: event.eventId,
            delistedAt: null,
            delistedEventId: null,
          },
        ],
      };
    case 'RestrictedPartyDelisted':
      if (state.status !== 'registered') return state;
      return {
        ...state,
        listings: state.listings.map((listing) =>
          listing.list === event.data.list && listing.delistedAt === null
            ? { ...listing, delistedAt: event.occurredAt, delistedEventId: event.eventId }
            : listing,
        ),
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
