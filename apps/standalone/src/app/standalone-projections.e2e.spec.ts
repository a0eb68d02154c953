import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, WrittenPositions, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/*
 * The embedded product end to end: facts recorded over HTTP, projected from the PostgreSQL event log,
 * read back through the query API with read-your-writes. DOMAIN.md §5, worked example 2.
 */
describe('standalone: from a recorded fact to the dashboards', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'gansu-cloud');
  const auditor = bearer('auditor', 'audit-firm');
  const written = new WrittenPositions();
  const http = () => request(app.getHttpServer());
  const post = async (path: string, token: string, body: object): Promise<string> => {
    const res = await http().post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    // Reads wait for everything written so far: findings depend on facts from many streams.
    written.record(res.body.position as string);
    return written.token();
  };
  const get = (path: string, token: string, after?: string) => {
    const req = http().get(path).set('Authorization', token);
    return after ? req.set('X-Ledger-Position', after) : req;
  };

  beforeAll(async () => {
    database = await createTestDatabase('standalone_projections');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    await post('/organisations', admin, { organisationId: 'gansu-cloud', name: 'Gansu Cloud', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2024-01-01' });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  async function stateFundedSite(dataCenterId: string, completionPercent: number): Promise<string> {
    await post('/data-centers', operator, { dataCenterId, name: dataCenterId, ownerOrganisationId: 'gansu-cloud', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' });
    await post(`/data-centers/${dataCenterId}/state-funding`, operator, { funder: 'provincial fund', occurredAt: '2025-03-01' });
    await post(`/data-centers/${dataCenterId}/construction-progress`, operator, { completionPercent, occurredAt: '2025-10-01' });
    await post('/purchase-orders', operator, { purchaseOrderId: `po-${dataCenterId}`, buyerOrganisationId: 'gansu-cloud', dataCenterId, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 512 }], occurredAt: '2025-08-01' });
    await post(`/data-centers/${dataCenterId}/deliveries`, operator, { deliveryId: `del-${dataCenterId}`, modelId: 'nvidia-h20', quantity: 512, purchaseOrderId: `po-${dataCenterId}`, shippedFromCountry: 'US', occurredAt: '2025-09-01' });
    return post(`/data-centers/${dataCenterId}/installations`, operator, { modelId: 'nvidia-h20', quantity: 512, occurredAt: '2025-09-02' });
  }

  const findingsOf = async (dataCenterId: string, status: 'open' | 'closed', after: string) => {
    const res = await get(`/findings?dataCenterId=${dataCenterId}&status=${status}&ruleId=CN-STATE-FUNDED-DOMESTIC`, auditor, after).expect(200);
    return res.body.items as { severity: string; openedAt: string; closedAt: string | null; ruleId: string }[];
  };

  it('20% complete: the chip mix shows 512 foreign chips, a breach opens from 2025-11-05 and closes when all 512 are removed', async () => {
    const installed = await stateFundedSite('dc-gansu-20', 20);

    const mix = await get('/data-centers/dc-gansu-20/chip-mix', operator, installed).expect(200);
    expect(JSON.stringify(mix.body)).toContain('nvidia-h20');
    const open = await findingsOf('dc-gansu-20', 'open', installed);
    expect(open).toEqual([expect.objectContaining({ severity: 'breach', ruleId: 'CN-STATE-FUNDED-DOMESTIC' })]);
    expect(open[0].openedAt.slice(0, 10)).toBe('2025-11-05');

    const removed = await post('/data-centers/dc-gansu-20/removals', operator, { modelId: 'nvidia-h20', quantity: 512, reason: 'remediation', occurredAt: '2025-12-01' });
    expect(await findingsOf('dc-gansu-20', 'open', removed)).toEqual([]);
    const closed = await findingsOf('dc-gansu-20', 'closed', removed);
    expect(closed).toEqual([expect.objectContaining({ severity: 'breach' })]);
    expect(closed[0].closedAt?.slice(0, 10)).toBe('2025-12-01');
  });

  it("45% complete: a review opens and an auditor's approval closes it", async () => {
    const installed = await stateFundedSite('dc-gansu-45', 45);
    expect(await findingsOf('dc-gansu-45', 'open', installed)).toEqual([expect.objectContaining({ severity: 'review' })]);

    const approved = await post('/data-centers/dc-gansu-45/case-reviews', auditor, { ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision: 'approved', reasoning: 'Over 30% complete on 2025-11-05.', occurredAt: '2025-12-10' });
    expect(await findingsOf('dc-gansu-45', 'open', approved)).toEqual([]);
    expect(await findingsOf('dc-gansu-45', 'closed', approved)).toEqual([expect.objectContaining({ severity: 'review' })]);
  });

  it("keeps another organisation's data center out of a viewer's reach", async () => {
    await get('/data-centers/dc-gansu-20', bearer('viewer', 'someone-else')).expect(404);
    const own = await get('/data-centers/dc-gansu-20', bearer('viewer', 'gansu-cloud')).expect(200);
    expect(own.body).toMatchObject({ dataCenterId: 'dc-gansu-20' });
  });
});
