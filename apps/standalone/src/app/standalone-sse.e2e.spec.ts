import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/* GET /events/stream: dashboards get finding and chip-mix changes as server-sent events, scoped to their organisation. */
describe('standalone: server-sent events of projection changes', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'sse-org');

  beforeAll(async () => {
    database = await createTestDatabase('standalone_sse');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    await request(app.getHttpServer()).post('/organisations').set('Authorization', admin).send({ organisationId: 'sse-org', name: 'SSE', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN' }).expect(201);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // The registration alone streams a 'data-center.changed' frame; the order's chips make the chip-mix change.
  const isChipMixChangeOfSite = (frame: string): boolean => /^event: chip-mix\.changed$/m.test(frame) && frame.includes('"dataCenterId":"dc-sse"');

  /** Collects SSE frames until `until` matches one, or the time runs out. */
  // Generous: on a shared PostgreSQL server, other tests' open transactions can hold back the log feed.
  async function listen(token: string, until: (frames: string[]) => boolean, act: () => Promise<void>, timeoutMs = 45_000): Promise<string[]> {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl.replace('[::1]', '127.0.0.1')}/events/stream`, { headers: { authorization: token }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const frames: string[] = [];
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    await act();
    let buffer = '';
    try {
      while (!until(frames)) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        frames.push(...parts);
      }
    } catch {
      // aborted: the assertions below say what was missing
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    return frames;
  }

  it("streams the chip-mix change of an operator's own installation, and not another organisation's", async () => {
    const frames = await listen(
      operator,
      (f) => f.some(isChipMixChangeOfSite),
      async () => {
        const post = (path: string, body: object) => request(app.getHttpServer()).post(path).set('Authorization', operator).send(body).expect(201);
        await post('/data-centers', { dataCenterId: 'dc-sse', name: 'x', ownerOrganisationId: 'sse-org', country: 'CN', region: 'x', occurredAt: '2025-01-01' });
        await post('/purchase-orders', { purchaseOrderId: 'po-sse', buyerOrganisationId: 'sse-org', dataCenterId: 'dc-sse', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 8 }], occurredAt: '2025-01-02' });
      },
    );
    expect(frames.some(isChipMixChangeOfSite)).toBe(true);

    const strangers = await listen(bearer('viewer', 'another-org'), () => false, async () => {
      await request(app.getHttpServer()).post('/data-centers/dc-sse/construction-progress').set('Authorization', operator).send({ completionPercent: 10, occurredAt: '2025-02-01' }).expect(201);
    }, 3_000);
    expect(strangers.filter((frame) => frame.includes('dc-sse'))).toEqual([]);
  });
});
