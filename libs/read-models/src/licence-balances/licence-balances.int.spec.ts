import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import { ledger, ProjectionHarness } from '../testing/ledger';
import { LicenceBalancesProjection } from './licence-balances.projection';
import { licenceBalance } from './licence-balances.queries';

describe('licence-balances projection', () => {
  let h: ProjectionHarness;
  beforeAll(async () => {
    h = await ProjectionHarness.start('licences');
  });
  afterAll(async () => {
    await h.stop();
  });

  describe('when a 2,000-unit H20 licence is drawn down by 1,500 then 800 (worked example 4)', () => {
    it('shows used 2,300, remaining 0, overdrawn by 300, with the usage history and remittances', async () => {
      const schema = 'licences_g1';
      const p = new LicenceBalancesProjection();
      await h.start(p, schema);
      const l = ledger()
        // The first usage arrives before the licence (another partition): it still counts.
        .deliver('2025-09-01', 'shanghai', M.h20, 1500, { deliveryId: 'd1', licenceId: 'lic-h20' })
        .licence('2025-08-20', 'lic-h20', { consigneeOrganisationId: 'cn-cloud', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 2000, revenueSharePercent: 15 })
        .remit('2025-09-15', 'lic-h20', ['d1'])
        .deliver('2025-10-01', 'shanghai', M.h20, 800, { deliveryId: 'd2', licenceId: 'lic-h20' })
        .deliver('2025-10-02', 'shanghai', M.h20, 5, { deliveryId: 'd3' })
        // Another organisation's site citing the licence: a fact compliance flags, not a draw on it (ADR 0018).
        .deliver('2025-10-03', 'hangzhou', M.h20, 7, { deliveryId: 'elsewhere', licenceId: 'lic-h20' })
        .dataCenter('2025-10-03', 'hangzhou', 'someone-else', 'CN')
        // The consignee's site registration arrives after its usages (another partition): they count from then on.
        .dataCenter('2025-01-01', 'shanghai', 'cn-cloud', 'CN');
      const changes = await h.apply(p, schema, l.events, 2);
      expect(changes.every((c) => c.kind === 'licence.changed')).toBe(true);
      const balance = await h.read(schema, (db) => licenceBalance(db, 'lic-h20', new Date('2026-01-01')));
      expect(balance).toMatchObject({ authorised: 2000, used: 2300, remaining: 0, overdrawnBy: 300, status: 'overdrawn', consigneeOrganisationId: 'cn-cloud', revenueSharePercent: 15 });
      expect(balance?.usages.map((u) => [u.reference, u.dataCenterId, u.quantity, u.balanceAfter])).toEqual([
        ['d1', 'shanghai', 1500, 500],
        ['d2', 'shanghai', 800, -300],
      ]);
      expect(balance?.remittances.map((r) => [r.deliveryIds, r.amountUsd])).toEqual([[['d1'], '1000.00']]);
    });
  });

  describe('remittance amounts', () => {
    it('are exact decimal strings, also for rows projected from v1 events (a JSON number in the numeric column)', async () => {
      const schema = 'licences_g3';
      const p = new LicenceBalancesProjection();
      await h.start(p, schema);
      const l = ledger().licence('2025-08-20', 'lic', { consigneeOrganisationId: 'org', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 100 });
      l.record('2025-09-01', { type: 'RevenueShareRemitted', data: { licenceId: 'lic', deliveryIds: ['d1'], amountUsd: '123456789012.34', reference: 'r1' } });
      l.record('2025-09-02', { type: 'RevenueShareRemitted', data: { licenceId: 'lic', deliveryIds: ['d2'], amountUsd: 1250000.5 as unknown as string, reference: 'r2' } });
      await h.apply(p, schema, l.events);
      const balance = await h.read(schema, (db) => licenceBalance(db, 'lic', new Date('2026-01-01')));
      expect(balance?.remittances.map((r) => r.amountUsd)).toEqual(['123456789012.34', '1250000.50']);
    });
  });

  describe('when a licence is amended and suspended', () => {
    it('applies the amendment and shows the administrative status', async () => {
      const schema = 'licences_g2';
      const p = new LicenceBalancesProjection();
      await h.start(p, schema);
      const l = ledger()
        .licence('2025-08-20', 'lic', { consigneeOrganisationId: 'org', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 100, revenueSharePercent: 15 })
        .record('2025-09-01', { type: 'ExportLicenceAmended', data: { licenceId: 'lic', changes: { authorisedQuantity: 300 }, reason: 'more' } });
      await h.apply(p, schema, l.events);
      l.record('2025-09-02', { type: 'ExportLicenceSuspended', data: { licenceId: 'lic', reason: 'review' } });
      await h.apply(p, schema, l.events.slice(-1));
      expect(await h.read(schema, (db) => licenceBalance(db, 'lic', new Date('2026-01-01')))).toMatchObject({
        authorised: 300,
        remaining: 300,
        status: 'suspended',
        revenueSharePercent: 15,
      });
    });
  });
});
