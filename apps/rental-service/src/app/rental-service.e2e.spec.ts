import type { INestApplication } from '@nestjs/common';
import { seedDataCenterWithChips } from '@chip-ledger/test-fixtures';
import { bearer, createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import { Client } from 'pg';
import request from 'supertest';
import { RentalServiceModule } from './rental-service.module';

/* Rentals end to end on the real store; the provider's chips are recorded in procurement's schema first. */
describe('rental-service command API', () => {
  let database: TestDatabase;
  let rental: INestApplication;
  let db: Client;
  const operator = bearer('operator', 'sg-dc-co');
  const other = bearer('operator', 'someone-else');
  const env = () => ({ DATABASE_URL: database.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'] });
  const post = (path: string, token: string, body: object) => request(rental.getHttpServer()).post(path).set('Authorization', token).send(body);
  const rentalEvents = async () => Number((await db.query('SELECT count(*) FROM rental.events')).rows[0].count);

  beforeAll(async () => {
    database = await createTestDatabase('rental_e2e');
    ({ app: rental } = await startTestApp(RentalServiceModule.forRoot, env()));
    db = new Client({ connectionString: database.url });
    await db.connect();
    await seedDataCenterWithChips(database.url, { organisationId: 'sg-dc-co', headquarters: 'SG', dataCenterId: 'dc-sg', country: 'SG', modelId: 'nvidia-h100-sxm', installed: 1024 }, [
      { organisationId: 'alibaba', headquarters: 'CN' },
    ]);
  });

  afterAll(async () => {
    await db?.end();
    await rental?.close();
    await database?.drop();
  });

  const start = { rentalId: 'r-1', providerDataCenterId: 'dc-sg', tenantOrganisationId: 'alibaba', modelId: 'nvidia-h100-sxm', chipCount: 1024, purpose: 'training', periodStart: '2025-06-01', periodEnd: '2026-06-01', occurredAt: '2025-06-01' };

  it('starts, extends and ends a rental of installed capacity', async () => {
    const started = await post('/rentals', operator, start).expect(201);
    expect(started.body).toMatchObject({ streamId: 'rental-r-1', version: 1 });
    await post('/rentals/r-1/extensions', operator, { newPeriodEnd: '2026-12-01', occurredAt: '2025-09-01' }).expect(201);
    const ended = await post('/rentals/r-1/end', operator, { reason: 'contract finished', occurredAt: '2025-10-01' }).expect(201);
    expect(ended.body.version).toBe(3);
    const types = await db.query(`SELECT type FROM rental.events WHERE stream_id = 'rental-r-1' ORDER BY version`);
    expect(types.rows.map((r) => r.type)).toEqual(['RentalStarted', 'RentalExtended', 'RentalEnded']);
  });

  it.each([
    { name: 'more chips than installed', token: () => operator, path: '/rentals', body: { ...start, rentalId: 'r-2', chipCount: 1025 }, status: 409, code: 'RENTAL.EXCEEDS_INSTALLED', field: 'chipCount' },
    { name: "another organisation's data center", token: () => other, path: '/rentals', body: { ...start, rentalId: 'r-3' }, status: 404, code: 'DATA_CENTER.NOT_FOUND', field: 'providerDataCenterId' },
    { name: 'a period ending before it starts', token: () => operator, path: '/rentals', body: { ...start, rentalId: 'r-4', periodEnd: '2025-01-01' }, status: 422, code: 'PERIOD.INVALID' },
    { name: 'an unknown tenant', token: () => operator, path: '/rentals', body: { ...start, rentalId: 'r-5', tenantOrganisationId: 'nobody' }, status: 404, code: 'ORGANISATION.NOT_FOUND' },
    { name: 'an unknown purpose', token: () => operator, path: '/rentals', body: { ...start, rentalId: 'r-6', purpose: 'mining' }, status: 400, code: 'REQUEST.INVALID', field: 'purpose' },
    { name: 'ending an ended rental', token: () => operator, path: '/rentals/r-1/end', body: { reason: null }, status: 409, code: 'RENTAL.ALREADY_ENDED' },
    { name: 'an unknown rental', token: () => operator, path: '/rentals/r-404/extensions', body: { newPeriodEnd: '2027-01-01' }, status: 404, code: 'RENTAL.NOT_FOUND' },
    { name: 'a viewer', token: () => bearer('viewer', 'sg-dc-co'), path: '/rentals', body: { ...start, rentalId: 'r-7' }, status: 403, code: 'AUTH.ROLE_NOT_ALLOWED' },
  ])('refuses $name: $status $code, nothing written', async ({ token, path, body, status, code, field }) => {
    const before = await rentalEvents();
    const res = await post(path, token(), body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
    if (field) expect(res.body.field).toBe(field);
    expect(await rentalEvents()).toBe(before);
  });
});
