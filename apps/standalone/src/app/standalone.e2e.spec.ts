import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

describe('standalone app', () => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('standalone');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers GET /health with a JSON body that reports the database', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ status: 'ok', service: 'standalone', details: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI description of every context', async () => {
    const res = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/data-centers', '/purchase-orders', '/export-licences', '/rentals', '/data-centers/{dataCenterId}/case-reviews']));
  });
});
