import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startServiceProcess, startTestApp, uniqueTopicName, WrittenPositions, type ServiceProcess, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { ProjectionServiceAppModule } from './projection-service-app.module';

/*
 * Issue 16's two scenarios, as an outside tester ran them (distributed form: the procurement service in its own
 * process relaying to Kafka, six partitions per topic, the projection service consuming): twenty times each, the
 * findings history (every row, open or closed) must hold no phantom, whichever partition the consumer read first.
 * - a licence for 16 H200 issued, then a delivery of 16 H200 under it: no US-H200-CASE-BY-CASE "with no licence";
 * - a delivery under a 15 % revenue-share licence, then a remittance within the window: no licence-condition breach.
 */
const ROUNDS = 20;

describe('findings over Kafka hold no phantom, whatever partition is read first', () => {
  let database: TestDatabase;
  let commands: ServiceProcess;
  let projections: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'cn-cloud');

  const post = async (written: WrittenPositions, path: string, token: string, body: object): Promise<void> => {
    const res = await request(commands.baseUrl).post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    written.record(res.body.position as string);
  };
  /** Every row of the data center's findings history, once the projection has what was written. */
  const history = async (dataCenterId: string, written: WrittenPositions): Promise<{ ruleId: string; certainty: string; severity: string; openedAt: string; closedAt: string | null }[]> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(projections.getHttpServer()).get(`/findings?dataCenterId=${dataCenterId}&limit=200`).set('Authorization', admin).query({ after: written.token() });
      if (res.status === 200) return res.body.items;
      if (res.status !== 503 || Date.now() > deadline) throw new Error(`/findings answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('findings_phantoms');
    const env = { DATABASE_URL: database.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'], KAFKA_TOPIC_PREFIX: uniqueTopicName('phantoms') };
    commands = await startServiceProcess('apps/procurement-service/src/main.ts', env);
    ({ app: projections } = await startTestApp(ProjectionServiceAppModule.forRoot, env));
    const setup = new WrittenPositions();
    await post(setup, '/organisations', admin, { organisationId: 'cn-cloud', name: 'CN Cloud', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2024-01-01' });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([projections?.close(), commands?.stop()]);
    await database?.drop();
  });

  it(`a licensed H200 delivery never shows a "no licence" breach (${ROUNDS} rounds)`, async () => {
    const phantoms: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const written = new WrittenPositions();
      const dc = `dc-h200-${round}`;
      await post(written, '/data-centers', operator, { dataCenterId: dc, name: dc, ownerOrganisationId: 'cn-cloud', country: 'CN', region: 'Shanghai', occurredAt: '2025-12-01' });
      await post(written, '/export-licences', admin, {
        licenceId: `lic-h200-${round}`,
        licenceNumber: `H200-${round}`,
        exporter: 'Nvidia',
        consigneeOrganisationId: 'cn-cloud',
        destinationCountry: 'CN',
        modelIds: ['nvidia-h200'],
        authorisedQuantity: 16,
        validFrom: '2026-01-20',
        validTo: '2027-01-20',
        conditions: { revenueSharePercent: null },
        occurredAt: '2026-01-20',
      });
      await post(written, '/purchase-orders', operator, { purchaseOrderId: `po-h200-${round}`, buyerOrganisationId: 'cn-cloud', dataCenterId: dc, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h200', quantity: 16 }], occurredAt: '2026-01-21' });
      await post(written, `/data-centers/${dc}/deliveries`, operator, { deliveryId: `d-h200-${round}`, modelId: 'nvidia-h200', quantity: 16, purchaseOrderId: `po-h200-${round}`, licenceId: `lic-h200-${round}`, shippedFromCountry: 'US', occurredAt: '2026-02-01' });
      for (const row of await history(dc, written)) if (row.ruleId === 'US-H200-CASE-BY-CASE') phantoms.push(`${dc}: ${JSON.stringify(row)}`);
    }
    expect(phantoms).toEqual([]);
  }, 300_000);

  it(`a delivery whose revenue share was remitted within 90 days never shows a licence-condition breach (${ROUNDS} rounds)`, async () => {
    const phantoms: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const written = new WrittenPositions();
      const dc = `dc-h20-${round}`;
      await post(written, '/data-centers', operator, { dataCenterId: dc, name: dc, ownerOrganisationId: 'cn-cloud', country: 'CN', region: 'Shanghai', occurredAt: '2025-01-10' });
      await post(written, '/export-licences', admin, {
        licenceId: `lic-h20-${round}`,
        licenceNumber: `H20-${round}`,
        exporter: 'Nvidia',
        consigneeOrganisationId: 'cn-cloud',
        destinationCountry: 'CN',
        modelIds: ['nvidia-h20'],
        authorisedQuantity: 2000,
        validFrom: '2025-08-20',
        validTo: '2027-08-20',
        conditions: { revenueSharePercent: 15 },
        occurredAt: '2025-08-20',
      });
      await post(written, '/purchase-orders', operator, { purchaseOrderId: `po-h20-${round}`, buyerOrganisationId: 'cn-cloud', dataCenterId: dc, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 100 }], occurredAt: '2025-08-21' });
      await post(written, `/data-centers/${dc}/deliveries`, operator, { deliveryId: `d-h20-${round}`, modelId: 'nvidia-h20', quantity: 100, purchaseOrderId: `po-h20-${round}`, licenceId: `lic-h20-${round}`, shippedFromCountry: 'US', occurredAt: '2025-09-01' });
      await post(written, `/export-licences/lic-h20-${round}/remittances`, admin, { deliveryIds: [`d-h20-${round}`], amountUsd: '15000.00', reference: `wire-${round}`, occurredAt: '2025-10-31' });
      for (const row of await history(dc, written)) if (row.certainty === 'licence-condition') phantoms.push(`${dc}: ${JSON.stringify(row)}`);
    }
    expect(phantoms).toEqual([]);
  }, 300_000);
});
