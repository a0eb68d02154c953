import type { INestApplication } from '@nestjs/common';
import { seedDataCenterWithChips } from '@chip-ledger/test-fixtures';
import { bearer, createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import { Client } from 'pg';
import request from 'supertest';
import { AuditServiceModule } from './audit-service.module';

/* Auditors' facts end to end on the real store; the audited data center is recorded in procurement's schema first. */
describe('audit-service command API', () => {
  let database: TestDatabase;
  let audit: INestApplication;
  let db: Client;
  const auditor = bearer('auditor', 'audit-firm');
  const post = (path: string, token: string, body: object) => request(audit.getHttpServer()).post(path).set('Authorization', token).send(body);
  const auditEvents = async () => Number((await db.query('SELECT count(*) FROM audit.events')).rows[0].count);

  beforeAll(async () => {
    database = await createTestDatabase('audit_e2e');
    ({ app: audit } = await startTestApp(AuditServiceModule.forRoot, { DATABASE_URL: database.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'] }));
    db = new Client({ connectionString: database.url });
    await db.connect();
    await seedDataCenterWithChips(database.url, { organisationId: 'gansu-cloud', headquarters: 'CN', dataCenterId: 'dc-gansu', country: 'CN', modelId: 'nvidia-h20', installed: 512 });
  });

  afterAll(async () => {
    await db?.end();
    await audit?.close();
    await database?.drop();
  });

  it('records an audit, a note, an acknowledgement and a case-by-case decision, each with the auditor as actor', async () => {
    await post('/data-centers/dc-gansu/audits', auditor, { auditId: 'a-1', scope: 'domestic-chip mandate', occurredAt: '2025-11-10' }).expect(201);
    await post('/data-centers/dc-gansu/audit-notes', auditor, { note: 'Site visit: 512 H20 racked.', occurredAt: '2025-11-11' }).expect(201);
    await post('/data-centers/dc-gansu/finding-acknowledgements', auditor, { findingId: 'CN-STATE-FUNDED-DOMESTIC/dc-gansu/nvidia-h20/present', comment: 'seen', occurredAt: '2025-11-12' }).expect(201);
    await post('/data-centers/dc-gansu/case-reviews', auditor, { ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision: 'approved', reasoning: 'Project 45% complete.', occurredAt: '2025-11-13' }).expect(201);
    const closed = await post('/data-centers/dc-gansu/audits/a-1/closure', auditor, { conclusion: 'done', occurredAt: '2025-11-14' }).expect(201);
    expect(closed.body).toMatchObject({ streamId: 'audit-dc-gansu', version: 5 });
    const rows = await db.query(`SELECT type, actor FROM audit.events WHERE stream_id = 'audit-dc-gansu' ORDER BY version`);
    expect(rows.rows.map((r) => r.type)).toEqual(['AuditOpened', 'AuditNoteRecorded', 'FindingAcknowledged', 'CaseReviewDecided', 'AuditClosed']);
    expect(rows.rows.every((r) => r.actor.role === 'auditor' && r.actor.organisation === 'audit-firm')).toBe(true);
  });

  it.each([
    { name: 'an operator', token: () => bearer('operator', 'gansu-cloud'), path: '/data-centers/dc-gansu/audit-notes', body: { note: 'x' }, status: 403, code: 'AUTH.ROLE_NOT_ALLOWED' },
    { name: 'an unknown data center', token: () => auditor, path: '/data-centers/dc-nowhere/audit-notes', body: { note: 'x' }, status: 404, code: 'DATA_CENTER.NOT_FOUND' },
    { name: 'an unknown decision', token: () => auditor, path: '/data-centers/dc-gansu/case-reviews', body: { ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision: 'maybe', reasoning: 'x' }, status: 400, code: 'REQUEST.INVALID' },
    { name: 'closing an audit twice', token: () => auditor, path: '/data-centers/dc-gansu/audits/a-1/closure', body: { conclusion: 'again' }, status: 409, code: 'AUDIT.ALREADY_CLOSED' },
    { name: 'a note dated before the data center existed', token: () => auditor, path: '/data-centers/dc-gansu/audit-notes', body: { note: 'x', occurredAt: '2024-01-01' }, status: 422, code: 'DATA_CENTER.FACT_BEFORE_REGISTRATION' },
  ])('refuses $name: $status $code, nothing written', async ({ token, path, body, status, code }) => {
    const before = await auditEvents();
    const res = await post(path, token(), body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
    expect(await auditEvents()).toBe(before);
  });
});
