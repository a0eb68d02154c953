import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, samplesOf, startTestApp, type TestDatabase } from '@chip-ledger/testing';
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
      {
        name: 'a fact dated in the future',
        token: () => operatorA,
        path: '/data-centers/dc-a1/installations',
        body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
        status: 422,
        code: 'OCCURRED_AT.IN_FUTURE',
        field: 'occurredAt',
      },
      { name: 'an instant past 2100', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2999-01-01' }, status: 400, code: 'REQUEST.INVALID', field: 'occurredAt' },
      { name: 'an instant before 1990', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: '1989-12-31T23:59:59Z' }, status: 400, code: 'REQUEST.INVALID', field: 'occurredAt' },
      { name: 'a local time without a zone', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2025-03-03T10:00:00' }, status: 400, code: 'REQUEST.INVALID', field: 'occurredAt' },
      { name: 'an ISO week date JavaScript cannot read', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 1, occurredAt: '2025-W10-1' }, status: 400, code: 'REQUEST.INVALID', field: 'occurredAt' },
      { name: 'a quantity above ten million', token: () => operatorA, path: '/data-centers/dc-a1/installations', body: { modelId: 'nvidia-h20', quantity: 10_000_001 }, status: 400, code: 'REQUEST.INVALID', field: 'quantity' },
      {
        name: 'a licence valid to 9999-12-31',
        token: () => admin,
        path: '/export-licences',
        body: { licenceId: 'lic-x', licenceNumber: 'D1', exporter: 'Nvidia', consigneeOrganisationId: 'org-a', destinationCountry: 'CN', modelIds: ['nvidia-h20'], authorisedQuantity: 10, validFrom: '2025-01-01', validTo: '9999-12-31', conditions: { revenueSharePercent: null } },
        status: 400,
        code: 'REQUEST.INVALID',
        field: 'validTo',
      },
      {
        name: 'a revenue share with three decimals',
        token: () => admin,
        path: '/export-licences',
        body: { licenceId: 'lic-x', licenceNumber: 'D1', exporter: 'Nvidia', consigneeOrganisationId: 'org-a', destinationCountry: 'CN', modelIds: ['nvidia-h20'], authorisedQuantity: 10, validFrom: '2025-01-01', validTo: '2026-01-01', conditions: { revenueSharePercent: 15.125 } },
        status: 400,
        code: 'REQUEST.INVALID',
        field: 'conditions.revenueSharePercent',
      },
      { name: 'a datasheet figure of 1e308', token: () => admin, path: '/chip-models/nvidia-h20/corrections', body: { changes: { dramBandwidthGBs: { value: 1e308 } }, reason: 'typo' }, status: 400, code: 'REQUEST.INVALID', field: 'changes.dramBandwidthGBs.value' },
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

    const raw: { name: string; contentType?: string; encoding?: string; body: string | Buffer; status: number; code: string; field: string }[] = [
      { name: 'malformed JSON', contentType: 'application/json', body: '{"modelId": ', status: 400, code: 'REQUEST.MALFORMED_JSON', field: 'body' },
      { name: 'a JSON string, not an object', contentType: 'application/json', body: '"nvidia-h20"', status: 400, code: 'REQUEST.MALFORMED_JSON', field: 'body' },
      { name: 'a JSON array, not an object', contentType: 'application/json', body: '[{"modelId":"nvidia-h20","quantity":1}]', status: 400, code: 'REQUEST.INVALID', field: 'body' },
      { name: 'a body of 2 MB', contentType: 'application/json', body: JSON.stringify({ modelId: 'x'.repeat(2_000_000), quantity: 1 }), status: 413, code: 'REQUEST.TOO_LARGE', field: 'body' },
      { name: 'a body of 110 KB (parsed, then refused by the field rules)', contentType: 'application/json', body: JSON.stringify({ modelId: 'x'.repeat(110_000), quantity: 1 }), status: 400, code: 'REQUEST.INVALID', field: 'modelId' },
      { name: 'a form-urlencoded body', contentType: 'application/x-www-form-urlencoded', body: 'modelId=nvidia-h20&quantity=1', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' },
      { name: 'a text/plain body', contentType: 'text/plain', body: '{"modelId":"nvidia-h20","quantity":1}', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' },
      { name: 'a body without Content-Type', body: Buffer.from('{"modelId":"nvidia-h20","quantity":1}'), status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' },
      { name: 'a JSON body in Latin-1', contentType: 'application/json; charset=latin1', body: '{"modelId":"nvidia-h20","quantity":1}', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' },
      { name: 'an unknown Content-Encoding', contentType: 'application/json', encoding: 'zstd-nope', body: '{"modelId":"nvidia-h20","quantity":1}', status: 415, code: 'REQUEST.UNSUPPORTED_ENCODING', field: 'Content-Encoding' },
      { name: 'a gzip body that is not gzip', contentType: 'application/json', encoding: 'gzip', body: '{"modelId":"nvidia-h20","quantity":1}', status: 400, code: 'REQUEST.UNREADABLE_BODY', field: 'body' },
      { name: 'a __proto__ key', contentType: 'application/json', body: '{"modelId":"nvidia-h20","quantity":1,"__proto__":{"role":"admin"}}', status: 400, code: 'REQUEST.INVALID', field: '__proto__' },
      { name: 'a constructor key, nested', contentType: 'application/json', body: '{"purchaseOrderId":"po-c","buyerOrganisationId":"org-a","dataCenterId":"dc-a1","supplier":"Nvidia","lines":[{"modelId":"nvidia-h20","quantity":1,"constructor":{"prototype":{}}}]}', status: 400, code: 'REQUEST.INVALID', field: 'lines[0].constructor' },
    ];

    it('a quantity past 2^53 (9007199254740993, which JSON.parse reads as ...992) is refused, not rounded', async () => {
      const before = await eventCount();
      const res = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA).set('Content-Type', 'application/json').send('{"modelId":"nvidia-h20","quantity":9007199254740993}');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'REQUEST.INVALID', field: 'quantity' });
      expect(await eventCount()).toBe(before);
    });

    it.each(raw)('$name → $status $code naming $field', async ({ contentType, encoding, body, status, code, field }) => {
      const before = await eventCount();
      const path = field === 'lines[0].constructor' ? '/purchase-orders' : '/data-centers/dc-a1/installations';
      const req = http().post(path).set('Authorization', operatorA);
      if (contentType) req.set('Content-Type', contentType);
      if (encoding) req.set('Content-Encoding', encoding);
      const res = await req.send(body);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code, field });
      expect(res.body.detail).not.toContain('nvidia-h20');
      expect(await eventCount()).toBe(before);
    });

    it('a POST without a body is an empty one: each missing field is named', async () => {
      const res = await http().post('/data-centers/dc-a1/installations').set('Authorization', operatorA);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['modelId', 'quantity']));
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

  describe('money: a remittance amount is an exact decimal string', () => {
    beforeAll(async () => {
      await post('/export-licences', admin, {
        licenceId: 'lic-h20',
        licenceNumber: 'D1234567',
        exporter: 'Nvidia',
        consigneeOrganisationId: 'org-a',
        destinationCountry: 'CN',
        modelIds: ['nvidia-h20'],
        authorisedQuantity: 2000,
        validFrom: '2025-01-01',
        validTo: '2027-01-01',
        conditions: { revenueSharePercent: 15 },
        occurredAt: '2025-01-01',
      }).expect(201);
    });
    const remit = (amountUsd: unknown) => post('/export-licences/lic-h20/remittances', admin, { deliveryIds: ['del-1'], amountUsd, reference: 'TREAS-1', occurredAt: '2025-04-01' });

    it('is recorded in canonical form ("1250000.5" → "1250000.50", schema v2)', async () => {
      const res = await remit('1250000.5').expect(201);
      const stored = await db.query('SELECT schema_version, data FROM procurement.events WHERE event_id = $1', [res.body.eventIds[0]]);
      expect(stored.rows[0]).toMatchObject({ schema_version: 2, data: { amountUsd: '1250000.50' } });
    });

    it.each([1e308, 1250000, '1e308', '-1.00', '0.00', '12.345', '1000000000000.01'])('refuses %p with a 400 naming amountUsd, writing nothing', async (amountUsd) => {
      const before = await eventCount();
      const res = await remit(amountUsd);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'REQUEST.INVALID', field: 'amountUsd' });
      expect(await eventCount()).toBe(before);
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

  it("reports its Kafka relay in GET /metrics: what it published, and a backlog and lag of 0 once every event is out", async () => {
    const recorded = await eventCount();
    const deadline = Date.now() + 30_000;
    let text = '';
    const value = (name: string) => samplesOf(text, name, { context: 'procurement', service: 'procurement-service' })[0]?.value;
    for (;;) {
      text = (await http().get('/metrics').expect(200)).text;
      if (value('chipledger_relay_backlog_events') === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(value('chipledger_relay_backlog_events')).toBe(0);
    expect(value('chipledger_relay_lag_seconds')).toBe(0);
    expect(value('chipledger_relay_consecutive_failures')).toBe(0);
    // The catalog seed is in the store too, and relayed with the rest.
    expect(value('chipledger_relay_published_events_total')).toBe(recorded);
  });
});
