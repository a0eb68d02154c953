import { type DynamicModule, Module } from '@nestjs/common';
import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import { DEVELOPMENT_JWT_SECRET, HttpPlatformModule, PositionSigner } from '@chip-ledger/http';
import type { ProjectionChange } from '@chip-ledger/projection';
import { bearer, startTestApp } from '@chip-ledger/testing';
import type { INestApplication } from '@nestjs/common';
import { Subject } from 'rxjs';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ChipMixProjection } from '../chip-mix/chip-mix.projection';
import { FindingsProjection } from '../findings/findings.projection';
import { LicenceBalancesProjection } from '../licence-balances/licence-balances.projection';
import { RentalsProjection } from '../rentals/rentals.projection';
import { ledger, ProjectionHarness } from '../testing/ledger';
import { changeVisibleTo } from './change-visibility';
import { ChangeStreamController, MAX_UNDRAINED_CHANGES } from './change-stream.controller';
import { QueryApiModule } from './query-api.module';
import { ACTIVE_SCHEMAS, PROJECTION_CHANGES, READ_YOUR_WRITES } from './tokens';
import { DataSource } from 'typeorm';

describe('query API', () => {
  let h: ProjectionHarness;
  let app: INestApplication;
  const schemas: Record<string, string> = { 'chip-mix': 'q_chip_mix', findings: 'q_findings', 'licence-balances': 'q_licences', rentals: 'q_rentals' };
  const signer = new PositionSigner(DEVELOPMENT_JWT_SECRET);
  /** A position as the command side answers it to a writer of `organisation`. */
  const signed = (organisation: string, streamId: string, version: number) => `${streamId}@${version}~${signer.sign(organisation, streamId, version)}`;
  const tampered = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  const reached = new Set<string>(['data-center-gansu@1', signed('gansu-compute', 'data-center-gansu', 1)]);
  /** The projections each read-your-writes wait was for, and the tokens waited on, in order. */
  const waitedFor: (string | undefined)[] = [];
  const waitedOn: string[] = [];
  const clock = () => new Date('2026-03-01T00:00:00.000Z');
  const changes = new Subject<ProjectionChange>();

  beforeAll(async () => {
    h = await ProjectionHarness.start('query_api');
    const l = ledger()
      .organisation('2025-01-01', 'gansu-compute', 'CN')
      .organisation('2025-01-01', 'other-org', 'US')
      .dataCenter('2025-03-01', 'gansu', 'gansu-compute', 'CN')
      .dataCenter('2025-03-01', 'gansu-2', 'gansu-compute', 'CN')
      .dataCenter('2025-03-01', 'gansu-3', 'gansu-compute', 'CN')
      .dataCenter('2025-03-01', 'oregon', 'other-org', 'US')
      .stateFunding('2025-04-01', 'gansu')
      .progress('2025-10-01', 'gansu', 20)
      .deliver('2025-09-01', 'gansu', M.h20, 512)
      .install('2025-09-05', 'gansu', M.h20, 512)
      .deliver('2025-09-01', 'oregon', M.ascend910b, 8)
      .install('2025-09-05', 'oregon', M.ascend910b, 8)
      .licence('2025-08-20', 'lic-h20', { consigneeOrganisationId: 'gansu-compute', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 2000 })
      .licence('2025-08-20', 'lic-other', { consigneeOrganisationId: 'other-org', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 10 })
      .deliver('2025-09-02', 'gansu-3', M.h20, 100, { licenceId: 'lic-h20' })
      .deliver('2025-09-03', 'gansu-3', M.h20, 4, { licenceId: 'lic-other' })
      .rental('2025-03-01', 'r1', { providerDataCenterId: 'oregon', tenantOrganisationId: 'gansu-compute', modelId: M.ascend910b, chipCount: 8, periodEnd: '2027-01-01' });
    for (const p of [new ChipMixProjection(), new FindingsProjection({ clock }), new LicenceBalancesProjection(), new RentalsProjection()]) {
      await h.start(p, schemas[p.name]);
      await h.apply(p, schemas[p.name], l.events);
    }

    ({ app } = await startTestApp(root(), { DATABASE_URL: h.database.url }));
  });
  afterAll(async () => {
    await app?.close();
    await h.stop();
  });

  @Module({})
  class TestRoot {}
  const root =
    (options: { developmentSignIn?: boolean } = {}) =>
    (config: Parameters<typeof HttpPlatformModule.forRoot>[0]): DynamicModule => ({
      module: TestRoot,
      imports: [
        HttpPlatformModule.forRoot(config),
        QueryApiModule.forRoot({
          ...options,
          clock,
          readYourWritesTimeoutMs: 50,
          providers: [
            { provide: DataSource, useValue: h.db.dataSource },
            { provide: ACTIVE_SCHEMAS, useValue: { schemaOf: async (name: string) => schemas[name] } },
            { provide: READ_YOUR_WRITES, useValue: { waitFor: async (token: string, _timeoutMs: number, projection?: string) => (waitedFor.push(projection), waitedOn.push(token), reached.has(token)) } },
            { provide: PROJECTION_CHANGES, useValue: changes },
          ],
        }),
      ],
    });

  const get = (path: string, auth = bearer('auditor', 'audit')) => request(app.getHttpServer()).get(path).set('Authorization', auth);

  describe('GET /data-centers', () => {
    it('filters by country and paginates with an opaque cursor', async () => {
      const first = await get('/data-centers?country=CN&limit=2').expect(200);
      expect(first.body.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['gansu', 'gansu-2']);
      expect(typeof first.body.nextCursor).toBe('string');
      const second = await get(`/data-centers?country=CN&limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body).toMatchObject({ items: [{ dataCenterId: 'gansu-3' }], nextCursor: null });
    });
    it('filters by state funding', async () => {
      const res = await get('/data-centers?stateFunded=true').expect(200);
      expect(res.body.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['gansu']);
    });
    it('gives each data center its totals, installed chips split by domestic and foreign vendor', async () => {
      const res = await get('/data-centers').expect(200);
      const totals = Object.fromEntries(res.body.items.map((d: { dataCenterId: string; totals: object }) => [d.dataCenterId, d.totals]));
      expect(totals['gansu']).toEqual({ installed: 512, inStock: 0, onOrder: 0, rentedOut: 0, domesticInstalled: 0, foreignInstalled: 512 });
      expect(totals['oregon']).toEqual({ installed: 8, inStock: 0, onOrder: 0, rentedOut: 8, domesticInstalled: 8, foreignInstalled: 0 });
      expect(totals['gansu-3']).toMatchObject({ installed: 0, inStock: 104, domesticInstalled: 0, foreignInstalled: 0 });
    });
    it("limits viewers to their organisation's data centers", async () => {
      const res = await get('/data-centers', bearer('viewer', 'other-org')).expect(200);
      expect(res.body.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['oregon']);
    });
    it('answers 400 problem+json naming the field for a bad query parameter', async () => {
      const res = await get('/data-centers?limit=0').expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.field).toBe('limit');
      expect((await get('/data-centers?stateFunded=maybe').expect(400)).body.field).toBe('stateFunded');
      expect((await get('/data-centers?cursor=garbage').expect(400)).body.field).toBe('cursor');
      expect((await get('/data-centers?colour=red').expect(400)).body.field).toBe('colour');
    });
    it('answers 401 without a token', async () => {
      await request(app.getHttpServer()).get('/data-centers').expect(401);
    });
  });

  describe('GET /data-centers/:id', () => {
    it('gives the detail with chip mix and open findings', async () => {
      const res = await get('/data-centers/gansu', bearer('operator', 'gansu-compute')).expect(200);
      expect(res.body).toMatchObject({ dataCenterId: 'gansu', stateFunded: true, completionPercent: 20, chipMix: [{ modelId: M.h20, installed: 512, origin: 'foreign' }] });
      expect(res.body.openFindings.map((f: { ruleId: string }) => f.ruleId)).toContain('CN-STATE-FUNDED-DOMESTIC');
    });
    it("answers 404 problem+json for another organisation's data center, as for an unknown one", async () => {
      const other = await get('/data-centers/gansu', bearer('viewer', 'other-org')).expect(404);
      expect(other.headers['content-type']).toContain('application/problem+json');
      const unknown = await get('/data-centers/nowhere', bearer('viewer', 'other-org')).expect(404);
      expect(other.body.code).toBe(unknown.body.code);
      await get('/data-centers/gansu/chip-mix', bearer('viewer', 'other-org')).expect(404);
    });
    it('gives the chip mix alone', async () => {
      const res = await get('/data-centers/oregon/chip-mix', bearer('viewer', 'other-org')).expect(200);
      expect(res.body.items).toMatchObject([{ modelId: M.ascend910b, installed: 8, origin: 'domestic', rentedOut: 8 }]);
    });
  });

  describe('GET /fleet-mix', () => {
    it('groups by country', async () => {
      const res = await get('/fleet-mix?by=country').expect(200);
      expect(res.body.items.map((r: { key: string; installed: number }) => [r.key, r.installed])).toEqual([
        ['CN', 512],
        ['US', 8],
      ]);
    });
    it('groups by export-control class', async () => {
      const res = await get('/fleet-mix?by=class').expect(200);
      expect(res.body.items.map((r: { key: string; installed: number; foreignInstalled: number }) => [r.key, r.installed, r.foreignInstalled])).toEqual([
        ['3A090.a', 8, 0],
        ['not-controlled', 512, 512],
      ]);
    });
    it('refuses an unknown dimension', async () => {
      expect((await get('/fleet-mix?by=colour').expect(400)).body.field).toBe('by');
    });
  });

  describe('GET /findings', () => {
    it('filters by status, severity and rule, scoped to the organisation', async () => {
      const mine = await get('/findings?status=open&severity=breach&ruleId=CN-STATE-FUNDED-DOMESTIC', bearer('viewer', 'gansu-compute')).expect(200);
      expect(mine.body.items).toMatchObject([{ ruleId: 'CN-STATE-FUNDED-DOMESTIC', dataCenterId: 'gansu', status: 'open', openedAt: '2025-11-05T00:00:00.000Z' }]);
      const theirs = await get('/findings', bearer('viewer', 'other-org')).expect(200);
      expect(theirs.body.items.every((f: { dataCenterId: string }) => f.dataCenterId === 'oregon')).toBe(true);
      expect(theirs.body.items.length).toBeGreaterThan(0);
    });
    it('paginates newest first', async () => {
      const all = (await get('/findings?limit=200').expect(200)).body.items;
      const first = await get('/findings?limit=1').expect(200);
      const second = await get(`/findings?limit=1&cursor=${first.body.nextCursor}`).expect(200);
      expect([first.body.items[0].id, second.body.items[0].id]).toEqual(all.slice(0, 2).map((f: { id: string }) => f.id));
    });
    it('gives one finding, 404 for another organisation', async () => {
      const [f] = (await get('/findings?dataCenterId=gansu').expect(200)).body.items;
      await get(`/findings/${f.id}`, bearer('viewer', 'gansu-compute')).expect(200);
      await get(`/findings/${f.id}`, bearer('viewer', 'other-org')).expect(404);
    });
    it('refuses a bad status', async () => {
      expect((await get('/findings?status=maybe').expect(400)).body.field).toBe('status');
    });
  });

  describe('GET /export-licences/:id/balance', () => {
    it("shows the balance to the consignee's organisation and auditors, 404 to others", async () => {
      expect((await get('/export-licences/lic-h20/balance', bearer('viewer', 'gansu-compute')).expect(200)).body).toMatchObject({ authorised: 2000, used: 100, remaining: 1900 });
      await get('/export-licences/lic-h20/balance').expect(200);
      await get('/export-licences/lic-h20/balance', bearer('viewer', 'other-org')).expect(404);
    });
  });

  describe('GET /export-licences?dataCenterId=', () => {
    it("lists the balances of the licences a data center's deliveries cited; viewers see their organisation's licences only", async () => {
      const all = await get('/export-licences?dataCenterId=gansu-3').expect(200);
      expect(all.body.items.map((l: { licenceId: string; used: number }) => [l.licenceId, l.used])).toEqual([
        ['lic-h20', 100],
        // cited, but issued to another organisation: a flagged fact, not a draw on that licence (ADR 0018)
        ['lic-other', 0],
      ]);
      const mine = await get('/export-licences?dataCenterId=gansu-3', bearer('viewer', 'gansu-compute')).expect(200);
      expect(mine.body.items.map((l: { licenceId: string }) => l.licenceId)).toEqual(['lic-h20']);
      expect((await get('/export-licences?dataCenterId=gansu').expect(200)).body.items).toEqual([]);
    });
    it("answers 404 for another organisation's data center and 400 without a data center", async () => {
      await get('/export-licences?dataCenterId=gansu-3', bearer('viewer', 'other-org')).expect(404);
      expect((await get('/export-licences').expect(400)).body.field).toBe('dataCenterId');
    });
  });

  describe('development sign-in', () => {
    const withApp = async (options: { developmentSignIn?: boolean }, env: Record<string, string>, use: (other: INestApplication) => Promise<void>) => {
      const { app: other } = await startTestApp(root(options), { DATABASE_URL: h.database.url, ...env });
      try {
        await use(other);
      } finally {
        await other.close();
      }
    };

    it('mints read-only tokens the API accepts, offering the registered organisations', async () => {
      await withApp({ developmentSignIn: true }, {}, async (other) => {
        const options = await request(other.getHttpServer()).get('/dev/sign-in').expect(200);
        expect(options.body).toEqual({ roles: ['viewer', 'auditor'], organisations: [{ organisationId: 'gansu-compute', name: 'gansu-compute' }, { organisationId: 'other-org', name: 'other-org' }] });
        const signedIn = await request(other.getHttpServer()).post('/dev/sign-in').send({ role: 'viewer', organisationId: 'other-org' }).expect(200);
        const seen = await request(other.getHttpServer()).get('/data-centers').set('Authorization', `Bearer ${signedIn.body.token}`).expect(200);
        expect(seen.body.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['oregon']);
      });
    });
    it('refuses writing roles and unknown organisations for viewers, naming the field', async () => {
      await withApp({ developmentSignIn: true }, {}, async (other) => {
        expect((await request(other.getHttpServer()).post('/dev/sign-in').send({ role: 'admin', organisationId: 'other-org' }).expect(400)).body.field).toBe('role');
        expect((await request(other.getHttpServer()).post('/dev/sign-in').send({ role: 'viewer', organisationId: 'nobody' }).expect(422)).body.field).toBe('organisationId');
        await request(other.getHttpServer()).post('/dev/sign-in').send({ role: 'auditor', organisationId: 'audit-firm' }).expect(200);
      });
    });
    it('does not exist unless asked for, nor under a real JWT secret', async () => {
      await request(app.getHttpServer()).get('/dev/sign-in').expect(404);
      await withApp({ developmentSignIn: true }, { JWT_SECRET: 'a-real-secret-of-at-least-thirty-two-characters' }, async (other) => {
        await request(other.getHttpServer()).get('/dev/sign-in').expect(404);
        await request(other.getHttpServer()).post('/dev/sign-in').send({ role: 'auditor', organisationId: 'audit-firm' }).expect(404);
      });
    });
  });

  describe('GET /rentals', () => {
    it('lists by tenant and is visible to the tenant and the provider', async () => {
      const tenant = await get('/rentals?tenantOrganisationId=gansu-compute', bearer('viewer', 'gansu-compute')).expect(200);
      expect(tenant.body.items).toMatchObject([{ rentalId: 'r1', status: 'active', chipCount: 8 }]);
      expect((await get('/rentals?providerDataCenterId=oregon', bearer('viewer', 'other-org')).expect(200)).body.items).toHaveLength(1);
      expect((await get('/rentals', bearer('viewer', 'third-org')).expect(200)).body.items).toHaveLength(0);
    });
  });

  describe('read-your-writes', () => {
    it('reads once the position is reached (query or header), 503 problem+json when it is not in time', async () => {
      await get('/data-centers?after=data-center-gansu@1').expect(200);
      await get('/data-centers').set('X-Ledger-Position', 'data-center-gansu@1').expect(200);
      const late = await get('/findings?after=data-center-gansu@2').expect(503);
      expect(late.body).toMatchObject({ code: 'READ_MODEL.NOT_CAUGHT_UP', field: 'after' });
    });

    it('refuses a position no write could have answered with a 400, not a 503 to retry for ever', async () => {
      for (const bad of ['garbage', ',', 'data-center-gansu@x', `${'s'.repeat(5_000)}@1`]) {
        expect((await get(`/findings?after=${encodeURIComponent(bad)}`).expect(400)).body).toMatchObject({ code: 'REQUEST.INVALID', field: 'after' });
      }
      expect((await get('/findings').set('X-Ledger-Position', 'garbage').expect(400)).body.field).toBe('after');
    });

    it("waits for viewers and operators only on positions issued to their organisation: no probing another's streams", async () => {
      const viewer = bearer('viewer', 'gansu-compute');
      const own = signed('gansu-compute', 'data-center-gansu', 1);
      waitedOn.length = 0;
      await get(`/data-centers?after=${encodeURIComponent(own)}`, viewer).expect(200);
      expect(waitedOn).toEqual([own]);
      // Another organisation's stream, plain or signed for them, or a forged signature: not waited on (an answer
      // at once, whatever that stream holds), and only the caller's own part of a mixed token is.
      for (const foreign of ['data-center-oregon@99', signed('other-org', 'data-center-oregon', 99), tampered(signed('gansu-compute', 'data-center-gansu', 99))]) {
        waitedOn.length = 0;
        await get(`/data-centers?after=${encodeURIComponent(foreign)}`, viewer).expect(200);
        await get(`/data-centers?after=${encodeURIComponent(`${foreign},${own}`)}`, viewer).expect(200);
        expect(waitedOn).toEqual([own]);
      }
      // An auditor may wait on anything, and does.
      waitedOn.length = 0;
      await get(`/data-centers?after=${encodeURIComponent('data-center-oregon@99')}`).expect(503);
      expect(waitedOn).toEqual(['data-center-oregon@99']);
    });

    it('takes the ledger form (heads of every context store) signed for the writer, by query or header alike, up to the same length', async () => {
      const viewer = bearer('viewer', 'gansu-compute');
      const heads = new Map([
        ['procurement', 120],
        ['rental', 4],
        ['audit', 0],
      ]);
      const own = `p:120.r:4.a:0~${signer.signHeads('gansu-compute', heads)}`;
      const foreign = `p:120.r:4.a:0~${signer.signHeads('other-org', heads)}`;
      for (const send of [(token: string) => get(`/data-centers?after=${encodeURIComponent(token)}`, viewer), (token: string) => get('/data-centers', viewer).set('X-Ledger-Position', token)]) {
        waitedOn.length = 0;
        await send(own).expect(503);
        await send(foreign).expect(200);
        await send(`${foreign},${own}`).expect(503);
        expect(waitedOn).toEqual([own, own]);
        // Many writes' tokens joined: far past the 500 characters the query string once took.
        const many = Array.from({ length: 60 }, () => foreign).join(',');
        await send(many).expect(200);
        expect((await send(`${many},${'x'.repeat(1_000)}`).expect(400)).body.field).toBe('after');
      }
      // Tokens of several writes: the reader hands them on for the adapter to wait on the highest head per context.
      waitedOn.length = 0;
      await get(`/findings?after=${encodeURIComponent('p:3.r:1.a:0,p:2.r:5.a:0')}`).expect(503);
      expect(waitedOn).toEqual(['p:3.r:1.a:0,p:2.r:5.a:0']);
    });

    it('makes the data center detail wait for its findings as well as its chip mix', async () => {
      waitedFor.length = 0;
      await get('/data-centers/gansu?after=data-center-gansu@1').expect(200);
      expect(waitedFor).toEqual(['chip-mix', 'findings']);
    });
  });

  describe('cursors', () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    it('refuses a crafted cursor with a 400 naming it, before it reaches SQL', async () => {
      for (const bad of [['not-a-date', 'x'], ['2025-01-01T00:00:00.000Z', 'a\u0000b'], ['2025-01-01T00:00:00.000Z'], ['2025-13-45T99:00:00Z', 'x']]) {
        expect((await get(`/findings?cursor=${cursor(bad)}`).expect(400)).body).toMatchObject({ code: 'REQUEST.INVALID', field: 'cursor' });
      }
      expect((await get(`/data-centers?cursor=${cursor(['\ud800'])}`).expect(400)).body.field).toBe('cursor');
      expect((await get(`/rentals?cursor=${cursor([{}])}`).expect(400)).body.field).toBe('cursor');
    });
  });

  describe('the change stream (SSE)', () => {
    it('ends the stream of a client that stopped reading, instead of queueing changes for it for ever', async () => {
      const { port } = app.getHttpServer().listen(0).address() as AddressInfo;
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        http.get({ port, path: '/events/stream', headers: { authorization: bearer('auditor', 'audit') } }, resolve).on('error', reject);
      });
      response.pause(); // a client that stops reading and keeps the connection open
      try {
        await until(() => changes.observed);
        const big = 'x'.repeat(20_000);
        // Enough to fill the socket's buffers on both sides, then MAX_UNDRAINED_CHANGES more.
        for (let i = 0; i < 3_000 + MAX_UNDRAINED_CHANGES && changes.observed; i++) {
          changes.next({ projection: 'chip-mix', kind: 'chip-mix.changed', dataCenterId: 'dc', organisationId: 'org', payload: { i, big } });
          if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        await until(() => !changes.observed);
      } finally {
        response.destroy();
      }
    });
  });

  describe('the change stream at shutdown', () => {
    const openStream = async (port: number) => {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        http.get({ port, path: '/events/stream', headers: { authorization: bearer('auditor', 'audit') } }, resolve).on('error', reject);
      });
      return { response, ended: new Promise<void>((resolve) => response.on('end', resolve).resume()) };
    };

    it('ends every open stream as the app closes, so the close does not wait on its clients', async () => {
      const { app: other } = await startTestApp(root(), { DATABASE_URL: h.database.url });
      const { port } = other.getHttpServer().listen(0).address() as AddressInfo;
      const { response, ended } = await openStream(port);
      try {
        const started = Date.now();
        await other.close();
        await ended;
        // Within the keep-alive timeout (5 s): the ended stream's connection was closed, not left to time out.
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        response.destroy();
      }
    });

    it('ends at once a stream opened while the app is shutting down (a client reconnecting meanwhile)', async () => {
      const { app: other } = await startTestApp(root(), { DATABASE_URL: h.database.url });
      const { port } = other.getHttpServer().listen(0).address() as AddressInfo;
      try {
        await other.get(ChangeStreamController).beforeApplicationShutdown();
        const { response, ended } = await openStream(port);
        const connectionClosed = new Promise((resolve) => response.socket.once('close', resolve));
        try {
          await ended;
          // And its connection is closed (well before the 5 s keep-alive timeout would), so a client reconnecting at
          // once cannot hold the closing server up.
          const since = Date.now();
          await connectionClosed;
          expect(Date.now() - since).toBeLessThan(1_000);
        } finally {
          response.destroy();
        }
      } finally {
        await other.close();
      }
    });
  });

  describe('the change stream filter', () => {
    const change = (organisationId: string | null, payload: Record<string, unknown> = {}): ProjectionChange => ({ projection: 'findings', kind: 'finding.opened', dataCenterId: 'dc', organisationId, payload });
    it('shows viewers their organisation only, auditors everything', () => {
      const viewer = { id: 'v', organisation: 'org-a', role: 'viewer' as const };
      expect(changeVisibleTo(viewer, change('org-a'))).toBe(true);
      expect(changeVisibleTo(viewer, change('org-b'))).toBe(false);
      expect(changeVisibleTo(viewer, change(null))).toBe(false);
      expect(changeVisibleTo(viewer, change('org-b', { tenantOrganisationId: 'org-a' }))).toBe(true);
      expect(changeVisibleTo({ id: 'a', organisation: 'x', role: 'auditor' }, change('org-b'))).toBe(true);
    });
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
