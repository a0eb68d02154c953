import type {
  ExportLicenceAmended,
  ExportLicenceIssued,
  ExportLicenceReinstated,
  ExportLicenceRevoked,
  ExportLicenceSuspended,
  RevenueShareRemitted,
} from '../../events/ledger-events';
import { deciderSpec } from '../../testing/decider-spec';
import { recordHistory } from '../../testing/recorded-events';
import { foldEvents } from '../decider';
import type { AmendExportLicence, IssueExportLicence, RecordRevenueShareRemittance } from './export-licence.commands';
import { exportLicenceDecider } from './export-licence.decider';

const spec = deciderSpec(exportLicenceDecider);
const ISSUED_AT = '2025-08-20T00:00:00Z';

const issue = (overrides: Partial<IssueExportLicence> = {}): IssueExportLicence => ({
  type: 'IssueExportLicence',
  licenceId: 'lic-1',
  licenceNumber: 'D1234567',
  exporter: 'Nvidia',
  consigneeOrganisationId: 'org-gansu',
  destinationCountry: 'CN',
  modelIds: ['nvidia-h20'],
  authorisedQuantity: 2000,
  validFrom: '2025-08-20T00:00:00Z',
  validTo: '2027-08-20T00:00:00Z',
  conditions: { revenueSharePercent: 15 },
  occurredAt: ISSUED_AT,
  context: { consigneeOrganisationRegistered: true, knownModelIds: ['nvidia-h20'] },
  ...overrides,
});
const issued: ExportLicenceIssued = {
  type: 'ExportLicenceIssued',
  data: {
    licenceId: 'lic-1',
    licenceNumber: 'D1234567',
    exporter: 'Nvidia',
    consigneeOrganisationId: 'org-gansu',
    destinationCountry: 'CN',
    modelIds: ['nvidia-h20'],
    authorisedQuantity: 2000,
    validFrom: '2025-08-20T00:00:00Z',
    validTo: '2027-08-20T00:00:00Z',
    conditions: { revenueSharePercent: 15 },
  },
};
const amend = (changes: AmendExportLicence['changes'], knownModelIds: string[] = []): AmendExportLicence => ({
  type: 'AmendExportLicence',
  licenceId: 'lic-1',
  changes,
  reason: 'BIS amendment',
  occurredAt: '2025-10-01T00:00:00Z',
  context: { knownModelIds },
});
const lifecycle = <T extends 'SuspendExportLicence' | 'ReinstateExportLicence' | 'RevokeExportLicence'>(type: T, occurredAt = '2025-10-01T00:00:00Z') => ({
  type,
  licenceId: 'lic-1',
  reason: 'BIS letter',
  occurredAt,
});
const remit = (overrides: Partial<RecordRevenueShareRemittance> = {}): RecordRevenueShareRemittance => ({
  type: 'RecordRevenueShareRemittance',
  licenceId: 'lic-1',
  deliveryIds: ['delivery-1'],
  amountUsd: '1800000',
  reference: 'TREAS-2025-11-001',
  occurredAt: '2025-11-15T00:00:00Z',
  ...overrides,
});
const suspended: ExportLicenceSuspended = { type: 'ExportLicenceSuspended', data: { licenceId: 'lic-1', reason: 'BIS letter' } };
const reinstated: ExportLicenceReinstated = { type: 'ExportLicenceReinstated', data: { licenceId: 'lic-1', reason: 'BIS letter' } };
const revoked: ExportLicenceRevoked = { type: 'ExportLicenceRevoked', data: { licenceId: 'lic-1', reason: 'BIS letter' } };
const remitted: RevenueShareRemitted = {
  type: 'RevenueShareRemitted',
  data: { licenceId: 'lic-1', deliveryIds: ['delivery-1'], amountUsd: '1800000.00', reference: 'TREAS-2025-11-001' },
};

