import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, WrittenPositions, type TestDatabase } from '@chip-ledger/testing';
import { Pool } from 'pg';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';
import { NOT_SENT_AS_OWN, REFERENCE_POLICY, type OwnIds } from './testing/reference-policy';

/*
 * Every reference a command makes to another organisation's aggregate is either refused (a use of its resource) or
 * recorded and flagged (a fact the ledger must keep), never silently used: each POST operation of the OpenAPI
 * description is tried, for each id it names, with the other organisation's, and must do what ADR 0018 promises
 * (`testing/reference-policy.ts`).
 */
describe('references across organisations', () => {
  let database: TestDatabase;
  let pool: Pool;
  let app: INestApplication;
  let operations: string[] = [];
  const admin = bearer('admin', 'chip-ledger');
  const operatorA = bearer('operator', 'org-a');
  const operatorB = bearer('operator', 'org-b');
  const written = new WrittenPositions();
  const A: OwnIds = { organisationId: 'org-a', dataCenterId: 'dc-a', otherDataCenterId: 'dc-a2', purchaseOrderId: 'po-a', licenceId: 'lic-a', rentalId: 'ren-a' };
  const B: OwnIds = { organisationId: 'org-b', dataCenterId: 'dc-b', otherDataCenterId: 'dc-b2', purchaseOrderId: 'po-b', licenceId: 'lic-b', rentalId: 'ren-b' };
  let calls = 0;

  const http = () => request(app.getHttpServer());
  const post = async (path: string, token: string, body: object) => {
    const res = await http().post(path).set('Authorization', token).send(body);
    if (res.status === 201) written.record(res.body.position as string);
    return res;
  };
  const record = async (path: string, token: string, body: object) => {
    const res = await post(path, token, body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  const eventCount = async (): Promise<number> => {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT ((SELECT count(*) FROM procurement.events) + (SELECT count(*) FROM rental.events) + (SELECT count(*) FROM audit.events))::int AS n',
    );
    return rows[0].n;
  };
  const get = async (path: string, token: string) => {
    const res = await http().get(path).set('Authorization', token).set('X-Ledger-Position', written.token());
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    database = await createTestDatabase('cross_organisation');
    pool = new Pool({ connectionString: database.url, max: 2 });
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    const document = (await http().get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(document.paths).flatMap(([path, methods]) => (methods['post'] ? [`POST ${path}`] : []));

    // Two organisations, each with two data centers, an order, a licence, chips delivered and installed, a rental.
    for (const [ids, operator] of [[A, operatorA], [B, operatorB]] as const) {
      await record('/organisations', admin, { organisationId: ids.organisationId, name: ids.organisationId, headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2024-01-01' });
      for (const dc of [ids.dataCenterId, ids.otherDataCenterId]) {
        await record('/data-centers', operator, { dataCenterId: dc, name: dc, ownerOrganisationId: ids.organisationId, country: 'CN', region: 'Gansu', occurredAt: '2025-01-01' });
      }
      await record('/export-licences', admin, {
        licenceId: ids.licenceId,
        licenceNumber: `D-${ids.licenceId}`,
        exporter: 'Nvidia',
        consigneeOrganisationId: ids.organisationId,
        destinationCountry: 'CN',
        modelIds: ['nvidia-h20'],
        authorisedQuantity: 10_000,
        validFrom: '2025-01-01',
        validTo: '2027-01-01',
        conditions: { revenueSharePercent: null },
        occurredAt: '2025-01-01',
      });
      await record('/purchase-orders', operator, { purchaseOrderId: ids.purchaseOrderId, buyerOrganisationId: ids.organisationId, dataCenterId: ids.dataCenterId, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 1_000 }], occurredAt: '2025-02-01' });
      await record(`/data-centers/${ids.dataCenterId}/deliveries`, operator, { deliveryId: `first-${ids.dataCenterId}`, modelId: 'nvidia-h20', quantity: 200, purchaseOrderId: ids.purchaseOrderId, licenceId: ids.licenceId, shippedFromCountry: 'US', occurredAt: '2025-03-01' });
      await record(`/data-centers/${ids.dataCenterId}/installations`, operator, { modelId: 'nvidia-h20', quantity: 50, occurredAt: '2025-03-02' });
      await record('/rentals', operator, { rentalId: ids.rentalId, providerDataCenterId: ids.dataCenterId, tenantOrganisationId: ids.organisationId, modelId: 'nvidia-h20', chipCount: 1, purpose: 'inference', periodStart: '2025-04-01', periodEnd: '2025-12-31', occurredAt: '2025-03-03' });
    }
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await database?.drop();
  });

  it('decides every POST operation the API describes, and only those', () => {
    expect([...operations].sort()).toEqual(Object.keys(REFERENCE_POLICY).sort());
  });

  for (const [operation, policy] of Object.entries(REFERENCE_POLICY)) {
    const path = operation.slice('POST '.length);
    describe(operation, () => {
      if (policy.recordsNothing && policy.request) {
        const build = policy.request;
        it("records nothing, whichever organisation it names", async () => {
          const before = await eventCount();
          const { path: target, body } = build(B, `nothing-${++calls}`, calls);
          expect((await post(target, operatorA, body)).status).toBeLessThan(500);
          expect(await eventCount()).toBe(before);
        });
        return;
      }
      if (!policy.roles.includes('operator') || !policy.request || !policy.references) {
        it(`is for ${policy.roles.join(' and ')} only: an operator's call is a 403 and records nothing`, async () => {
          const before = await eventCount();
          const res = await post(path.replace(/\{[^}]+\}/g, (name) => (name === '{dataCenterId}' ? B.dataCenterId : 'x')), operatorA, {});
          expect(res.status).toBe(403);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await eventCount()).toBe(before);
        });
        return;
      }
      const build = policy.request;
      if (!NOT_SENT_AS_OWN.has(operation)) {
        it('with its own organisation’s ids: recorded', async () => {
          const { path: own, body } = build(A, `own-${++calls}`, calls);
          const res = await post(own, operatorA, body);
          expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
        });
      }
      for (const [field, { id, outcome }] of Object.entries(policy.references)) {
        const expectation = outcome.kind === 'refused' ? `refused (404 ${outcome.code}), nothing written` : 'recorded';
        it(`${field} naming another organisation’s: ${expectation}`, async () => {
          const { path: target, body } = build({ ...A, [id]: B[id] }, `swap-${++calls}`, calls);
          const before = await eventCount();
          const res = await post(target, operatorA, body);
          if (outcome.kind === 'refused') {
            expect(res.status).toBe(404);
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(res.body).toMatchObject({ code: outcome.code, field });
            expect(await eventCount()).toBe(before);
            // and it is the answer an id that exists nowhere gets: it tells nothing of the other organisation's aggregate
            const missing = `missing-${calls}`;
            const { path: nowhere, body: nothing } = build({ ...A, [id]: missing }, `swap-${++calls}`, calls);
            const unknown = await post(nowhere, operatorA, nothing);
            const shape = (answer: object, given: string) => JSON.stringify(answer).replaceAll(given, '<id>').replace(/swap-\d+/g, '<new>');
            expect(shape(res.body, B[id])).toBe(shape(unknown.body, missing));
          } else {
            expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
          }
        });
      }
    });
  }

  describe('a delivery citing another organisation’s licence', () => {
    it('is recorded and flagged on the citing data center, and draws nothing from that licence, whose history does not show it', async () => {
      await record(`/data-centers/${A.dataCenterId}/deliveries`, operatorA, {
        deliveryId: 'cites-lic-b',
        modelId: 'nvidia-h20',
        quantity: 40,
        purchaseOrderId: A.purchaseOrderId,
        licenceId: B.licenceId,
        shippedFromCountry: 'US',
        occurredAt: '2025-06-15',
      });
      const balance = await get(`/export-licences/${B.licenceId}/balance`, operatorB);
      // B's own 200, nothing of A's 40 (nor of the delivery and transfer the generated cases recorded under lic-b)
      expect(balance).toMatchObject({ authorised: 10_000, used: 200, remaining: 9_800 });
      expect(balance.usages.map((u: { dataCenterId: string }) => u.dataCenterId)).toEqual([B.dataCenterId]);
      expect(JSON.stringify(balance)).not.toContain('dc-a');
      // A cannot read B's licence; B cannot read A's findings
      expect((await http().get(`/export-licences/${B.licenceId}/balance`).set('Authorization', operatorA)).status).toBe(404);
      const findings = await get(`/findings?dataCenterId=${A.dataCenterId}&ruleId=US-LICENCE-BALANCE&status=open`, operatorA);
      const mismatch = (findings.items as { message: string; count: number }[]).find((f) => f.message.includes('cites-lic-b'));
      expect(mismatch).toMatchObject({ count: 40 });
      expect(mismatch?.message).toContain('the consignee is org-b, not org-a');
      expect((await get(`/findings?dataCenterId=${A.dataCenterId}`, operatorB)).items).toEqual([]);
    });
  });
});
