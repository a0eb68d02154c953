import fc from 'fast-check';
import type { ConstructionProgressReported, DataCenterEvent, DataCenterRegistered, StateFundingReported } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import { isDomainError } from '../../shared/domain-error';
import { deciderSpec } from '../../testing/decider-spec';
import { recordDecided, recordHistory } from '../../testing/recorded-events';
import { foldEvents } from '../decider';
import type { RegisterDataCenter, ReportConstructionProgress, ReportStateFunding } from './data-center.commands';
import { dataCenterDecider } from './data-center.decider';
import { completionAt, dataCenterFacts, stateFundingKnownSince } from './data-center.state';
import type { DataCenterState } from './data-center.state';

const spec = deciderSpec(dataCenterDecider);
const REGISTERED_AT = '2025-03-01T00:00:00.000Z';

const register = (overrides: Partial<RegisterDataCenter> = {}): RegisterDataCenter => ({
  type: 'RegisterDataCenter',
  dataCenterId: 'dc-gansu',
  name: 'Gansu Qingyang',
  ownerOrganisationId: 'org-gansu',
  country: 'CN',
  region: 'Gansu',
  occurredAt: REGISTERED_AT,
  context: { ownerOrganisationRegistered: true },
  ...overrides,
});
const registered: DataCenterRegistered = {
  type: 'DataCenterRegistered',
  data: { dataCenterId: 'dc-gansu', name: 'Gansu Qingyang', ownerOrganisationId: 'org-gansu', country: 'CN', region: 'Gansu' },
};
const report = (completionPercent: number, occurredAt: string): ReportConstructionProgress => ({
  type: 'ReportConstructionProgress',
  dataCenterId: 'dc-gansu',
  completionPercent,
  occurredAt,
});
const reported = (completionPercent: number): ConstructionProgressReported => ({
  type: 'ConstructionProgressReported',
  data: { dataCenterId: 'dc-gansu', completionPercent },
});
const funding = (occurredAt: string): ReportStateFunding => ({
  type: 'ReportStateFunding',
  dataCenterId: 'dc-gansu',
  funder: 'Gansu provincial government',
  reference: 'Reuters 2025-11-05',
  occurredAt,
});
const funded: StateFundingReported = {
  type: 'StateFundingReported',
  data: { dataCenterId: 'dc-gansu', funder: 'Gansu provincial government', reference: 'Reuters 2025-11-05' },
};