describe('US export licence', () => {
  describe('when it was not issued', () => {
    const given = spec.given([]);

    it('issues it', () => {
      given.when(issue()).then([issued]);
    });

    it('refuses validTo not after validFrom', () => {
      given.when(issue({ validTo: '2025-08-20T00:00:00Z' })).thenRefused('PERIOD.INVALID', 'validTo');
      given.when(issue({ validTo: '2025-08-19T00:00:00Z' })).thenRefused('PERIOD.INVALID', 'validTo');
    });

    it.each([0, 100])('accepts a %p% revenue share', (revenueSharePercent) => {
      given.when(issue({ conditions: { revenueSharePercent } })).then([{ ...issued, data: { ...issued.data, conditions: { revenueSharePercent } } }]);
    });

    it.each([-1, 100.5, Number.NaN])('refuses a %p% revenue share', (revenueSharePercent) => {
      given.when(issue({ conditions: { revenueSharePercent } })).thenRefused('LICENCE.INVALID_REVENUE_SHARE', 'conditions.revenueSharePercent');
    });

    it('accepts no revenue-share condition', () => {
      given.when(issue({ conditions: { revenueSharePercent: null } })).then([{ ...issued, data: { ...issued.data, conditions: { revenueSharePercent: null } } }]);
    });

    it('refuses a zero quantity, no models, an unknown model or consignee', () => {
      given.when(issue({ authorisedQuantity: 0 })).thenRefused('QUANTITY.NOT_POSITIVE_INTEGER', 'authorisedQuantity');
      given.when(issue({ modelIds: [] })).thenRefused('VALUE.REQUIRED', 'modelIds');
      given.when(issue({ modelIds: ['nvidia-h20', 'amd-mi308'] })).thenRefused('CHIP_MODEL.UNKNOWN', 'modelIds[1]');
      given.when(issue({ context: { consigneeOrganisationRegistered: false, knownModelIds: ['nvidia-h20'] } })).thenRefused(
        'ORGANISATION.NOT_FOUND',
        'consigneeOrganisationId',
      );
    });

    it('refuses every other command (not found)', () => {
      given.when(amend({ authorisedQuantity: 1 })).thenRefused('LICENCE.NOT_FOUND', 'licenceId');
      given.when(lifecycle('SuspendExportLicence')).thenRefused('LICENCE.NOT_FOUND', 'licenceId');
      given.when(remit()).thenRefused('LICENCE.NOT_FOUND', 'licenceId');
    });
  });

  describe('when it is active', () => {
    const history = recordHistory([[ISSUED_AT, issued]]);
    const given = spec.given(history);

    it('refuses issuing it again', () => {
      given.when(issue()).thenRefused('LICENCE.ALREADY_ISSUED', 'licenceId');
    });

    it('amends only the terms given', () => {
      given.when(amend({ authorisedQuantity: 3000 })).then([
        { type: 'ExportLicenceAmended', data: { licenceId: 'lic-1', changes: { authorisedQuantity: 3000 }, reason: 'BIS amendment' } } satisfies ExportLicenceAmended,
      ]);
    });

    it('refuses an amendment that changes nothing', () => {
      given.when(amend({})).thenRefused('VALUE.REQUIRED', 'changes');
    });

    it('refuses an amendment that would end validity before it starts', () => {
      given.when(amend({ validTo: '2025-08-01T00:00:00Z' })).thenRefused('PERIOD.INVALID', 'changes.validTo');
      given.when(amend({ validFrom: '2028-01-01T00:00:00Z' })).thenRefused('PERIOD.INVALID', 'changes.validFrom');
    });

    it('refuses amended models that are not in the catalog', () => {
      given.when(amend({ modelIds: ['nvidia-h20', 'nvidia-h200'] }, ['nvidia-h20'])).thenRefused('CHIP_MODEL.UNKNOWN', 'changes.modelIds[1]');
    });

    it('refuses an amended revenue share out of range', () => {
      given.when(amend({ conditions: { revenueSharePercent: 101 } })).thenRefused('LICENCE.INVALID_REVENUE_SHARE', 'changes.conditions.revenueSharePercent');
    });

    it('suspends it; refuses reinstating it', () => {
      given.when(lifecycle('SuspendExportLicence')).then([suspended]);
      given.when(lifecycle('ReinstateExportLicence')).thenRefused('LICENCE.NOT_SUSPENDED');
    });

    it('revokes it', () => {
      given.when(lifecycle('RevokeExportLicence')).then([revoked]);
    });

    it('refuses a lifecycle fact dated before issue', () => {
      given.when(lifecycle('SuspendExportLicence', '2025-08-19T00:00:00Z')).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
    });

    it('records a remittance with its amount in canonical form; refuses a non-positive amount or no deliveries', () => {
      given.when(remit()).then([remitted]);
      given.when(remit({ amountUsd: '0.00' })).thenRefused('AMOUNT.NOT_POSITIVE', 'amountUsd');
      given.when(remit({ deliveryIds: [] })).thenRefused('VALUE.REQUIRED', 'deliveryIds');
    });

    it.each(['1e308', '-5.00', '1.005', '01.00', ' 1.00', '1000000000000.01', 1.5 as unknown as string])('refuses the amount %p: not an exact, bounded decimal', (amountUsd) => {
      given.when(remit({ amountUsd })).thenRefused('AMOUNT.INVALID', 'amountUsd');
    });

    it('refuses a quantity above the per-fact bound and an instant outside 1990..2100', () => {
      given.when(issue({ authorisedQuantity: 10_000_001 })).thenRefused('QUANTITY.TOO_LARGE', 'authorisedQuantity');
      given.when(issue({ validTo: '2100-01-01T00:00:00Z' })).thenRefused('INSTANT.OUT_OF_RANGE', 'validTo');
      given.when(issue({ validFrom: '1989-12-31T23:59:59Z' })).thenRefused('INSTANT.OUT_OF_RANGE', 'validFrom');
    });

    it('folds amendments into the terms', () => {
      const state = foldEvents(exportLicenceDecider, [
        ...history,
        ...recordHistory([['2025-10-01T00:00:00Z', { type: 'ExportLicenceAmended', data: { licenceId: 'lic-1', changes: { authorisedQuantity: 3000 }, reason: 'r' } } as ExportLicenceAmended]]),
      ]);
      expect(state.status !== 'none' && state.terms.authorisedQuantity).toBe(3000);
    });
  });

  describe('when it is suspended', () => {
    const given = spec.given(recordHistory([[ISSUED_AT, issued], ['2025-10-01T00:00:00Z', suspended]]));

    it('reinstates it; refuses suspending it again', () => {
      given.when(lifecycle('ReinstateExportLicence', '2025-10-15T00:00:00Z')).then([reinstated]);
      given.when(lifecycle('SuspendExportLicence', '2025-10-15T00:00:00Z')).thenRefused('LICENCE.ALREADY_SUSPENDED');
    });

    it('revokes it', () => {
      given.when(lifecycle('RevokeExportLicence', '2025-10-15T00:00:00Z')).then([revoked]);
    });
  });

  describe('when it is revoked', () => {
    const given = spec.given(recordHistory([[ISSUED_AT, issued], ['2025-10-01T00:00:00Z', revoked]]));

    it.each([
      ['amend', amend({ authorisedQuantity: 1 })],
      ['suspend', lifecycle('SuspendExportLicence', '2025-10-15T00:00:00Z')],
      ['reinstate', lifecycle('ReinstateExportLicence', '2025-10-15T00:00:00Z')],
      ['revoke again', lifecycle('RevokeExportLicence', '2025-10-15T00:00:00Z')],
    ] as const)('refuses to %s it', (_name, command) => {
      given.when(command).thenRefused('LICENCE.REVOKED');
    });

    it('still records a remittance owed on earlier deliveries', () => {
      given.when(remit()).then([remitted]);
    });
  });
});
