import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, WrittenPositions, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/*
 * Every kind of fact, recorded over HTTP and read back from the projections (embedded form: the
 * PostgreSQL event log feeds them). DOMAIN.md §5, worked examples 1 and 3.
 */
describe('standalone: every kind of fact reaches the read models', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const auditor = bearer('auditor', 'audit-firm');
  const deepseek = bearer('operator', 'deepseek-like');
  const sgOperator = bearer('operator', 'sg-dc');
  const written = new WrittenPositions();
  const http = () => request(app.getHttpServer());
  const post = async (path: string, token: string, body: object): Promise<string> => {
    const res = await http().post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    // Reads wait for everything written so far: findings depend on facts from many streams.
    written.record(res.body.position as string);
    return written.token();
  };
  const get = async (path: string, token: string, after: string) => {
    const res = await http().get(path).set('Authorization', token).set('X-Ledger-Position', after);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const openFindings = async (dataCenterId: string, after: string) =>
    ((await get(`/findings?dataCenterId=${dataCenterId}&status=open`, auditor, after)).items as { ruleId: string; severity: string; modelId: string | null }[]).map(
      (f) => `${f.ruleId}:${f.severity}:${f.modelId}`,
    );
  const mixOf = async (dataCenterId: string, token: string, after: string) =>
    Object.fromEntries(
      ((await get(`/data-centers/${dataCenterId}/chip-mix`, token, after)).items as { modelId: string; installed: number; inStock: number; onOrder: number; rentedOut: number }[]).map((m) => [
        m.modelId,
        { installed: m.installed, inStock: m.inStock, onOrder: m.onOrder, rentedOut: m.rentedOut },
      ]),
    );

  beforeAll(async () => {
    database = await createTestDatabase('standalone_every_fact');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    for (const [id, hq] of [['deepseek-like', 'CN'], ['sg-dc', 'SG'], ['alibaba', 'CN'], ['alibaba-sg', 'SG']] as const) {
      await post('/organisations', admin, { organisationId: id, name: id, headquartersCountry: hq, ultimateParentHeadquartersCountry: id === 'alibaba-sg' ? 'CN' : hq, occurredAt: '2020-01-01' });
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('example 1: H800 (2023-06) and A100 (2022-09) deliveries to a private Hangzhou site are no breach in 2026; Ascend 910B installed 2025-12 is a risk', async () => {
    await post('/data-centers', deepseek, { dataCenterId: 'dc-hz', name: 'Hangzhou', ownerOrganisationId: 'deepseek-like', country: 'CN', region: 'Hangzhou', occurredAt: '2022-01-01' });
    await post('/purchase-orders', deepseek, {
      purchaseOrderId: 'po-hz',
      buyerOrganisationId: 'deepseek-like',
      dataCenterId: 'dc-hz',
      supplier: 'various',
      lines: [
        { modelId: 'nvidia-a100', quantity: 100 },
        { modelId: 'nvidia-h800', quantity: 200 },
        { modelId: 'huawei-ascend-910b', quantity: 300 },
      ],
      occurredAt: '2022-08-01',
    });
    await post('/data-centers/dc-hz/deliveries', deepseek, { deliveryId: 'a100', modelId: 'nvidia-a100', quantity: 100, purchaseOrderId: 'po-hz', shippedFromCountry: 'US', occurredAt: '2022-09-01' });
    await post('/data-centers/dc-hz/deliveries', deepseek, { deliveryId: 'h800', modelId: 'nvidia-h800', quantity: 200, purchaseOrderId: 'po-hz', shippedFromCountry: 'US', occurredAt: '2023-06-01' });
    await post('/data-centers/dc-hz/deliveries', deepseek, { deliveryId: '910b', modelId: 'huawei-ascend-910b', quantity: 300, purchaseOrderId: 'po-hz', shippedFromCountry: 'CN', occurredAt: '2025-11-20' });
    const installed = await post('/data-centers/dc-hz/installations', deepseek, { modelId: 'huawei-ascend-910b', quantity: 300, occurredAt: '2025-12-01' });

    expect(await openFindings('dc-hz', installed)).toEqual(['US-PRC-3A090-USE:risk:huawei-ascend-910b']);
    expect(await mixOf('dc-hz', deepseek, installed)).toMatchObject({
      'nvidia-a100': { installed: 0, inStock: 100, onOrder: 0 },
      'nvidia-h800': { installed: 0, inStock: 200, onOrder: 0 },
      'huawei-ascend-910b': { installed: 300, inStock: 0, onOrder: 0 },
    });
  });

  it('example 3: renting 1,024 H100 for training in Singapore is a risk, not a breach; owned by an Alibaba subsidiary without a licence it is a breach', async () => {
    await post('/data-centers', sgOperator, { dataCenterId: 'dc-sg', name: 'Jurong', ownerOrganisationId: 'sg-dc', country: 'SG', region: 'Jurong', occurredAt: '2024-01-01' });
    await post('/purchase-orders', sgOperator, { purchaseOrderId: 'po-sg', buyerOrganisationId: 'sg-dc', dataCenterId: 'dc-sg', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h100-sxm', quantity: 1024 }], occurredAt: '2024-02-01' });
    await post('/data-centers/dc-sg/deliveries', sgOperator, { deliveryId: 'h100-sg', modelId: 'nvidia-h100-sxm', quantity: 1024, purchaseOrderId: 'po-sg', shippedFromCountry: 'US', occurredAt: '2024-03-01' });
    await post('/data-centers/dc-sg/installations', sgOperator, { modelId: 'nvidia-h100-sxm', quantity: 1024, occurredAt: '2024-03-02' });
    const rented = await post('/rentals', sgOperator, {
      rentalId: 'qwen-training',
      providerDataCenterId: 'dc-sg',
      tenantOrganisationId: 'alibaba',
      modelId: 'nvidia-h100-sxm',
      chipCount: 1024,
      purpose: 'training',
      periodStart: '2025-06-01',
      periodEnd: '2027-06-01',
      occurredAt: '2025-06-01',
    });
    expect(await openFindings('dc-sg', rented)).toEqual(['US-IAAS-TRAINING:risk:nvidia-h100-sxm']);
    expect((await mixOf('dc-sg', sgOperator, rented))['nvidia-h100-sxm']).toMatchObject({ installed: 1024, rentedOut: 1024 });
    const rentals = await get('/rentals?tenantOrganisationId=alibaba', auditor, rented);
    expect(rentals.items).toEqual([expect.objectContaining({ rentalId: 'qwen-training', status: 'active', chipCount: 1024, purpose: 'training' })]);

    const alibabaSg = bearer('operator', 'alibaba-sg');
    await post('/data-centers', alibabaSg, { dataCenterId: 'dc-sg-ali', name: 'Ali SG', ownerOrganisationId: 'alibaba-sg', country: 'SG', region: 'Singapore', occurredAt: '2024-01-01' });
    await post('/purchase-orders', alibabaSg, { purchaseOrderId: 'po-ali', buyerOrganisationId: 'alibaba-sg', dataCenterId: 'dc-sg-ali', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h100-sxm', quantity: 1024 }], occurredAt: '2024-02-01' });
    const delivered = await post('/data-centers/dc-sg-ali/deliveries', alibabaSg, { deliveryId: 'h100-ali', modelId: 'nvidia-h100-sxm', quantity: 1024, purchaseOrderId: 'po-ali', shippedFromCountry: 'US', occurredAt: '2024-03-01' });
    expect(await openFindings('dc-sg-ali', delivered)).toContain('US-3A090-LICENCE:breach:nvidia-h100-sxm');
  });

  it('the remaining facts (extension and end of a rental, cancellation, transfer with a Malaysian permit, progress, funding, licence life cycle, Entity List, catalog correction, auditors) are all projected', async () => {
    // Rental extended then ended: no longer rented out.
    await post('/rentals/qwen-training/extensions', sgOperator, { newPeriodEnd: '2028-01-01', occurredAt: '2025-09-01' });
    const ended = await post('/rentals/qwen-training/end', sgOperator, { reason: 'moved', occurredAt: '2025-10-01' });
    expect((await get('/rentals?tenantOrganisationId=alibaba', auditor, ended)).items[0]).toMatchObject({ status: 'ended', extensions: 1 });
    expect((await mixOf('dc-sg', sgOperator, ended))['nvidia-h100-sxm']).toMatchObject({ rentedOut: 0 });

    // A Malaysian site moves chips to Singapore under a permit: stock moves, no MY permit breach.
    await post('/data-centers', sgOperator, { dataCenterId: 'dc-my', name: 'Johor', ownerOrganisationId: 'sg-dc', country: 'MY', region: 'Johor', occurredAt: '2024-01-01' });
    await post('/purchase-orders', sgOperator, { purchaseOrderId: 'po-my', buyerOrganisationId: 'sg-dc', dataCenterId: 'dc-my', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h200', quantity: 64 }], occurredAt: '2025-01-01' });
    const cancelled = await post('/purchase-orders/po-my/cancellation', sgOperator, { reason: 'plan changed', occurredAt: '2025-01-05' });
    expect((await mixOf('dc-my', sgOperator, cancelled))['nvidia-h200']).toMatchObject({ onOrder: 0, inStock: 0 });
    await post('/purchase-orders', sgOperator, { purchaseOrderId: 'po-my-2', buyerOrganisationId: 'sg-dc', dataCenterId: 'dc-my', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h200', quantity: 64 }], occurredAt: '2025-02-01' });
    await post('/data-centers/dc-my/deliveries', sgOperator, { deliveryId: 'h200-my', modelId: 'nvidia-h200', quantity: 64, purchaseOrderId: 'po-my-2', shippedFromCountry: 'US', occurredAt: '2025-03-01' });
    const moved = await post('/transfers', sgOperator, { transferId: 'tr-my-sg', modelId: 'nvidia-h200', quantity: 16, fromDataCenterId: 'dc-my', toDataCenterId: 'dc-sg', permitReference: 'MITI-STP-42', occurredAt: '2025-08-01' });
    expect((await mixOf('dc-my', sgOperator, moved))['nvidia-h200']).toMatchObject({ inStock: 48, onOrder: 0 });
    expect((await mixOf('dc-sg', sgOperator, moved))['nvidia-h200']).toMatchObject({ inStock: 16 });
    expect((await openFindings('dc-my', moved)).filter((f) => f.startsWith('MY-STRATEGIC-TRADE-PERMIT'))).toEqual([]);

    // Construction progress and state funding show on the data center.
    await post('/data-centers/dc-hz/state-funding', deepseek, { funder: 'city fund', occurredAt: '2025-04-01' });
    const progressed = await post('/data-centers/dc-hz/construction-progress', deepseek, { completionPercent: 80, occurredAt: '2025-04-02' });
    expect(await get('/data-centers/dc-hz', deepseek, progressed)).toMatchObject({ stateFunded: true, completionPercent: 80 });

    // A licence's life cycle shows in its balance.
    await post('/export-licences', admin, {
      licenceId: 'lic-1',
      licenceNumber: 'D0000001',
      exporter: 'Nvidia',
      consigneeOrganisationId: 'deepseek-like',
      destinationCountry: 'CN',
      modelIds: ['nvidia-h20'],
      authorisedQuantity: 100,
      validFrom: '2025-08-20',
      validTo: '2026-08-20',
      conditions: { revenueSharePercent: 15 },
      occurredAt: '2025-08-20',
    });
    await post('/export-licences/lic-1/amendments', admin, { changes: { authorisedQuantity: 150 }, reason: 'amended by BIS', occurredAt: '2025-09-01' });
    await post('/export-licences/lic-1/suspension', admin, { reason: 'review', occurredAt: '2025-10-01' });
    await post('/export-licences/lic-1/reinstatement', admin, { reason: 'cleared', occurredAt: '2025-10-15' });
    const revoked = await post('/export-licences/lic-1/revocation', admin, { reason: 'policy', occurredAt: '2026-02-01' });
    expect(await get('/export-licences/lic-1/balance', admin, revoked)).toMatchObject({ authorised: 150, used: 0, remaining: 150 });

    // Entity List listing, catalog correction and auditors' facts are recorded (each answers 201 above) and
    // the projections keep up with all of them.
    await post('/organisations/alibaba/entity-list-listings', admin, { reference: '90 FR 0000', occurredAt: '2026-03-01' });
    await post('/chip-models/nvidia-l20/corrections', admin, { changes: { notes: 'datasheet v2' }, reason: 'typo' });
    await post('/data-centers/dc-hz/audit-notes', auditor, { note: 'visited', occurredAt: '2026-01-01' });
    const last = await post('/data-centers/dc-hz/finding-acknowledgements', auditor, { findingId: 'US-PRC-3A090-USE/dc-hz/huawei-ascend-910b/present', comment: 'noted', occurredAt: '2026-01-02' });
    // Now state-funded at 80% complete: the foreign chips present are up for case-by-case review, while the
    // domestic Ascend chips satisfy Beijing and stay a US risk (the two rulebooks' tension, shown side by side).
    expect((await openFindings('dc-hz', last)).sort()).toEqual([
      'CN-STATE-FUNDED-DOMESTIC:review:nvidia-a100',
      'CN-STATE-FUNDED-DOMESTIC:review:nvidia-h800',
      'US-PRC-3A090-USE:risk:huawei-ascend-910b',
    ]);
  });
});
