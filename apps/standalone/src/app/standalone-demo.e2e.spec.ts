import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { DEMO_DATA_CENTERS as DC, loadDemoData, type DemoDataResult } from '@chip-ledger/demo-data';
import { DEVELOPMENT_JWT_SECRET } from '@chip-ledger/http';
import { bearer, createTestDatabase, startTestApp, WrittenPositions, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/*
 * `npm start -- --demo`: the demo is recorded through the HTTP command API with tokens, as operators would, and
 * recording it again adds nothing.
 */
describe('standalone: the demo data', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let pool: Pool;
  let baseUrl: string;
  let first: DemoDataResult;
  const auditor = bearer('auditor', 'ledger-audit');

  const eventCount = async (): Promise<number> => {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM procurement.events) + (SELECT count(*) FROM rental.events) + (SELECT count(*) FROM audit.events) AS n`,
    );
    return Number(rows[0].n);
  };
  const openFindings = async (result: DemoDataResult) => {
    const written = new WrittenPositions();
    for (const position of result.positions) written.record(position);
    const res = await request(app.getHttpServer()).get('/findings?status=open&limit=200').set('Authorization', auditor).set('X-Ledger-Position', written.token()).expect(200);
    return res.body.items as { dataCenterId: string; ruleId: string; severity: string; certainty: string; acknowledged: boolean }[];
  };

  beforeAll(async () => {
    database = await createTestDatabase('standalone_demo');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    pool = new Pool({ connectionString: database.url, max: 1 });
    first = await loadDemoData({ baseUrl, jwtSecret: DEVELOPMENT_JWT_SECRET });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await app?.close();
    await database?.drop();
  });

  it('yields findings of every severity, as the seed article and DOMAIN.md tell the story', async () => {
    const findings = await openFindings(first);
    expect(findings.map((f) => `${f.dataCenterId} ${f.ruleId} ${f.severity} ${f.certainty}`).sort()).toEqual([
      `${DC.gansuAdvanced} CN-STATE-FUNDED-DOMESTIC review reported-guidance`,
      `${DC.gansuEarly} CN-STATE-FUNDED-DOMESTIC breach reported-guidance`,
      `${DC.gansuEarly} US-H20-IS-INFORMED breach licence-condition`,
      `${DC.hangzhou} US-PRC-3A090-USE risk guidance`,
      `${DC.johor} MY-STRATEGIC-TRADE-PERMIT breach regulation`,
      `${DC.johor} US-IAAS-TRAINING risk guidance`,
      `${DC.shenzhen} US-H200-CASE-BY-CASE breach regulation`,
      `${DC.singapore} US-IAAS-TRAINING risk guidance`,
    ]);
    expect(findings.find((f) => f.ruleId === 'US-PRC-3A090-USE')?.acknowledged).toBe(true);
    expect(findings.filter((f) => f.acknowledged)).toHaveLength(1);
  });

  it('fills the fleet: state funding, completion, installed and rented chips, and a licence drawn down', async () => {
    const fleet = await request(app.getHttpServer()).get('/data-centers?limit=200').set('Authorization', auditor).expect(200);
    const byId = Object.fromEntries(fleet.body.items.map((d: { dataCenterId: string }) => [d.dataCenterId, d]));
    expect(Object.keys(byId).sort()).toEqual(Object.values(DC).sort());
    expect(byId[DC.gansuEarly]).toMatchObject({ stateFunded: true, completionPercent: 20, totals: { installed: 512, foreignInstalled: 512 } });
    expect(byId[DC.gansuAdvanced]).toMatchObject({ stateFunded: true, completionPercent: 45 });
    expect(byId[DC.singapore]).toMatchObject({ stateFunded: false, totals: { installed: 2048, rentedOut: 1536 } });
    expect(byId[DC.hangzhou]).toMatchObject({ totals: { installed: 1792, domesticInstalled: 1024, foreignInstalled: 768 } });
    const licences = await request(app.getHttpServer()).get(`/export-licences?dataCenterId=${DC.gansuEarly}`).set('Authorization', auditor).expect(200);
    expect(licences.body.items).toMatchObject([{ licenceId: 'lic-h20-gansu', authorised: 2000, used: 1536, remaining: 464, revenueSharePercent: 15 }]);
  });

  it('adds nothing when loaded again: every step answers with its first result', async () => {
    const before = await eventCount();
    expect(before).toBeGreaterThanOrEqual(first.eventIds.length);
    const again = await loadDemoData({ baseUrl, jwtSecret: DEVELOPMENT_JWT_SECRET });
    expect(again.eventIds).toEqual(first.eventIds);
    expect(await eventCount()).toBe(before);
    expect(await openFindings(again)).toHaveLength(8);
  });
});
