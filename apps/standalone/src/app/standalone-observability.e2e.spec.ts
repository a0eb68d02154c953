import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, samplesOf, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import { Client } from 'pg';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/* Request ids (X-Request-Id) as the correlation id of what a request records, and GET /metrics, in the embedded form. */
describe('standalone: request ids and metrics', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'obs-org');
  const http = () => request(app.getHttpServer());
  /** The read-your-writes position of the data center the tests create. */
  let dataCenterPosition = '';

  const correlationIdsOf = async (streamId: string): Promise<string[]> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ correlation_id: string }>('SELECT correlation_id FROM procurement.events WHERE stream_id = $1 ORDER BY version', [streamId]);
      return rows.map((row) => row.correlation_id);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('standalone_observability');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('X-Request-Id', () => {
    it('is kept when the caller sends one, generated when not or when unusable, and returned either way', async () => {
      expect((await http().get('/health').set('X-Request-Id', 'trace-abc.123:4')).headers['x-request-id']).toBe('trace-abc.123:4');
      expect((await http().get('/health')).headers['x-request-id']).toMatch(UUID);
      expect((await http().get('/health').set('X-Request-Id', 'has spaces')).headers['x-request-id']).toMatch(UUID);
      expect((await http().get('/health').set('X-Request-Id', 'x'.repeat(129))).headers['x-request-id']).toMatch(UUID);
      // Error answers carry it too (a 401 from the guard, a 404 no route matched).
      expect((await http().get('/findings').set('X-Request-Id', 'denied-1')).headers['x-request-id']).toBe('denied-1');
      expect((await http().get('/no-such-route').set('X-Request-Id', 'lost-1')).headers['x-request-id']).toBe('lost-1');
    });

    it("becomes the correlation id of the events the request records (the caller's, or the generated one)", async () => {
      const given = await http()
        .post('/organisations')
        .set('Authorization', admin)
        .set('X-Request-Id', 'req-obs-org')
        .send({ organisationId: 'obs-org', name: 'Obs', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2025-01-01' })
        .expect(201);
      expect(given.headers['x-request-id']).toBe('req-obs-org');
      expect(await correlationIdsOf(given.body.streamId as string)).toEqual(['req-obs-org']);

      const generated = await http()
        .post('/data-centers')
        .set('Authorization', operator)
        .send({ dataCenterId: 'dc-obs', name: 'Obs 1', ownerOrganisationId: 'obs-org', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' })
        .expect(201);
      dataCenterPosition = generated.body.position as string;
      expect(generated.headers['x-request-id']).toMatch(UUID);
      expect(await correlationIdsOf(generated.body.streamId as string)).toEqual([generated.headers['x-request-id']]);
    });
  });

  describe('GET /metrics', () => {
    it('is public, in Prometheus text format, with HTTP latency by route template and status', async () => {
      await http().get('/data-centers/dc-obs').set('Authorization', operator).set('X-Ledger-Position', dataCenterPosition).expect(200);
      await http().get('/data-centers/dc-none').set('Authorization', operator).expect(404);
      await http().get('/no-such-route').expect(404);
      const res = await http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const count = (labels: Record<string, string>) => samplesOf(res.text, 'http_request_duration_seconds_count', labels)[0]?.value;
      expect(count({ method: 'GET', route: '/data-centers/:dataCenterId', status_code: '200', service: 'standalone' })).toBeGreaterThanOrEqual(1);
      expect(count({ method: 'GET', route: '/data-centers/:dataCenterId', status_code: '404' })).toBeGreaterThanOrEqual(1);
      expect(count({ method: 'POST', route: '/organisations', status_code: '201' })).toBe(1);
      // Paths no route matched share one series: a scan of random URLs cannot grow the metrics without bound.
      expect(count({ method: 'GET', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(2);
      expect(samplesOf(res.text, 'http_request_duration_seconds_count').some((sample) => sample.labels['route']?.includes('dc-'))).toBe(false);
      expect(samplesOf(res.text, 'process_cpu_seconds_total')).toHaveLength(1);
    });

    it('counts event store appends and the events recorded, per store', async () => {
      const text = (await http().get('/metrics').expect(200)).text;
      // The two commands above, each one event (the catalog seed is appended straight to the store too).
      expect(samplesOf(text, 'chipledger_event_store_appends_total', { store: 'procurement', outcome: 'recorded' })[0].value).toBeGreaterThanOrEqual(2);
      expect(samplesOf(text, 'chipledger_event_store_events_appended_total', { store: 'procurement' })[0].value).toBeGreaterThanOrEqual(2);
      expect(samplesOf(text, 'chipledger_event_store_appends_total', { store: 'procurement', outcome: 'refused' })[0].value).toBe(0);
      await http()
        .post('/data-centers')
        .set('Authorization', operator)
        .send({ dataCenterId: 'dc-obs', name: 'Obs 1', ownerOrganisationId: 'obs-org', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' })
        .expect(409);
      const after = (await http().get('/metrics').expect(200)).text;
      const recorded = (t: string) => samplesOf(t, 'chipledger_event_store_appends_total', { store: 'procurement', outcome: 'recorded' })[0].value;
      expect(recorded(after)).toBe(recorded(text));
    });

    it("reports each projection's events applied and lag, which reaches 0 once it has caught up", async () => {
      const write = await http()
        .post('/data-centers/dc-obs/construction-progress')
        .set('Authorization', operator)
        .send({ completionPercent: 40, occurredAt: '2025-02-01' })
        .expect(201);
      await http().get('/data-centers/dc-obs').set('Authorization', operator).set('X-Ledger-Position', write.body.position as string).expect(200);
      const deadline = Date.now() + 20_000;
      let text = '';
      for (;;) {
        text = (await http().get('/metrics').expect(200)).text;
        const lag = samplesOf(text, 'chipledger_projection_lag_events');
        if ((lag.length === 4 && lag.every((sample) => sample.value === 0)) || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(samplesOf(text, 'chipledger_projection_lag_events').map((sample) => [sample.labels['projection'], sample.labels['state'], sample.value]).sort()).toEqual([
        ['chip-mix', 'active', 0],
        ['findings', 'active', 0],
        ['licence-balances', 'active', 0],
        ['rentals', 'active', 0],
      ]);
      expect(samplesOf(text, 'chipledger_projection_events_applied_total', { projection: 'chip-mix', generation: '1' })[0].value).toBeGreaterThanOrEqual(3);
      expect(samplesOf(text, 'chipledger_projection_runner_state', { projection: 'findings', state: 'running' })[0].value).toBe(1);
      expect(samplesOf(text, 'chipledger_projection_dead_lettered_total', { projection: 'findings' })[0].value).toBe(0);
      // The embedded form has no Kafka relays: their series are declared, with no samples.
      expect(text).toContain('# TYPE chipledger_relay_backlog_events gauge');
      expect(samplesOf(text, 'chipledger_relay_backlog_events')).toEqual([]);
    });
  });
});

describe('standalone: GET /metrics with METRICS_TOKEN', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const token = 'scrape-token-0123456789';

  beforeAll(async () => {
    database = await createTestDatabase('standalone_metrics_token');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url, METRICS_TOKEN: token }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('answers only a scraper that presents the token; 401 problem+json otherwise', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${token}x`, bearer('admin', 'chip-ledger')]) {
      const req = request(app.getHttpServer()).get('/metrics');
      const res = await (authorization ? req.set('Authorization', authorization) : req);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'AUTH.METRICS_TOKEN_REQUIRED' });
    }
    const res = await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(samplesOf(res.text, 'process_cpu_seconds_total')).toHaveLength(1);
    // /health stays public.
    await request(app.getHttpServer()).get('/health').expect(200);
  });
});
