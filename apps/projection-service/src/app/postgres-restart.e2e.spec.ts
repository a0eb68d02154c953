import { bearer, startPostgresCluster, startServiceProcess, uniqueTopicName, WrittenPositions, type PostgresCluster, type ServiceProcess } from '@chip-ledger/testing';
import { Client } from 'pg';

/*
 * A PostgreSQL restart (pg_ctl -m fast, then -m immediate) under a small write load, against the services as
 * processes, on a PostgreSQL cluster of this test's own (the machine's shared server must never be restarted).
 * Every service must stay up on its own, every answer must be a 201 or an honest 503 with Retry-After, a retry
 * with the same Idempotency-Key must return the original result, and the read models must catch up after it.
 * The full fault suite, with its figures, is `npm run chaos` (docs/decisions/0010-faults.md).
 */
describe('PostgreSQL restarts under load (services as processes, a PostgreSQL cluster of the test)', () => {
  let cluster: PostgresCluster;
  let procurement: ServiceProcess;
  let projections: ServiceProcess;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'org-r');

  const send = (baseUrl: string, path: string, token: string, key: string, body: object) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    const env = { DATABASE_URL: cluster.url, KAFKA_BROKERS: process.env['KAFKA_BROKERS'], KAFKA_TOPIC_PREFIX: uniqueTopicName('pg-restart') };
    [procurement, projections] = await Promise.all([
      startServiceProcess('apps/procurement-service/src/main.ts', env),
      startServiceProcess('apps/projection-service/src/main.ts', env),
    ]);
    const seed: [string, string, object][] = [
      ['/organisations', admin, { organisationId: 'org-r', name: 'R Compute', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2025-01-01' }],
      ...[0, 1, 2, 3].flatMap((i): [string, string, object][] => [
        ['/data-centers', operator, { dataCenterId: `dc-r${i}`, name: `R ${i}`, ownerOrganisationId: 'org-r', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' }],
        ['/purchase-orders', operator, { purchaseOrderId: `po-r${i}`, buyerOrganisationId: 'org-r', dataCenterId: `dc-r${i}`, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 100_000 }], occurredAt: '2025-02-01' }],
        [`/data-centers/dc-r${i}/deliveries`, operator, { deliveryId: `del-r${i}`, modelId: 'nvidia-h20', quantity: 100_000, purchaseOrderId: `po-r${i}`, shippedFromCountry: 'US', occurredAt: '2025-03-01' }],
      ]),
    ];
    for (const [i, [path, token, body]] of seed.entries()) expect((await send(procurement.baseUrl, path, token, `seed-${i}`, body)).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await projections?.stop();
    await procurement?.stop();
    await cluster?.destroy();
  });

  it('keeps every service up, answers 201 or an honest 503 with Retry-After, and the retry with the same key returns the original', async () => {
    const answers: { status: number; retryAfter: string | null; code: unknown; detail: string }[] = [];
    const acknowledged = new Map<string, string[]>();
    const written = new WrittenPositions();
    let stopping = false;
    const worker = async (w: number) => {
      for (let seq = 0; !stopping; seq++) {
        const key = `install-${w}-${seq}`;
        for (;;) {
          let res: Response;
          try {
            res = await send(procurement.baseUrl, `/data-centers/dc-r${w}/installations`, operator, key, { modelId: 'nvidia-h20', quantity: 1 });
          } catch (error) {
            throw new Error(`procurement-service dropped a request (${(error as Error).message}): it must answer, even without its database`);
          }
          const body = (await res.json()) as Record<string, unknown>;
          answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), code: body['code'], detail: String(body['detail'] ?? '') });
          if (res.status === 201) {
            acknowledged.set(key, body['eventIds'] as string[]);
            written.record(body['position'] as string);
            break;
          }
          if (res.status !== 503) throw new Error(`${key} answered ${res.status}: ${JSON.stringify(body)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(1_500);
    await cluster.restart('fast');
    await pause(2_500);
    await cluster.restart('immediate');
    await pause(2_500);
    stopping = true;
    await load;

    // Honest answers: a 201, or a 503 with Retry-After that does not claim the write did not happen.
    const failures = answers.filter((a) => a.status !== 201);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(['SERVICE.DEPENDENCY_UNAVAILABLE', 'LEDGER.BUSY']).toContain(failure.code);
      if (failure.code === 'SERVICE.DEPENDENCY_UNAVAILABLE') expect(failure.detail).toMatch(/not known.*same Idempotency-Key/);
    }

    // Every acknowledged command is stored once: the retries of those that had committed returned the original.
    const db = new Client({ connectionString: cluster.url });
    await db.connect();
    try {
      const ids = [...acknowledged.values()].flat();
      const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM procurement.events WHERE event_id = ANY($1::uuid[])`, [ids]);
      expect(stored.rows[0].n).toBe(ids.length);
      const installs = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM procurement.events WHERE type = 'ChipsInstalled'`);
      expect(installs.rows[0].n).toBe(acknowledged.size);
    } finally {
      await db.end();
    }

    // Nobody had to restart anything: both processes are up, and neither logged an unhandled error.
    for (const service of [procurement, projections]) {
      expect(service.alive()).toBe(true);
      expect(service.output()).not.toMatch(/Unhandled 'error' event|uncaughtException/);
    }

    // The read side catches up on its own: health says ok again and the chip mix counts every installation.
    const deadline = Date.now() + 90_000;
    let health: { status: number; body: unknown } = { status: 0, body: null };
    while (Date.now() < deadline) {
      const res = await fetch(`${projections.baseUrl}/health`);
      health = { status: res.status, body: await res.json() };
      if (res.status === 200) break;
      await pause(500);
    }
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', degraded: [] } });
    const positions = written.token();
    const installed = await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        const res = await fetch(`${projections.baseUrl}/data-centers/dc-r${w}/chip-mix?after=${encodeURIComponent(positions)}`, { headers: { authorization: operator } });
        expect(res.status).toBe(200);
        return ((await res.json()) as { items: { installed: number }[] }).items.reduce((n, line) => n + line.installed, 0);
      }),
    );
    expect(installed.reduce((a, b) => a + b, 0)).toBe(acknowledged.size);
  }, 240_000);
});
