import type {
  OrganisationEvent,
  OrganisationRegistered,
  RestrictedPartyDelisted,
  RestrictedPartyListed,
} from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import { assertNever, requireCountry, requireInstant, requireNotBefore, requireOneOf, requireText } from '../../shared/guards';
import type { Decider } from '../decider';
import type {
  DelistRestrictedParty,
  ListRestrictedParty,
  OrganisationCommand,
  RegisterOrganisation,
} from './organisation.commands';
import { evolveOrganisation, initialOrganisationState, openListing } from './organisation.state';
import type { OrganisationState, RegisteredOrganisation, RestrictedPartyList } from './organisation.state';

const requireRegistered = (state: OrganisationState, organisationId: string): RegisteredOrganisation => {
  if (state.status !== 'registered') {
    throw new DomainError('ORGANISATION.NOT_FOUND', `Organisation ${organisationId} is not registered`, {
      field: 'organisationId',
      details: { organisationId },
    });
  }
  return state;
};

const register = (command: RegisterOrganisation, state: OrganisationState): OrganisationRegistered[] => {
  requireText(command.organisationId, 'organisationId');
  requireText(command.name, 'name');
  requireCountry(command.headquartersCountry, 'headquartersCountry');
  requireCountry(command.ultimateParentHeadquartersCountry, 'ultimateParentHeadquartersCountry');
  requireInstant(command.occurredAt, 'occurredAt');
  if (state.status === 'registered') {
    throw new DomainError('ORGANISATION.ALREADY_REGISTERED', `Organisation ${command.organisationId} is already registered`, {
      field: 'organisationId',
    });
  }
  const { organisationId, name, headquartersCountry, ultimateParentHeadquartersCountry } = command;
  return [{ type: 'OrganisationRegistered', data: { organisationId, name, headquartersCountry, ultimateParentHeadquartersCountry } }];
};

/*
 * Listings are not bound to the organisation's registration date: an organisation can be on the Entity
 * List years before this ledger first heard of it. They must, however, form non-overlapping periods per list.
 */
const RESTRICTED_PARTY_LISTS: readonly RestrictedPartyList[] = ['US-ENTITY-LIST'];

const list = (command: ListRestrictedParty, state: OrganisationState): RestrictedPartyListed[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  requireOneOf(command.list, RESTRICTED_PARTY_LISTS, 'list');
  const organisation = requireRegistered(state, command.organisationId);
  const open = openListing(organisation, command.list);
  if (open !== undefined) {
    throw new DomainError('ORGANISATION.ALREADY_LISTED', `Organisation ${command.organisationId} is already on ${command.list} since ${open.listedAt}`, {
      field: 'list',
      details: { listedAt: open.listedAt, eventId: open.listedEventId },
    });
  }
  const previous = organisation.listings.filter((listing) => listing.list === command.list);
  const last = previous[previous.length - 1];
  if (last?.delistedAt) requireNotBefore(command.occurredAt, last.delistedAt, `the previous delisting from ${command.list}`, 'occurredAt', last.delistedEventId ?? undefined);
  return [{ type: 'RestrictedPartyListed', data: { organisationId: organisation.organisationId, list: command.list, reference: command.reference } }];
};

const delist = (command: DelistRestrictedParty, state: OrganisationState): RestrictedPartyDelisted[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  requireOneOf(command.list, RESTRICTED_PARTY_LISTS, 'list');
  const organisation = requireRegistered(state, command.organisationId);
  const open = openListing(organisation, command.list);
  if (open === undefined) {
    throw new DomainError('ORGANISATION.NOT_LISTED', `Organisation ${command.organisationId} is not on ${command.list}`, {
      field: 'list',
    });
  }
  requireNotBefore(command.occurredAt, open.listedAt, `the listing it ends`, 'occurredAt', open.listedEventId);
  return [
    { type: 'RestrictedPartyDelisted', data: { organisationId: organisation.organisationId, list: command.list, reference: command.reference } },
  ];
};

export const decideOrganisation = (command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] => {
  switch (command.type) {
    case 'RegisterOrganisation':
      return register(command, state);
    case 'ListRestrictedParty':
      return list(command, state);
    case 'DelistRestrictedParty':
      return delist(command, state);
    default:
      return assertNever(command, 'organisation command');
  }
};

/** Organisation stream (`organisation-{id}`): registration and dated restricted-party listings. */
export const organisationDecider: Decider<OrganisationCommand, OrganisationEvent, OrganisationState> = {
  initialState: initialOrganisationState,
  evolve: evolveOrganisation,
  decide: decideOrganisation,
};
