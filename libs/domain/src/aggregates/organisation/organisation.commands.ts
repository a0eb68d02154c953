import type { CountryCode, Instant } from '../../shared/values';

export interface RegisterOrganisation {
  readonly type: 'RegisterOrganisation';
  readonly organisationId: string;
  readonly name: string;
  readonly headquartersCountry: CountryCode;
  /** HQ country of the ultimate parent; the same as `headquartersCountry` for a parent itself. */
  readonly ultimateParentHeadquartersCountry: CountryCode;
  readonly occurredAt: Instant;
}

/** The organisation was put on a restricted-party list; `occurredAt` is the listing's effective date. */
export interface ListRestrictedParty {
  readonly type: 'ListRestrictedParty';
  readonly organisationId: string;
  readonly list: 'US-ENTITY-LIST';
  readonly reference: string | null;
  readonly occurredAt: Instant;
}

/** The organisation was taken off a restricted-party list; `occurredAt` is the delisting's effective date. */
export interface DelistRestrictedParty {
  readonly type: 'DelistRestrictedParty';
  readonly organisationId: string;
  readonly list: 'US-ENTITY-LIST';
  readonly reference: string | null;
  readonly occurredAt: Instant;
}

export type OrganisationCommand = RegisterOrganisation | ListRestrictedParty | DelistRestrictedParty;
