import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import { ledger, ProjectionHarness } from '../testing/ledger';
import { RentalsProjection } from './rentals.projection';
import { listRentals } from './rentals.queries';

describe('rentals projection', () => {
  let h: ProjectionHarness;
  const schema = 'rentals_g1';
  const now = new Date('2026-03-01T00:00:00.000Z');
  beforeAll(async () => {
    h = await ProjectionHarness.start('rentals');
    const p = new RentalsProjection();
    await h.start(p, schema);
    const l = ledger()
      .rental('2025-03-01', 'r1', { providerDataCenterId: 'singapore', tenantOrganisationId: 'alibaba', modelId: M.h100Sxm, chipCount: 1024, periodEnd: '2027-01-01' })
      .dataCenter('2025-01-01', 'singapore', 'sg-dc', 'SG')
      .rental('2025-03-01', 'r2', { providerDataCenterId: 'singapore', tenantOrganisationId: 'bytedance', modelId: M.h100Sxm, chipCount: 10, purpose: 'inference', periodEnd: '2027-01-01' })
      .endRental('2025-06-01', 'r2')
      .rental('2025-03-01', 'r3', { providerDataCenterId: 'singapore', tenantOrganisationId: 'alibaba', modelId: M.h100Sxm, chipCount: 5, periodEnd: '2025-12-01' });
    await h.apply(p, schema, l.events, 2);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('lists rentals by tenant with their status as of now', async () => {
    const rows = await h.read(schema, (db) => listRentals(db, { tenantOrganisationId: 'alibaba', limit: 10 }, now));
    expect(rows.map((r) => [r.rentalId, r.status, r.chipCount, r.providerOrganisationId])).toEqual([
      ['r1', 'active', 1024, 'sg-dc'],
      ['r3', 'expired', 5, 'sg-dc'],
    ]);
  });

  it('lists rentals by provider, ended ones included', async () => {
    const rows = await h.read(schema, (db) => listRentals(db, { providerDataCenterId: 'singapore', limit: 10 }, now));
    expect(rows.map((r) => [r.rentalId, r.status, r.purpose])).toEqual([
      ['r1', 'active', 'training'],
      ['r2', 'ended', 'inference'],
      ['r3', 'expired', 'training'],
    ]);
  });

  it('limits viewers to rentals of their organisation as tenant or provider owner', async () => {
    expect((await h.read(schema, (db) => listRentals(db, { visibleToOrganisation: 'bytedance', limit: 10 }, now))).map((r) => r.rentalId)).toEqual(['r2']);
    expect((await h.read(schema, (db) => listRentals(db, { visibleToOrganisation: 'sg-dc', limit: 10 }, now))).length).toBe(3);
  });
});
