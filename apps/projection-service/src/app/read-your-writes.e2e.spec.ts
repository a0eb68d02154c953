import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startServiceProcess, startTestApp, uniqueTopicName, type ServiceProcess, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { ProjectionServiceAppModule } from './projection-service-app.module';

/*
 * Read-your-writes in the distributed form (issue 16, ADR 0019): procurement-service in its own process relays to
 * Kafka (6 partitions per topic), the projection service consumes and answers. Each try registers a data center and
 * places an order, then at once delivers H100s to it without a licence: the finding (US-3A090-LICENCE breach)
 * depends on facts of other streams, on other partitions (the data center's registration, its owner's parent
 * company's country). A read passing the delivery's position must show the finding, every time.
 *
 * Beside it, the same read with the deprecated per-stream token (the delivery's stream only) shows what that token
 * promised: it is counted, not asserted, since whether it misses depends on timing.
 *
 * READ_YOUR_WRITES_TRIES sets the number of tries (default 100).
 */
const TRIES = Number(process.env['READ_YOUR_WRITES_TRIES'] ?? 100);

describe('read-your-writes across partitions (distributed form)', () => {
  let database: TestDatabase;
  let commands: ServiceProcess;
  let projections: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const auditor = bearer('auditor', 'audit-firm');
  const operator = bearer('operator', 'ali-sg');

  const post = async (path: string, token: string, body: object): Promise<string> => {
    const res = await request(commands.baseUrl).post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.position as string;
  };
  const breaches = async (dataCenterId: string, token: string, after: string): Promise<{ status: number; found: boolean; ms: number }> => {
    const started = Date.now();
    const res = await request(projections.getHttpServer())
      .get(`/findings?dataCenterId=${dataCenterId}&status=open&ruleId=US-3A090-LICENCE`)
      .set('Authorization', token)
      .set('X-Ledger-Position', after);
    return { status: res.status, found: res.status === 200 && (res.body.items as { severity: string }[]).some((f) => f.severity === 'breach'), ms: Date.now() - started };
  };
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  beforeAll(async () => {
    database = await createTestDatabase('ryw_e2e');
    const env = { DATABASE_URL: database.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'], KAFKA_TOPIC_PREFIX: uniqueTopicName('ryw') };
    commands = await startServiceProcess('apps/procurement-service/src/main.ts', env);
    ({ app: projections } = await startTestApp(ProjectionServiceAppModule.forRoot, env));
    // A Singapore subsidiary of a Chinese parent: H100s delivered to its data center need a US licence.
    await post('/organisations', admin, { organisationId: 'ali-sg', name: 'Ali SG', headquartersCountry: 'SG', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2020-01-01' });
    // The consumers join their groups and catch up before the tries start (not part of what is measured).
    const warm = await post('/data-centers', operator, { dataCenterId: 'dc-warm', name: 'warm', ownerOrganisationId: 'ali-sg', country: 'SG', region: 'SG', occurredAt: '2024-01-01' });
    for (let deadline = Date.now() + 120_000; ; ) {
      const res = await request(projections.getHttpServer()).get('/findings').set('Authorization', operator).set('X-Ledger-Position', warm);
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the projections did not catch up: ${res.status}`);
    }
  }, 180_000);

  afterAll(async () => {
    await projections?.close();
    await commands?.stop();
    await database?.drop();
  });

  it(`a read passing a write's position sees the finding that write caused, though it depends on facts on other partitions: 0 misses in ${TRIES} tries`, async () => {
    let misses = 0;
    let notCaughtUp = 0;
    let legacyMisses = 0;
    const waits: number[] = [];
    const legacyWaits: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      const dataCenterId = `dc-ryw-${i}`;
      await post('/data-centers', operator, { dataCenterId, name: dataCenterId, ownerOrganisationId: 'ali-sg', country: 'SG', region: 'Singapore', occurredAt: '2024-01-01' });
      await post('/purchase-orders', operator, { purchaseOrderId: `po-ryw-${i}`, buyerOrganisationId: 'ali-sg', dataCenterId, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h100-sxm', quantity: 8 }], occurredAt: '2024-02-01' });
      const position = await post(`/data-centers/${dataCenterId}/deliveries`, operator, {
        deliveryId: `d-ryw-${i}`,
        modelId: 'nvidia-h100-sxm',
        quantity: 8,
        purchaseOrderId: `po-ryw-${i}`,
        shippedFromCountry: 'US',
        occurredAt: '2024-03-01',
      });
      expect(position).toMatch(/^p:\d+\.r:\d+\.a:\d+~[A-Za-z0-9_-]{22}$/);
      const [ledger, legacy] = await Promise.all([
        breaches(dataCenterId, operator, position),
        // The deprecated token: the delivery's stream at version 1 (an auditor may wait on a plain part).
        breaches(dataCenterId, auditor, `chip-stock-${dataCenterId}.nvidia-h100-sxm@1`),
      ]);
      waits.push(ledger.ms);
      legacyWaits.push(legacy.ms);
      if (ledger.status === 503) notCaughtUp++;
      else if (!ledger.found) misses++;
      if (legacy.status === 200 && !legacy.found) legacyMisses++;
    }
    console.log(
      `read-your-writes, distributed form: ${misses} of ${TRIES} reads missed the finding with the write's position (${notCaughtUp} answered 503), ` +
        `answer p50 ${median(waits)} ms, max ${Math.max(...waits)} ms; the deprecated per-stream token missed ${legacyMisses} of ${TRIES}, answer p50 ${median(legacyWaits)} ms`,
    );
    expect({ misses, notCaughtUp }).toEqual({ misses: 0, notCaughtUp: 0 });
  }, 600_000);

  it('the query string and the header take the same token, and refuse the same malformed one', async () => {
    const position = await post('/data-centers', operator, { dataCenterId: 'dc-ryw-forms', name: 'forms', ownerOrganisationId: 'ali-sg', country: 'SG', region: 'SG', occurredAt: '2024-01-01' });
    const server = projections.getHttpServer();
    await request(server).get('/data-centers/dc-ryw-forms').query({ after: position }).set('Authorization', operator).expect(200);
    await request(server).get('/data-centers/dc-ryw-forms').set('X-Ledger-Position', position).set('Authorization', operator).expect(200);
    // Tokens of many writes joined: as long a query string as a header.
    const joined = Array.from({ length: 40 }, () => position).join(',');
    expect(joined.length).toBeGreaterThan(500);
    await request(server).get('/data-centers/dc-ryw-forms').query({ after: joined }).set('Authorization', operator).expect(200);
    await request(server).get('/data-centers/dc-ryw-forms').set('X-Ledger-Position', joined).set('Authorization', operator).expect(200);
    const tooLong = `${joined},${'x'.repeat(4_000)}`;
    for (const bad of ['p:1.q:2', tooLong]) {
      const viaQuery = await request(server).get('/data-centers').query({ after: bad }).set('Authorization', operator);
      const viaHeader = await request(server).get('/data-centers').set('X-Ledger-Position', bad).set('Authorization', operator);
      expect([viaQuery.status, viaQuery.body.field, viaHeader.status, viaHeader.body.field]).toEqual([400, 'after', 400, 'after']);
    }
  });
});
