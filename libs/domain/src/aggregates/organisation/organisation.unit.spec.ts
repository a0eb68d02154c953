import type { OrganisationRegistered, RestrictedPartyDelisted, RestrictedPartyListed } from '../../events/ledger-events';
import { deciderSpec } from '../../testing/decider-spec';
import { recordHistory } from '../../testing/recorded-events';
import { foldEvents } from '../decider';
import type { DelistRestrictedParty, ListRestrictedParty, RegisterOrganisation } from './organisation.commands';
import { organisationDecider } from './organisation.decider';
import { isListedAt } from './organisation.state';

const spec = deciderSpec(organisationDecider);

const register = (overrides: Partial<RegisterOrganisation> = {}): RegisterOrganisation => ({
  type: 'RegisterOrganisation',
  organisationId: 'org-sophgo',
  name: 'Sophgo',
  headquartersCountry: 'CN',
  ultimateParentHeadquartersCountry: 'CN',
  occurredAt: '2025-01-01T00:00:00Z',
  ...overrides,
});
const registered: OrganisationRegistered = {
  type: 'OrganisationRegistered',
  data: { organisationId: 'org-sophgo', name: 'Sophgo', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN' },
};
const list = (occurredAt: string): ListRestrictedParty => ({ type: 'ListRestrictedParty', organisationId: 'org-sophgo', list: 'US-ENTITY-LIST', reference: '90 FR 4544', occurredAt });
const delist = (occurredAt: string): DelistRestrictedParty => ({ type: 'DelistRestrictedParty', organisationId: 'org-sophgo', list: 'US-ENTITY-LIST', reference: null, occurredAt });
const listed: RestrictedPartyListed = { type: 'RestrictedPartyListed', data: { organisationId: 'org-sophgo', list: 'US-ENTITY-LIST', reference: '90 FR 4544' } };
const delisted: RestrictedPartyDelisted = { type: 'RestrictedPartyDelisted', data: { organisationId: 'org-sophgo', list: 'US-ENTITY-LIST', reference: null } };

describe('organisation', () => {
  describe('when it is not registered', () => {
    const given = spec.given([]);

    it('registers it with its and its ultimate parent’s headquarters', () => {
      given.when(register()).then([registered]);
    });

    it.each([
      ['headquartersCountry', { headquartersCountry: 'PRC' }, 'COUNTRY.INVALID'],
      ['ultimateParentHeadquartersCountry', { ultimateParentHeadquartersCountry: '' }, 'COUNTRY.INVALID'],
      ['name', { name: '' }, 'VALUE.REQUIRED'],
      ['occurredAt', { occurredAt: '2025-13-01T00:00:00Z' }, 'INSTANT.INVALID'],
    ] as const)('refuses an invalid %s', (field, overrides, code) => {
      given.when(register(overrides)).thenRefused(code, field);
    });

    it('refuses listing an unknown organisation', () => {
      given.when(list('2025-01-15T00:00:00Z')).thenRefused('ORGANISATION.NOT_FOUND', 'organisationId');
    });
  });

  describe('when the organisation is registered and not listed', () => {
    const given = spec.given(recordHistory([['2025-01-01T00:00:00Z', registered]]));

    it('refuses registering it again', () => {
      given.when(register()).thenRefused('ORGANISATION.ALREADY_REGISTERED', 'organisationId');
    });

    it('lists it, even with a date before the ledger registered it', () => {
      given.when(list('2024-01-15T00:00:00Z')).then([listed]);
    });

    it('refuses delisting it', () => {
      given.when(delist('2025-06-01T00:00:00Z')).thenRefused('ORGANISATION.NOT_LISTED', 'list');
    });

    it('refuses an unknown list', () => {
      given.when({ ...list('2025-01-15T00:00:00Z'), list: 'EU-SANCTIONS' as never }).thenRefused('VALUE.NOT_ALLOWED', 'list');
    });
  });

  describe('when the organisation was listed on 2025-01-15', () => {
    const history = recordHistory([
      ['2025-01-01T00:00:00Z', registered],
      ['2025-01-15T00:00:00Z', listed],
    ]);
    const given = spec.given(history);

    it('refuses listing it again', () => {
      given.when(list('2025-02-01T00:00:00Z')).thenRefused('ORGANISATION.ALREADY_LISTED', 'list');
    });

    it('delists it, not before the listing', () => {
      given.when(delist('2025-01-15T00:00:00Z')).then([delisted]);
      given.when(delist('2025-01-14T00:00:00Z')).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
    });
  });

  describe('when the organisation was listed and then delisted', () => {
    const history = recordHistory([
      ['2025-01-01T00:00:00Z', registered],
      ['2025-01-15T00:00:00Z', listed],
      ['2025-06-01T00:00:00Z', delisted],
    ]);

    it('answers "listed at that date" over the dated history (delisting is exclusive)', () => {
      const state = foldEvents(organisationDecider, history);
      expect(isListedAt(state, 'US-ENTITY-LIST', '2025-01-14T23:59:59Z')).toBe(false);
      expect(isListedAt(state, 'US-ENTITY-LIST', '2025-01-15T00:00:00Z')).toBe(true);
      expect(isListedAt(state, 'US-ENTITY-LIST', '2025-05-31T00:00:00Z')).toBe(true);
      expect(isListedAt(state, 'US-ENTITY-LIST', '2025-06-01T00:00:00Z')).toBe(false);
    });

    it('lists it again, but not within the previous listing period', () => {
      spec.given(history).when(list('2025-07-01T00:00:00Z')).then([listed]);
      spec.given(history).when(list('2025-05-01T00:00:00Z')).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
    });
  });
});