describe('data center', () => {
  describe('when it is not registered', () => {
    const given = spec.given([]);

    it('registers it', () => {
      given.when(register()).then([registered]);
    });

    it('refuses an owner that is not a registered organisation', () => {
      given.when(register({ context: { ownerOrganisationRegistered: false } })).thenRefused('ORGANISATION.NOT_FOUND', 'ownerOrganisationId');
    });

    it.each([
      ['country', { country: 'China' }, 'COUNTRY.INVALID'],
      ['country', { country: 'cn' }, 'COUNTRY.INVALID'],
      ['name', { name: '  ' }, 'VALUE.REQUIRED'],
      ['region', { region: '' }, 'VALUE.REQUIRED'],
      ['occurredAt', { occurredAt: 'yesterday' }, 'INSTANT.INVALID'],
    ] as const)('refuses an invalid %s', (field, overrides, code) => {
      given.when(register(overrides)).thenRefused(code, field);
    });

    it('refuses progress and funding reports (not found)', () => {
      given.when(report(10, '2025-04-01T00:00:00Z')).thenRefused('DATA_CENTER.NOT_FOUND', 'dataCenterId');
      given.when(funding('2025-04-01T00:00:00Z')).thenRefused('DATA_CENTER.NOT_FOUND', 'dataCenterId');
    });
  });

  describe('when the data center is registered', () => {
    const given = spec.given(recordHistory([[REGISTERED_AT, registered]]));

    it('refuses registering it again', () => {
      given.when(register()).thenRefused('DATA_CENTER.ALREADY_REGISTERED', 'dataCenterId');
    });

    it.each([0, 20, 45.5, 100])('accepts %p% completion', (percent) => {
      given.when(report(percent, '2025-11-05T00:00:00Z')).then([reported(percent)]);
    });

    it.each([-0.1, 100.1, 33.33, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p% completion', (percent) => {
      given.when(report(percent, '2025-11-05T00:00:00Z')).thenRefused('DATA_CENTER.INVALID_COMPLETION_PERCENT', 'completionPercent');
    });

    it('refuses a report dated before registration, accepts one at the registration instant', () => {
      given.when(report(0, '2025-02-28T23:59:59.999Z')).thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'occurredAt');
      given.when(report(0, REGISTERED_AT)).then([reported(0)]);
    });

    it('records state funding, not before registration', () => {
      given.when(funding('2025-11-05T00:00:00Z')).then([funded]);
      given.when(funding('2025-01-01T00:00:00Z')).thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'occurredAt');
    });

    it('gives other deciders its facts', () => {
      const state = foldEvents(dataCenterDecider, recordHistory([[REGISTERED_AT, registered]]));
      expect(dataCenterFacts(state)).toEqual({ dataCenterId: 'dc-gansu', registeredAt: REGISTERED_AT, registeredEventId: 'test-stream#1', country: 'CN', ownerOrganisationId: 'org-gansu' });
      expect(dataCenterFacts(dataCenterDecider.initialState())).toBeNull();
    });
  });

  describe('when the data center was 20% complete on 2025-11-05', () => {
    const history = recordHistory([
      [REGISTERED_AT, registered],
      ['2025-11-05T00:00:00Z', reported(20)],
    ]);
    const given = spec.given(history);

    it('accepts a later report of equal or higher completion', () => {
      given.when(report(20, '2025-12-01T00:00:00Z')).then([reported(20)]);
      given.when(report(45, '2025-12-01T00:00:00Z')).then([reported(45)]);
    });

    it('refuses a later report of lower completion', () => {
      given.when(report(19.9, '2025-12-01T00:00:00Z')).thenRefused('DATA_CENTER.COMPLETION_DECREASED', 'completionPercent');
    });

    it('accepts a late-recorded earlier report that fits below, refuses one above', () => {
      given.when(report(10, '2025-10-01T00:00:00Z')).then([reported(10)]);
      given.when(report(20, '2025-10-01T00:00:00Z')).then([reported(20)]);
      given.when(report(20.1, '2025-10-01T00:00:00Z')).thenRefused('DATA_CENTER.COMPLETION_DECREASED', 'completionPercent');
    });

    it('answers completion as of a date', () => {
      const state = foldEvents(dataCenterDecider, [...history, ...recordDecided([reported(10)], '2025-10-01T00:00:00Z', history)]);
      expect(completionAt(state, '2025-09-30T00:00:00Z')).toBeNull();
      expect(completionAt(state, '2025-10-15T00:00:00Z')).toBe(10);
      expect(completionAt(state, '2025-11-05T00:00:00Z')).toBe(20);
    });
  });

  it('knows state funding from its earliest report', () => {
    const state = foldEvents(
      dataCenterDecider,
      recordHistory([
        [REGISTERED_AT, registered],
        ['2025-12-01T00:00:00Z', funded],
        ['2025-11-05T00:00:00Z', funded],
      ]),
    );
    expect(stateFundingKnownSince(state)).toBe('2025-11-05T00:00:00Z');
  });

  it('property: any accepted reports, in any recording order, keep completion non-decreasing over time', () => {
    const reports = fc.array(fc.record({ day: fc.integer({ min: 0, max: 30 }), tenths: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 30 });
    fc.assert(
      fc.property(reports, (entries) => {
        let history: Recorded<DataCenterEvent>[] = recordHistory([[REGISTERED_AT, registered]]);
        let state: DataCenterState = foldEvents(dataCenterDecider, history);
        for (const { day, tenths } of entries) {
          const occurredAt = new Date(Date.UTC(2025, 3, 1 + day)).toISOString();
          try {
            const recorded = recordDecided(dataCenterDecider.decide(report(tenths / 10, occurredAt), state), occurredAt, history);
            history = [...history, ...recorded];
            state = recorded.reduce(dataCenterDecider.evolve, state);
          } catch (error) {
            if (!isDomainError(error)) throw error;
          }
        }
        if (state.status !== 'registered') throw new Error('unregistered');
        const percents = state.construction.map((entry) => entry.completionPercent);
        expect(percents).toEqual([...percents].sort((a, b) => a - b));
        expect(foldEvents(dataCenterDecider, history)).toEqual(state);
      }),
    );
  });
});
