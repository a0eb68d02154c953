import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startPostgresProxy, startTestApp, uniqueTopicName, type PostgresProxy, type TestDatabase } from '@chip-ledger/testing';
import { Client } from 'pg';
import request from 'supertest';
import { ProcurementServiceModule } from './procurement-service.module';

/*
 * The fault an outage makes likely: PostgreSQL commits a command and the connection dies before the answer
 * reaches the service. The service cannot know whether the write happened, so it must not say it did not: a 503
 * with Retry-After and a detail that says so; the retry with the same Idempotency-Key answers with the original.
 * The service talks to its database through a proxy that cuts the append's connection after the server's
 * ReadyForQuery (the transaction is over) and refuses new connections until told otherwise.
 */
describe('procurement-service: the answer to a committed append is lost', () => {
  let database: TestDatabase;
  let proxy: PostgresProxy;
  let app: INestApplication;
  let db: Client;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'org-l');
  const http = () => request(app.getHttpServer());
  const post = (path: string, body: object, key?: string) => {
    const req = http().post(path).set('Authorization', operator).send(body);
    return key ? req.set('Idempotency-Key', key) : req;
  };

  beforeAll(async () => {
    database = await createTestDatabase('lost_answer');
    proxy = await startPostgresProxy(database.url);
    ({ app } = await startTestApp(ProcurementServiceModule.forRoot, {
      DATABASE_URL: proxy.url,
      KAFKA_BROKERS: process.env['KAFKA_BROKERS'],
      KAFKA_TOPIC_PREFIX: uniqueTopicName('lost-answer'),
    }));
    db = new Client({ connectionString: database.url });
    await db.connect();
    await http()
      .post('/organisations')
      .set('Authorization', admin)
      .send({ organisationId: 'org-l', name: 'L Compute', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN' })
      .expect(201);
    await post('/data-centers', { dataCenterId: 'dc-l1', name: 'Lanzhou 1', ownerOrganisationId: 'org-l', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' }).expect(201);
    await post('/purchase-orders', {
      purchaseOrderId: 'po-l1',
      buyerOrganisationId: 'org-l',
      dataCenterId: 'dc-l1',
      supplier: 'Nvidia',
      lines: [{ modelId: 'nvidia-h20', quantity: 100 }],
      occurredAt: '2025-02-01',
    }).expect(201);
    await post('/data-centers/dc-l1/deliveries', { deliveryId: 'del-l1', modelId: 'nvidia-h20', quantity: 100, purchaseOrderId: 'po-l1', shippedFromCountry: 'US', occurredAt: '2025-03-01' }).expect(201);
  });

  afterAll(async () => {
    proxy?.accept();
    await db?.end();
    await app?.close();
    await proxy?.close();
    await database?.drop();
  });

  const installations = async () =>
    (await db.query<{ event_id: string }>(`SELECT event_id::text FROM procurement.events WHERE stream_id = 'chip-stock-dc-l1.nvidia-h20' AND type = 'ChipsInstalled'`)).rows.map((r) => r.event_id);

  it('answers 503 with Retry-After without claiming nothing was recorded, and the retry with the same key returns the original result', async () => {
    const body = { modelId: 'nvidia-h20', quantity: 7, occurredAt: '2025-03-02' };
    const cut = proxy.cutAfterCompletion('append_batch');
    const lost = await post('/data-centers/dc-l1/installations', body, 'install-lost-1');
    await cut;

    expect(lost.status).toBe(503);
    expect(lost.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(lost.headers['retry-after']).toBe('2');
    expect(lost.body).toMatchObject({ code: 'SERVICE.DEPENDENCY_UNAVAILABLE', dependency: 'database', status: 503 });
    expect(lost.body.detail).not.toMatch(/nothing was recorded/i);
    expect(lost.body.detail).toMatch(/same Idempotency-Key/);
    // It had committed: the event and the idempotency key are in the store.
    const recorded = await installations();
    expect(recorded).toHaveLength(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM procurement.idempotency WHERE key = 'install-lost-1'`)).rows[0].n).toBe(1);

    // While the database stays unreachable, a retry is the same honest 503.
    const still = await post('/data-centers/dc-l1/installations', body, 'install-lost-1');
    expect(still.status).toBe(503);
    expect(still.headers['retry-after']).toBe('2');

    proxy.accept();
    const retry = await post('/data-centers/dc-l1/installations', body, 'install-lost-1').expect(201);
    expect(retry.body).toMatchObject({ streamId: 'chip-stock-dc-l1.nvidia-h20', version: 2, eventIds: recorded });
    expect(await installations()).toEqual(recorded);

    // And the stream goes on from there: the next command sees the recorded installation.
    const next = await post('/data-centers/dc-l1/installations', { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2025-03-03' }, 'install-next').expect(201);
    expect(next.body.version).toBe(3);
  });
});
