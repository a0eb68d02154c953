import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import { Client } from 'pg';
import request from 'supertest';
import { ProcurementServiceModule } from './procurement-service.module';

/*
 * The procurement command API end to end: HTTP → validation → decider → PostgreSQL event store.
 * Every refusal must be a 4xx problem+json naming the field, and must write nothing.
 */
describe('procurement-service command API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: Client;

  const admin = bearer('admin', 'chip-ledger');
  const operatorA = bearer('operator', 'org-a');
  const operatorB = bearer('operator', 'org-b');
  const viewerA = bearer('viewer', 'org-a');

  const http = () => request(app.getHttpServer());
  const eventCount = async (): Promise<number> => Number((await db.query('SELECT count(*) FROM procurement.events')).rows[0].count);
  const post = (path: string, token: string, body: object) => http().post(path).set('Authorization', token).send(body);

  beforeAll(async () => {
    database = await createTestDatabase('procurement_e2e');
    ({ app } = await startTestApp(ProcurementServiceModule.forRoot, { DATABASE_URL: database.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'] }));
    db = new Client({ connectionString: database.url });
    await db.connect();

    await post('/organisations', admin, { organisationId: 'org-a', name: 'A Compute', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN' }).expect(201);
    await post('/organisations', admin, { organisationId: 'org-b', name: 'B Cloud', headquartersCountry: 'SG', ultimateParentHeadquartersCountry: 'SG' }).expect(201);
    await post('/data-centers', operatorA, { dataCenterId: 'dc-a1', name: 'Gansu 1', ownerOrganisationId: 'org-a', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' }).expect(201);
    await post('/data-centers', operatorB, { dataCenterId: 'dc-b1', name: 'Jurong', ownerOrganisationId: 'org-b', country: 'SG', region: 'Jurong', occurredAt: '2025-01-10' }).expect(201);
    await post('/purchase-orders', operatorA, {
      purchaseOrderId: 'po-1',
      buyerOrganisationId: 'org-a',
      dataCenterId: 'dc-a1',
      supplier: 'Nvidia',
      lines: [{ modelId: 'nvidia-h20', quantity: 512 }],
      occurredAt: '2025-02-01',
    }).expect(201);
    await post('/data-centers/dc-a1/deliveries', operatorA, {
      deliveryId: 'del-1',
      modelId: 'nvidia-h20',
      quantity: 500,
      purchaseOrderId: 'po-1',
      shippedFromCountry: 'US',
      occurredAt: '2025-03-01',
    }).expect(201);
    await post('/data-centers/dc-a1/installations', operatorA, { modelId: 'nvidia-h20', quantity: 100, occurredAt: '2025-03-02' }).expect(201);
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database?.drop();
  });

  it('answers a write with the stream, its new version, the event ids and a position token', async () => {
    const res = await post('/data-centers/dc-a1/installations', operatorA, { modelId: 'nvidia-h20', quantity: 10, occurredAt: '2025-03-03' }).expect(201);
    expect(res.body).toMatchObject({ streamId: 'chip-stock-dc-a1.nvidia-h20', version: 3 });
    expect(res.body.eventIds).toHaveLength(1);
    // The ledger's position after the write (ADR 0019): this store's head, and none in the contexts this database has no store of.
    const stored = await db.query('SELECT type, occurred_at, actor, global_position FROM procurement.events WHERE event_id = $1', [res.body.eventIds[0]]);
    expect(res.body.position).toMatch(new RegExp(`^p:${stored.rows[0].global_position}\\.r:0\\.a:0~[A-Za-z0-9_-]{22}$`));
    expect(stored.rows[0]).toMatchObject({ type: 'ChipsInstalled', actor: { id: 'operator@org-a', organisation: 'org-a', role: 'operator' } });
    expect(new Date(stored.rows[0].occurred_at).toISOString()).toBe('2025-03-03T00:00:00.000Z');
  });

  describe('refuses bad input with a problem+json naming the field, and writes nothing', () => {
    const cases: { name: string; token: () => string; path: string; body: object; status: number; code: string; field?: string }[] = [
      { name: 'a missing field', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { quantity: 5 }, status: 400, code: 'REQUEST.INVALID', field: 'modelId' },
      { name: 'a wrong type', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 'ten' }, status: 400, code: 'REQUEST.INVALID', field: 'quantity' },
      { name: 'a negative quantity', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: -5 }, status: 400, code: 'REQUEST.INVALID', field: 'quantity' },
      { name: 'a fractional quantity', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1.5 }, status: 400, code: 'REQUEST.INVALID', field: 'quantity' },
      { name: 'an unknown field', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1, colour: 'green' }, status: 400, code: 'REQUEST.INVALID', field: 'colour' },
      {
        name: 'an unknown chip model',
        token: () => operatorA,
        path: '/data-centers/dc-a1/deliveries',
        body: { deliveryId: 'del-x', modelId: 'acme-9000', quantity: 1, purchaseOrderId: 'po-1', shippedFromCountry: 'US' },
        status: 422,
        code: 'CHIP_MODEL.UNKNOWN',
        field: 'modelId',
      },
      { name: 'an unknown data center', token: () => operatorA, path: '/data-centers/dc-nowhere/installations', body: { modelId: 'nvidia-h20', quantity: 1 }, status: 404, code: 'DATA_CENTER.NOT_FOUND', field: 'dataCenterId' },
      { name: 'a removal beyond what is installed', token: () => operatorA, path: '/data-centers/dc-a1/removals', body: { modelId: 'nvidia-h20', quantity: 1000, reason: 'failed' }, status: 409, code: 'STOCK.INSUFFICIENT_INSTALLED', field: 'quantity' },
      {
        name: 'a delivery beyond what was ordered',
        token: () => operatorA,
        path: '/data-centers/dc-a1/deliveries',
        body: { deliveryId: 'del-2', modelId: 'nvidia-h20', quantity: 13, purchaseOrderId: 'po-1', shippedFromCountry: 'US' },
        status: 409,
        code: 'STOCK.DELIVERY_EXCEEDS_ORDER',
        field: 'quantity',
      },
      {
        name: 'a date before the data center was registered',
        token: () => operatorA,
        path: '/data-centers/dc-a1/installations',
        body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2024-12-31' },
        status: 422,
        code: 'DATA_CENTER.FACT_BEFORE_REGISTRATION',
        field: 'occurredAt',
      },
      { name: "another organisation's data center", token: () => operatorB, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1 }, status: 404, code: 'DATA_CENTER.NOT_FOUND', field: 'dataCenterId' },
      { name: 'no token', token: () => '', path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1 }, status: 401, code: 'AUTH.UNAUTHENTICATED', field: 'Authorization' },
      { name: 'a wrong role', token: () => viewerA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1 }, status: 403, code: 'AUTH.ROLE_NOT_ALLOWED', field: 'Authorization' },
      { name: 'a fact dated in the future', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2999-01-01' }, status: 422, code: 'OCCURRED_AT.IN_FUTURE', field: 'occurredAt' },
      {
        name: 'text with U+0000 (PostgreSQL cannot store it)',
        token: () => operatorA,
        path: '/data-centers',
        body: { dataCenterId: 'dc-a9', name: 'Gansu\u00009', ownerOrganisationId: 'org-a', country: 'CN', region: 'Gansu' },
        status: 400,
        code: 'REQUEST.INVALID',
        field: 'name',
      },
      {
        name: 'text with an unpaired surrogate, deep in the body',
        token: () => operatorA,
        path: '/purchase-orders',
        body: { purchaseOrderId: 'po-9', buyerOrganisationId: 'org-a', dataCenterId: 'dc-a1', supplier: 'Nvidia \ud800', lines: [{ modelId: 'nvidia-h20', quantity: 1 }] },
        status: 400,
        code: 'REQUEST.INVALID',
        field: 'supplier',
      },
      { name: 'a path id with U+0000', token: () => operatorA, path: '/data-centers/dc-a1%00/installations', body: { modelId: 'nvidia-h20', quantity: 1 }, status: 400, code: 'REQUEST.INVALID', field: 'dataCenterId' },
    ];

    it.each(cases)('$name → $status $code', async ({ token, path, body, status, code, field }) => {
      const before = await eventCount();
      const req = http().post(path).send(body);
      const tokenValue = token();
      if (tokenValue) req.set('Authorization', tokenValue);
      const res = await req;
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code, type: expect.stringContaining('https://'), title: expect.any(String), detail: expect.any(String) });
      if (field) expect(res.body.field).toBe(field);
      expect(await eventCount()).toBe(before);
    });

    it('malformed JSON → 400 REQUEST.MALFORMED_JSON', async () => {
      const res = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('Content-Type', 'application/json').send('{"modelId": ');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('REQUEST.MALFORMED_JSON');
    });
  });

  describe('optimistic concurrency', () => {
    it('of two appends at the same expected version, one is recorded (201) and the other refused (409) with the current version', async () => {
      const head = await post('/data-centers/dc-a1/installations', operatorA, { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2025-03-04' }).expect(201);
      const version = head.body.version as number;
      const attempt = () =>
        http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('If-Match', String(version)).send({ modelId: 'nvidia-h20', quantity: 1, occurredAt: '2025-03-05' });
      const results = await Promise.all([attempt(), attempt()]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const refused = results.find((r) => r.status === 409)!;
      expect(refused.body).toMatchObject({ code: 'STREAM.WRONG_EXPECTED_VERSION', streamId: 'chip-stock-dc-a1.nvidia-h20', currentVersion: version + 1 });
      const stored = await db.query(`SELECT count(*) FROM procurement.events WHERE stream_id = 'chip-stock-dc-a1.nvidia-h20' AND version = $1`, [version + 1]);
      expect(Number(stored.rows[0].count)).toBe(1);
    });

    it('a stale If-Match is a 409 before anything is decided', async () => {
      const res = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('If-Match', '1').send({ modelId: 'nvidia-h20', quantity: 1 });
      expect(res.status).toBe(409);
      expect(res.body.expectedVersion).toBe(1);
    });
  });

  describe('idempotency', () => {
    const body = { modelId: 'nvidia-h20', quantity: 2, occurredAt: '2025-03-06' };

    it('a retry with the same key and body returns the first response and records nothing', async () => {
      const first = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('Idempotency-Key', 'install-42').send(body).expect(201);
      const before = await eventCount();
      const retry = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('Idempotency-Key', 'install-42').send(body).expect(201);
      expect(retry.body).toEqual(first.body);
      expect(await eventCount()).toBe(before);
    });

    it('the same key with another body is a 422 and records nothing', async () => {
      const before = await eventCount();
      const res = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('Idempotency-Key', 'install-42').send({ ...body, quantity: 3 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED', field: 'Idempotency-Key' });
      expect(await eventCount()).toBe(before);
    });

    it('concurrent requests with one key record the command once', async () => {
      const before = await eventCount();
      const send = () => http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('Idempotency-Key', 'install-race').send({ ...body, quantity: 1 });
      const results = await Promise.all([send(), send(), send()]);
      expect(results.every((r) => r.status === 201)).toBe(true);
      expect(new Set(results.map((r) => r.body.eventIds[0])).size).toBe(1);
      expect(await eventCount()).toBe(before + 1);
    });
  });

  it('a transfer writes both stock streams atomically', async () => {
    await post('/data-centers', operatorA, { dataCenterId: 'dc-a2', name: 'Hangzhou', ownerOrganisationId: 'org-a', country: 'CN', region: 'Hangzhou', occurredAt: '2025-01-10' }).expect(201);
    const res = await post('/transfers', operatorA, { transferId: 'tr-1', modelId: 'nvidia-h20', quantity: 50, fromDataCenterId: 'dc-a1', toDataCenterId: 'dc-a2', occurredAt: '2025-04-01' }).expect(201);
    expect(res.body.streams.map((s: { streamId: string }) => s.streamId).sort()).toEqual(['chip-stock-dc-a1.nvidia-h20', 'chip-stock-dc-a2.nvidia-h20']);
  });

  it('serves its OpenAPI description and health', async () => {
    const spec = await http().get('/openapi.json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/data-centers/{dataCenterId}/installations', '/transfers', '/export-licences']));
    const health = await http().get('/health');
    expect(health.body).toMatchObject({ service: 'procurement-service', details: { database: { status: 'up' } } });
    expect(health.headers['x-powered-by']).toBeUndefined();
  });
});
