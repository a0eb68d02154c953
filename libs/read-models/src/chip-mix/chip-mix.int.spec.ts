import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import { fleetMix } from '../fleet-mix/fleet-mix.queries';
import { ledger, ProjectionHarness } from '../testing/ledger';
import { ChipMixProjection } from './chip-mix.projection';
import { chipMixOf, dataCenterFacts } from './chip-mix.queries';

describe('chip-mix projection', () => {
  let h: ProjectionHarness;
  const schema = 'chip_mix_g1';
  const now = new Date('2026-03-01T00:00:00.000Z');
  const l = ledger()
    .organisation('2025-01-01', 'gansu-compute', 'CN', 'Gansu Compute')
    .organisation('2025-01-01', 'sg-dc', 'SG')
    .dataCenter('2025-03-01', 'gansu', 'gansu-compute', 'CN', 'Gansu')
    .stateFunding('2025-04-01', 'gansu')
    .progress('2025-10-01', 'gansu', 20)
    .progress('2025-06-01', 'gansu', 10) // recorded late: an older report does not win
    .order('2025-08-01', 'po-1', 'gansu', 'gansu-compute', [{ modelId: M.h20, quantity: 1000 }, { modelId: M.ascend910b, quantity: 300 }])
    .deliver('2025-09-01', 'gansu', M.h20, 600, { purchaseOrderId: 'po-1' })
    .install('2025-09-05', 'gansu', M.h20, 512)
    .cancel('2025-11-10', 'po-1', 'gansu', [{ modelId: M.h20, quantity: 100 }])
    .remove('2026-01-10', 'gansu', M.h20, 12)
    .dataCenter('2025-01-01', 'singapore', 'sg-dc', 'SG')
    .deliver('2025-02-01', 'singapore', M.h100Sxm, 1024)
    .install('2025-02-05', 'singapore', M.h100Sxm, 1024)
    .rental('2025-03-01', 'r1', { providerDataCenterId: 'singapore', tenantOrganisationId: 'alibaba', modelId: M.h100Sxm, chipCount: 1024, periodEnd: '2027-01-01' })
    .rental('2025-03-01', 'r2', { providerDataCenterId: 'singapore', tenantOrganisationId: 'bytedance', modelId: M.h100Sxm, chipCount: 10, periodEnd: '2027-01-01' })
    .endRental('2025-06-01', 'r2');

  beforeAll(async () => {
    h = await ProjectionHarness.start('chip_mix');
    const p = new ChipMixProjection();
    await h.start(p, schema);
    await h.apply(p, schema, l.events, 4);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('counts installed, in stock, on order (ordered - delivered - cancelled) per data center and model', async () => {
    const mix = await h.read(schema, (db) => chipMixOf(db, 'gansu', now));
    expect(mix.map((m) => [m.modelId, m.installed, m.inStock, m.onOrder, m.origin, m.eccnClass, m.vendorHeadquarters])).toEqual([
      [M.ascend910b, 0, 0, 300, 'domestic', '3A090.a', 'CN'],
      [M.h20, 500, 88, 300, 'foreign', 'not-controlled', 'US'],
    ]);
  });

  it('counts active rentals as rented out', async () => {
    const [h100] = await h.read(schema, (db) => chipMixOf(db, 'singapore', now));
    expect(h100).toMatchObject({ modelId: M.h100Sxm, installed: 1024, rentedOut: 1024, vendor: 'Nvidia', eccnClass: '3A090.a' });
  });

  it('keeps the data center facts, the latest completion report by occurredAt winning', async () => {
    expect(await h.read(schema, (db) => dataCenterFacts(db, 'gansu', now))).toMatchObject({
      ownerOrganisationId: 'gansu-compute',
      ownerName: 'Gansu Compute',
      country: 'CN',
      region: 'Gansu',
      stateFunded: true,
      stateFundedAt: '2025-04-01T00:00:00.000Z',
      completionPercent: 20,
      totals: { installed: 500, inStock: 88, onOrder: 600 },
    });
  });

  it('aggregates the fleet by country, owner and vendor', async () => {
    const byCountry = await h.read(schema, (db) => fleetMix(db, 'country', {}, now));
    expect(byCountry.map((r) => [r.key, r.installed, r.domesticInstalled, r.foreignInstalled])).toEqual([
      ['CN', 500, 0, 500],
      ['SG', 1024, 0, 1024],
    ]);
    const byVendor = await h.read(schema, (db) => fleetMix(db, 'vendor', {}, now));
    expect(byVendor.map((r) => [r.key, r.installed, r.onOrder])).toEqual([
      ['Huawei', 0, 300],
      ['Nvidia', 1524, 300],
    ]);
    const mine = await h.read(schema, (db) => fleetMix(db, 'owner', { visibleToOrganisation: 'sg-dc' }, now));
    expect(mine.map((r) => r.key)).toEqual(['sg-dc']);
  });

  it('is idempotent to migrate again (a restart)', async () => {
    await h.start(new ChipMixProjection(), schema);
    expect((await h.read(schema, (db) => chipMixOf(db, 'gansu', now))).length).toBe(2);
  });
});
