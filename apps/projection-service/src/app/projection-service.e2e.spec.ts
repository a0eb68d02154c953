import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startServiceProcess, startTestApp, uniqueTopicName, WrittenPositions, type ServiceProcess, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { ProjectionServiceAppModule } from './projection-service-app.module';
import { loadProjectionServiceConfig } from './projection-service.config';

/*
 * The distributed read path: a command recorded by the procurement context is relayed to Kafka, consumed by
 * the projection service's consumer groups and read back through the query API. DOMAIN.md §5, example 4.
 */
describe('projection-service over Kafka', () => {
  let database: TestDatabase;
  let commands: ServiceProcess;
  let projections: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'cn-ai');
  let env: Record<string, string | undefined>;
  const written = new WrittenPositions();

  const post = async (path: string, token: string, body: object): Promise<string> => {
    const res = await request(commands.baseUrl).post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    // Reads wait for everything written so far: findings depend on facts from many streams.
    written.record(res.body.position as string);
    return written.token();
  };
  const get = (path: string, token: string, after?: string) => {
    const req = request(projections.getHttpServer()).get(path).set('Authorization', token);
    return after ? req.query({ after }) : req;
  };
  /**
   * A read that waits for the projections: read-your-writes bounds each wait (503 when exceeded), and on a
   * busy 2-core CI machine consumer groups can take longer than that to join, so retry for up to a minute.
   */
  const getCaughtUp = async (path: string, token: string, after: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await get(path, token, after);
      if (res.status !== 503 || Date.now() > deadline) return res;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('projection_e2e');
    // Topics of our own: other test files relay into the default namespace of the same broker.
    env = { DATABASE_URL: database.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'], KAFKA_TOPIC_PREFIX: uniqueTopicName('ledger') };
    // The real procurement service in its own process: its relay publishes what it records to Kafka.
    commands = await startServiceProcess('apps/procurement-service/src/main.ts', env);
    ({ app: projections } = await startTestApp(ProjectionServiceAppModule.forRoot, env, loadProjectionServiceConfig));
  });

  afterAll(async () => {
    // Both, whatever either does: a service process left running outlives the test run (and holds its database).
    await Promise.allSettled([projections?.close(), commands?.stop()]);
    await database?.drop();
  });

  it('worked example 4: H20 under a 2,000-unit licence, 1,500 then 800: the balance is overdrawn by 300 and the second delivery is a breach', async () => {
    await post('/organisations', admin, { organisationId: 'cn-ai', name: 'CN AI', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2025-01-01' });
    await post('/data-centers', operator, { dataCenterId: 'dc-sh', name: 'Shanghai', ownerOrganisationId: 'cn-ai', country: 'CN', region: 'Shanghai', occurredAt: '2025-01-10' });
    await post('/export-licences', admin, {
      licenceId: 'lic-h20',
      licenceNumber: 'D1234567',
      exporter: 'Nvidia',
      consigneeOrganisationId: 'cn-ai',
      destinationCountry: 'CN',
      modelIds: ['nvidia-h20'],
      authorisedQuantity: 2000,
      validFrom: '2025-08-20',
      validTo: '2027-08-20',
      conditions: { revenueSharePercent: 15 },
      occurredAt: '2025-08-20',
    });
    await post('/purchase-orders', operator, { purchaseOrderId: 'po-h20', buyerOrganisationId: 'cn-ai', dataCenterId: 'dc-sh', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 2300 }], occurredAt: '2025-08-21' });
    await post('/data-centers/dc-sh/deliveries', operator, { deliveryId: 'd-1', modelId: 'nvidia-h20', quantity: 1500, purchaseOrderId: 'po-h20', licenceId: 'lic-h20', shippedFromCountry: 'US', occurredAt: '2025-09-01' });
    const last = await post('/data-centers/dc-sh/deliveries', operator, { deliveryId: 'd-2', modelId: 'nvidia-h20', quantity: 800, purchaseOrderId: 'po-h20', licenceId: 'lic-h20', shippedFromCountry: 'US', occurredAt: '2025-09-15' });

    const balance = await getCaughtUp('/export-licences/lic-h20/balance', admin, last);
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ authorised: 2000, used: 2300, remaining: 0, overdrawnBy: 300 });

    const findings = await getCaughtUp('/findings?dataCenterId=dc-sh&ruleId=US-LICENCE-BALANCE&status=open', admin, last);
    expect(findings.status).toBe(200);
    expect(findings.body.items).toHaveLength(1);
    expect(findings.body.items[0]).toMatchObject({ severity: 'breach', ruleId: 'US-LICENCE-BALANCE' });

    const mix = await getCaughtUp('/data-centers/dc-sh/chip-mix', operator, last);
    expect(mix.status).toBe(200);
    expect(JSON.stringify(mix.body)).toContain('"nvidia-h20"');
  }, 120_000);

  it('a read that names a position the projection has not reached waits, then answers 503 problem+json', async () => {
    // An auditor or admin may wait on any stream; an operator only on positions its own organisation's writes
    // answered (signed), so a made-up one is not waited on: waiting would tell whether the stream got that far.
    const res = await get('/data-centers/dc-sh', admin, 'data-center-dc-sh@99');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get('/data-centers/dc-sh', operator, 'data-center-dc-sh@99')).status).toBe(200);
  });

  it('rebuilds a projection from offset 0 with progress, keeping reads working, into identical tables', async () => {
    const before = await get('/export-licences/lic-h20/balance', admin).expect(200);
    const started = await request(projections.getHttpServer()).post('/admin/projections/licence-balances/rebuild').set('Authorization', admin).expect(202);
    expect(started.body).toMatchObject({ projection: 'licence-balances', state: 'building' });
    let progress = started.body;
    for (let i = 0; i < 100 && progress.state !== 'active'; i++) {
      await get('/export-licences/lic-h20/balance', admin).expect(200);
      await new Promise((r) => setTimeout(r, 200));
      progress = (await request(projections.getHttpServer()).get('/admin/projections/licence-balances/rebuild').set('Authorization', admin).expect(200)).body;
    }
    expect(progress).toMatchObject({ state: 'active', generation: started.body.generation });
    expect(progress.done).toBe(progress.total);
    const after = await get('/export-licences/lic-h20/balance', admin).expect(200);
    expect(after.body).toEqual(before.body);
  });
});
