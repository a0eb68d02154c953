export type { DelistRestrictedParty, ListRestrictedParty, OrganisationCommand, RegisterOrganisation } from './organisation.commands';
export type { OrganisationState, RegisteredOrganisation, RestrictedPartyList, RestrictedPartyListing } from './organisation.state';
export { evolveOrganisation, initialOrganisationState, isListedAt, openListing } from './organisation.state';
export { decideOrganisation, organisationDecider } from './organisation.decider';
