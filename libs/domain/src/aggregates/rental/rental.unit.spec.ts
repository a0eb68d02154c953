import type { RentalEnded, RentalExtended, RentalStarted } from '../../events/ledger-events';
import { deciderSpec } from '../../testing/decider-spec';
import { recordHistory } from '../../testing/recorded-events';
import type { DataCenterFacts } from '../decider';
import type { EndRental, ExtendRental, StartRental } from './rental.commands';
import { rentalDecider } from './rental.decider';

const spec = deciderSpec(rentalDecider);
const SINGAPORE: DataCenterFacts = { dataCenterId: 'dc-sg', registeredAt: '2024-01-01T00:00:00Z', country: 'SG', ownerOrganisationId: 'org-sg' };
const STARTED_AT = '2025-06-01T00:00:00Z';

const start = (overrides: Partial<StartRental> = {}, context: Partial<StartRental['context']> = {}): StartRental => ({
  type: 'StartRental',
  rentalId: 'rental-1',
  providerDataCenterId: 'dc-sg',
  tenantOrganisationId: 'org-alibaba',
  modelId: 'nvidia-h100',
  chipCount: 1024,
  purpose: 'training',
  periodStart: '2025-06-01T00:00:00Z',
  periodEnd: '2025-12-01T00:00:00Z',
  occurredAt: STARTED_AT,
  ...overrides,
  context: { providerDataCenter: SINGAPORE, tenantOrganisationRegistered: true, chipModelKnown: true, installedAtProvider: 2048, ...context },
});
const started: RentalStarted = {
  type: 'RentalStarted',
  data: {
    rentalId: 'rental-1',
    providerDataCenterId: 'dc-sg',
    tenantOrganisationId: 'org-alibaba',
    modelId: 'nvidia-h100',
    chipCount: 1024,
    purpose: 'training',
    periodStart: '2025-06-01T00:00:00Z',
    periodEnd: '2025-12-01T00:00:00Z',
  },
};
const extend = (newPeriodEnd: string, occurredAt = '2025-11-01T00:00:00Z'): ExtendRental => ({ type: 'ExtendRental', rentalId: 'rental-1', newPeriodEnd, occurredAt });
const extended = (newPeriodEnd: string): RentalExtended => ({ type: 'RentalExtended', data: { rentalId: 'rental-1', newPeriodEnd } });
const end = (occurredAt = '2025-10-01T00:00:00Z'): EndRental => ({ type: 'EndRental', rentalId: 'rental-1', reason: 'tenant request', occurredAt });
const ended: RentalEnded = { type: 'RentalEnded', data: { rentalId: 'rental-1', reason: 'tenant request' } };

describe('rental', () => {
  describe('when it has not started', () => {
    const given = spec.given([]);

    it('starts it', () => {
      given.when(start()).then([started]);
    });

    it('accepts exactly the installed chips, refuses one more', () => {
      given.when(start({ chipCount: 2048 })).then([{ ...started, data: { ...started.data, chipCount: 2048 } }]);
      given.when(start({ chipCount: 2049 })).thenRefused('RENTAL.EXCEEDS_INSTALLED', 'chipCount');
    });

    it.each([0, -1, 0.5])('refuses the chip count %p', (chipCount) => {
      given.when(start({ chipCount })).thenRefused('QUANTITY.NOT_POSITIVE_INTEGER', 'chipCount');
    });

    it('refuses an empty or reversed period', () => {
      given.when(start({ periodEnd: '2025-06-01T00:00:00Z' })).thenRefused('PERIOD.INVALID', 'periodEnd');
      given.when(start({ periodEnd: '2025-05-01T00:00:00Z' })).thenRefused('PERIOD.INVALID', 'periodEnd');
    });

    it('refuses a purpose other than training or inference', () => {
      given.when(start({ purpose: 'mining' as never })).thenRefused('VALUE.NOT_ALLOWED', 'purpose');
    });

    it('refuses an unknown provider, tenant or model', () => {
      given.when(start({}, { providerDataCenter: null })).thenRefused('DATA_CENTER.NOT_FOUND', 'providerDataCenterId');
      given.when(start({}, { tenantOrganisationRegistered: false })).thenRefused('ORGANISATION.NOT_FOUND', 'tenantOrganisationId');
      given.when(start({}, { chipModelKnown: false })).thenRefused('CHIP_MODEL.UNKNOWN', 'modelId');
    });

    it('refuses a rental recorded, or starting, before the provider was registered', () => {
      given.when(start({ occurredAt: '2023-12-31T00:00:00Z' })).thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'occurredAt');
      given.when(start({ periodStart: '2023-12-31T00:00:00Z' })).thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'periodStart');
    });

    it('refuses extending or ending it', () => {
      given.when(extend('2026-01-01T00:00:00Z')).thenRefused('RENTAL.NOT_FOUND', 'rentalId');
      given.when(end()).thenRefused('RENTAL.NOT_FOUND', 'rentalId');
    });
  });

  describe('when it is active until 2025-12-01', () => {
    const given = spec.given(recordHistory([[STARTED_AT, started]]));

    it('refuses starting it again', () => {
      given.when(start()).thenRefused('RENTAL.ALREADY_STARTED', 'rentalId');
    });

    it('extends it to a later end, not to the same or an earlier one', () => {
      given.when(extend('2025-12-01T00:00:00.001Z')).then([extended('2025-12-01T00:00:00.001Z')]);
      given.when(extend('2025-12-01T00:00:00.000Z')).thenRefused('RENTAL.EXTENSION_NOT_LATER', 'newPeriodEnd');
      given.when(extend('2025-11-15T00:00:00Z')).thenRefused('RENTAL.EXTENSION_NOT_LATER', 'newPeriodEnd');
    });

    it('ends it, not before it started', () => {
      given.when(end()).then([ended]);
      given.when(end('2025-05-31T00:00:00Z')).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
    });
  });

  describe('when it was extended to 2026-03-01', () => {
    const given = spec.given(recordHistory([[STARTED_AT, started], ['2025-11-01T00:00:00Z', extended('2026-03-01T00:00:00Z')]]));

    it('compares a further extension with the extended end', () => {
      given.when(extend('2026-02-01T00:00:00Z', '2025-12-01T00:00:00Z')).thenRefused('RENTAL.EXTENSION_NOT_LATER', 'newPeriodEnd');
      given.when(extend('2026-06-01T00:00:00Z', '2025-12-01T00:00:00Z')).then([extended('2026-06-01T00:00:00Z')]);
    });
  });

  describe('when it has ended', () => {
    const given = spec.given(recordHistory([[STARTED_AT, started], ['2025-10-01T00:00:00Z', ended]]));

    it('refuses extending or ending it again', () => {
      given.when(extend('2026-01-01T00:00:00Z')).thenRefused('RENTAL.ALREADY_ENDED');
      given.when(end('2025-10-02T00:00:00Z')).thenRefused('RENTAL.ALREADY_ENDED');
    });
  });
});
