import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, WrittenPositions, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/*
 * The auditors' read side through HTTP on the real PostgreSQL: histories across contexts in the ledger's order,
 * GET /events/{id} (every finding's evidence resolves), as-of a data center and the fleet, the rulebook's timeline,
 * facts recorded late, who may read what, and bad input.
 */
interface Envelope {
  eventId: string;
  type: string;
  streamId: string;
  context: string;
  actor: { id: string; role: string };
  occurredAt: string;
  recordedAt: string;
  globalPosition: number;
  hash: string;
  prevHash: string;
  links: { self: string };
}

describe('auditors: history, as-of, late facts', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'gansu-cloud');
  const viewer = bearer('viewer', 'gansu-cloud');
  const stranger = bearer('operator', 'other-co');
  const auditor = bearer('auditor', 'audit-firm', 'jane@audit-firm');
  const written = new WrittenPositions();
  const http = () => request(app.getHttpServer());
  const post = async (path: string, token: string, body: object): Promise<{ position: string; eventIds: string[] }> => {
    const res = await http().post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    written.record(res.body.position as string);
    return { position: written.token(), eventIds: (res.body.eventIds ?? res.body.streams?.flatMap((s: { eventIds: string[] }) => s.eventIds) ?? []) as string[] };
  };
  const get = (path: string, token: string) => http().get(path).set('Authorization', token);
  const allPages = async (path: string, token: string): Promise<Envelope[]> => {
    const out: Envelope[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await get(`${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${cursor}` : ''}`, token).expect(200);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  };
  let removalRecordedAt = '';

  beforeAll(async () => {
    database = await createTestDatabase('auditors');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    await post('/organisations', admin, { organisationId: 'gansu-cloud', name: 'Gansu Cloud', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2024-01-01' });
    await post('/organisations', admin, { organisationId: 'other-co', name: 'Other', headquartersCountry: 'SG', ultimateParentHeadquartersCountry: 'SG', occurredAt: '2024-01-01' });
    await post('/data-centers', stranger, { dataCenterId: 'dc-other', name: 'Other 1', ownerOrganisationId: 'other-co', country: 'SG', region: 'SG', occurredAt: '2024-02-01' });
    const dc = 'dc-gansu-1';
    await post('/data-centers', operator, { dataCenterId: dc, name: 'Gansu 1', ownerOrganisationId: 'gansu-cloud', country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' });
    await post(`/data-centers/${dc}/state-funding`, operator, { funder: 'provincial fund', occurredAt: '2025-03-01' });
    await post(`/data-centers/${dc}/construction-progress`, operator, { completionPercent: 20, occurredAt: '2025-10-01' });
    await post('/purchase-orders', operator, { purchaseOrderId: 'po-1', buyerOrganisationId: 'gansu-cloud', dataCenterId: dc, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 512 }], occurredAt: '2025-08-01' });
    await post(`/data-centers/${dc}/deliveries`, operator, { deliveryId: 'del-1', modelId: 'nvidia-h20', quantity: 512, purchaseOrderId: 'po-1', shippedFromCountry: 'US', occurredAt: '2025-09-01' });
    await post(`/data-centers/${dc}/installations`, operator, { modelId: 'nvidia-h20', quantity: 512, occurredAt: '2025-09-02' });
    await post(`/data-centers/${dc}/audits`, auditor, { auditId: 'audit-1', scope: 'Beijing mandate', occurredAt: '2025-12-15' });
    await post(`/data-centers/${dc}/audit-notes`, auditor, { note: 'Site visit planned.', occurredAt: '2025-12-16' });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('history in the ledger order', () => {
    it("a data center's history spans procurement, stock, orders and auditors' facts, each with its actor and full envelope", async () => {
      const items = (await get('/audit/data-centers/dc-gansu-1/history?order=oldest', auditor).expect(200)).body.items as Envelope[];
      expect(items.map((e) => e.type)).toEqual([
        'DataCenterRegistered',
        'StateFundingReported',
        'ConstructionProgressReported',
        'PurchaseOrderPlaced',
        'ChipsDelivered',
        'ChipsInstalled',
        'AuditOpened',
        'AuditNoteRecorded',
      ]);
      expect(new Set(items.map((e) => e.context))).toEqual(new Set(['procurement', 'audit']));
      const note = items[items.length - 1];
      expect(note.actor).toEqual(expect.objectContaining({ id: 'jane@audit-firm', role: 'auditor' }));
      expect(note).toEqual(expect.objectContaining({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: expect.stringMatching(/^[0-9a-f]{64}$/), links: expect.objectContaining({ self: `/events/${note.eventId}` }) }));
      // Newest first is the same list reversed.
      const newest = (await get('/audit/data-centers/dc-gansu-1/history', auditor).expect(200)).body.items as Envelope[];
      expect(newest.map((e) => e.eventId)).toEqual(items.map((e) => e.eventId).reverse());
    });

    it('pages by an opaque cursor without losing or repeating an event, in either order', async () => {
      const whole = (await get('/audit/history?order=oldest&limit=1000', auditor).expect(200)).body.items as Envelope[];
      expect(whole.length).toBeGreaterThan(10);
      expect((await allPages('/audit/history?order=oldest', auditor)).map((e) => e.eventId)).toEqual(whole.map((e) => e.eventId));
      expect((await allPages('/audit/history?order=newest', auditor)).map((e) => e.eventId)).toEqual(whole.map((e) => e.eventId).reverse());
      const times = whole.map((e) => Date.parse(e.recordedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('filters by several types, actor, occurredAt and recordedAt ranges', async () => {
      const typed = (await get('/audit/data-centers/dc-gansu-1/history?type=ChipsDelivered&type=ChipsInstalled', auditor).expect(200)).body.items as Envelope[];
      expect(typed.map((e) => e.type).sort()).toEqual(['ChipsDelivered', 'ChipsInstalled']);
      const commaSeparated = (await get('/audit/data-centers/dc-gansu-1/history?type=ChipsDelivered,AuditOpened', auditor).expect(200)).body.items as Envelope[];
      expect(commaSeparated.map((e) => e.type).sort()).toEqual(['AuditOpened', 'ChipsDelivered']);
      const byActor = (await get('/audit/data-centers/dc-gansu-1/history?actor=jane@audit-firm', auditor).expect(200)).body.items as Envelope[];
      expect(byActor.map((e) => e.type).sort()).toEqual(['AuditNoteRecorded', 'AuditOpened']);
      const inAutumn = (await get('/audit/data-centers/dc-gansu-1/history?occurredFrom=2025-08-01&occurredTo=2025-09-30', auditor).expect(200)).body.items as Envelope[];
      expect(inAutumn.map((e) => e.type).sort()).toEqual(['ChipsDelivered', 'ChipsInstalled', 'PurchaseOrderPlaced']);
      const all = (await get('/audit/data-centers/dc-gansu-1/history?order=oldest', auditor).expect(200)).body.items as Envelope[];
      const from = all[3].recordedAt;
      const recordedLater = (await get(`/audit/data-centers/dc-gansu-1/history?recordedFrom=${from}`, auditor).expect(200)).body.items as Envelope[];
      expect(recordedLater.every((e) => Date.parse(e.recordedAt) >= Date.parse(from))).toBe(true);
      expect(recordedLater.length).toBeGreaterThanOrEqual(all.length - 3);
    });

    it('a stream, an organisation and a licence have their histories too', async () => {
      const stream = (await get('/audit/streams/chip-stock-dc-gansu-1.nvidia-h20/history?order=oldest', viewer).expect(200)).body.items as Envelope[];
      expect(stream.map((e) => e.type)).toEqual(['ChipsDelivered', 'ChipsInstalled']);
      const org = (await get('/audit/organisations/gansu-cloud/history', operator).expect(200)).body.items as Envelope[];
      expect(org.map((e) => e.type)).toEqual(expect.arrayContaining(['OrganisationRegistered', 'DataCenterRegistered', 'PurchaseOrderPlaced', 'AuditNoteRecorded']));
      expect(org.some((e) => e.streamId === 'data-center-dc-other')).toBe(false);
    });

    it("isolates organisations: another organisation's data center, stream, organisation and events answer 404; the whole ledger is for auditors", async () => {
      for (const path of ['/audit/data-centers/dc-gansu-1/history', '/audit/streams/data-center-dc-gansu-1/history', '/audit/organisations/gansu-cloud/history', '/audit/data-centers/dc-gansu-1/as-of?occurredAt=2025-12-01']) {
        const res = await get(path, stranger).expect(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const unknown = await get('/audit/data-centers/dc-nowhere/history', auditor).expect(404);
      expect(unknown.body).toEqual(expect.objectContaining({ code: 'DATA_CENTER.NOT_FOUND', field: 'dataCenterId' }));
      // The same body for "not yours" and "does not exist".
      const theirs = await get('/audit/data-centers/dc-other/history', operator).expect(404);
      expect(theirs.body.detail).toBe('Data center dc-other does not exist.');
      await get('/audit/data-centers/dc-other/history', auditor).expect(200);
      await get('/audit/history', operator).expect(403);
      const eventOfGansu = ((await get('/audit/data-centers/dc-gansu-1/history', auditor).expect(200)).body.items as Envelope[])[0];
      await get(`/events/${eventOfGansu.eventId}`, stranger).expect(404);
      await get(`/events/${eventOfGansu.eventId}`, viewer).expect(200);
    });
  });

  describe('GET /events/{eventId}', () => {
    it("resolves every finding's evidence, and the finding responses link to it", async () => {
      const findings = (await get('/findings?dataCenterId=dc-gansu-1&status=open', auditor).set('X-Ledger-Position', written.token()).expect(200)).body.items as {
        evidence: string[];
        links: { evidence: string[] };
      }[];
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) {
        expect(finding.links.evidence).toEqual(finding.evidence.map((id) => `/events/${id}`));
        for (const href of finding.links.evidence) {
          const event = (await get(href, auditor).expect(200)).body as Envelope;
          expect(`/events/${event.eventId}`).toBe(href);
        }
      }
    });

    it('400 for a malformed id, 404 for an unknown one, naming eventId', async () => {
      expect((await get('/events/not-a-uuid', auditor).expect(400)).body).toEqual(expect.objectContaining({ field: 'eventId' }));
      expect((await get('/events/00000000-0000-4000-8000-000000000000', auditor).expect(404)).body).toEqual(expect.objectContaining({ code: 'EVENT.NOT_FOUND', field: 'eventId' }));
    });
  });

  describe('as-of a data center', () => {
    const asOf = (occurredAt: string, knownAt?: string, token = auditor) =>
      get(`/audit/data-centers/dc-gansu-1/as-of?occurredAt=${occurredAt}${knownAt ? `&knownAt=${knownAt}` : ''}`, token);

    it('just before and at 2025-11-05: no CN-STATE-FUNDED-DOMESTIC finding, then a breach with resolvable evidence; the rules in force say why', async () => {
      const before = (await asOf('2025-11-04T23:59:59.999Z').expect(200)).body;
      expect(before.findings.filter((f: { ruleId: string }) => f.ruleId === 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
      expect(before.rulesInForce.map((r: { ruleId: string }) => r.ruleId)).not.toContain('CN-STATE-FUNDED-DOMESTIC');
      const after = (await asOf('2025-11-05').expect(200)).body;
      const cn = after.findings.find((f: { ruleId: string }) => f.ruleId === 'CN-STATE-FUNDED-DOMESTIC');
      expect(cn).toEqual(expect.objectContaining({ severity: 'breach', count: 512 }));
      for (const e of cn.evidence) await get(e.href, auditor).expect(200);
      expect(after.rulesInForce).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'CN-STATE-FUNDED-DOMESTIC', certainty: 'reported-guidance', source: expect.any(Object) })]));
      expect(after.chipMix).toEqual([expect.objectContaining({ modelId: 'nvidia-h20', vendor: 'Nvidia', origin: 'foreign', installed: 512 })]);
      expect(after.dataCenter).toEqual(expect.objectContaining({ stateFunded: true, completionPercent: 20 }));
    });

    it('a removal recorded late: knownAt before its recording shows the breach, after it does not; late-facts lists it with the finding it changed', async () => {
      const removal = await post('/data-centers/dc-gansu-1/removals', operator, { modelId: 'nvidia-h20', quantity: 512, reason: 'remediation', occurredAt: '2025-12-01' });
      const event = (await get(`/events/${removal.eventIds[0]}`, auditor).expect(200)).body as Envelope;
      removalRecordedAt = event.recordedAt;
      expect(Date.parse(event.recordedAt)).toBeGreaterThan(Date.parse('2026-01-01'));
      const justBefore = new Date(Date.parse(removalRecordedAt) - 1).toISOString();
      const known = (await asOf('2026-01-01', justBefore).expect(200)).body;
      expect(known.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('CN-STATE-FUNDED-DOMESTIC');
      expect(known.chipMix[0].installed).toBe(512);
      const learned = (await asOf('2026-01-01', removalRecordedAt).expect(200)).body;
      expect(learned.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('CN-STATE-FUNDED-DOMESTIC');
      expect(learned.chipMix[0].installed).toBe(0);

      const late = (await get('/audit/late-facts?thresholdHours=24', auditor).expect(200)).body.items as { event: Envelope; lateByHours: number; changedFindings: { ruleId: string; before: unknown; after: unknown }[] }[];
      const ours = late.find((l) => l.event.eventId === event.eventId);
      expect(ours?.lateByHours).toBeGreaterThan(24);
      expect(ours?.changedFindings).toEqual([expect.objectContaining({ ruleId: 'CN-STATE-FUNDED-DOMESTIC', before: { severity: 'breach', count: 512 }, after: null })]);
      // Newest recording first.
      const recorded = late.map((l) => Date.parse(l.event.recordedAt));
      expect(recorded).toEqual([...recorded].sort((a, b) => b - a));
      // An operator sees only its own organisation's late facts; the other organisation has none.
      expect((await get('/audit/late-facts?thresholdHours=24', stranger).expect(200)).body.items.map((l: { event: Envelope }) => l.event.streamId)).not.toContain(event.streamId);
      expect((await get(`/audit/late-facts?thresholdHours=24&since=${removalRecordedAt}`, operator).expect(200)).body.items.map((l: { event: Envelope }) => l.event.eventId)).toContain(event.eventId);
    });

    it('a backdated fact that would break the timeline is refused with a problem naming the conflicting event, and nothing is written', async () => {
      const before = ((await get('/audit/data-centers/dc-gansu-1/history?limit=1000', auditor).expect(200)).body.items as Envelope[]).length;
      const removal = (await get('/audit/data-centers/dc-gansu-1/history?type=ChipsRemoved', auditor).expect(200)).body.items[0] as Envelope;
      // 512 were installed on 2025-11-01, but the removal of all 512 on 2025-12-01 relies on them.
      const early = await http().post('/data-centers/dc-gansu-1/removals').set('Authorization', operator).send({ modelId: 'nvidia-h20', quantity: 1, reason: 'failed', occurredAt: '2025-11-01' });
      expect(early.status).toBe(409);
      expect(early.headers['content-type']).toContain('application/problem+json');
      expect(early.body).toEqual(expect.objectContaining({ code: 'STOCK.INSUFFICIENT_INSTALLED', field: 'quantity', details: expect.objectContaining({ conflictingEventId: removal.eventId }) }));
      const registration = ((await get('/audit/data-centers/dc-gansu-1/history?type=DataCenterRegistered', auditor).expect(200)).body.items as Envelope[])[0];
      const tooEarly = await http()
        .post('/data-centers/dc-gansu-1/deliveries')
        .set('Authorization', operator)
        .send({ deliveryId: 'del-early', modelId: 'nvidia-h20', quantity: 1, purchaseOrderId: 'po-1', shippedFromCountry: 'US', occurredAt: '2024-06-01' });
      expect(tooEarly.status).toBe(422);
      expect(tooEarly.body).toEqual(expect.objectContaining({ code: 'DATA_CENTER.FACT_BEFORE_REGISTRATION', details: expect.objectContaining({ conflictingEventId: registration.eventId }) }));
      await get(`/events/${tooEarly.body.details.conflictingEventId}`, auditor).expect(200);
      expect(((await get('/audit/data-centers/dc-gansu-1/history?limit=1000', auditor).expect(200)).body.items as Envelope[]).length).toBe(before);
    });

    it('at now it equals what the projections show (chip mix and open findings)', async () => {
      const now = (await asOf(new Date().toISOString()).expect(200)).body;
      const mix = (await get('/data-centers/dc-gansu-1/chip-mix', auditor).set('X-Ledger-Position', written.token()).expect(200)).body.items;
      const pick = (l: Record<string, unknown>) => ({ modelId: l['modelId'], installed: l['installed'], inStock: l['inStock'], onOrder: l['onOrder'], rentedOut: l['rentedOut'], origin: l['origin'], eccnClass: l['eccnClass'] });
      expect(now.chipMix.map(pick)).toEqual(mix.map(pick));
      const open = (await get('/findings?dataCenterId=dc-gansu-1&status=open', auditor).set('X-Ledger-Position', written.token()).expect(200)).body.items;
      const key = (f: { findingId: string; severity: string; count: number }) => `${f.findingId}#${f.severity}#${f.count}`;
      expect(now.findings.map(key).sort()).toEqual(open.map(key).sort());
    });

    it('bad input: unknown data center 404, malformed or reversed instants and a future knownAt 400 naming the parameter', async () => {
      expect((await get('/audit/data-centers/dc-nowhere/as-of?occurredAt=2025-12-01', auditor).expect(404)).body.code).toBe('DATA_CENTER.NOT_FOUND');
      expect((await asOf('yesterday').expect(400)).body.field).toBe('occurredAt');
      expect((await get('/audit/data-centers/dc-gansu-1/as-of', auditor).expect(400)).body.field).toBe('occurredAt');
      expect((await asOf('2025-12-01', 'soon').expect(400)).body.field).toBe('knownAt');
      expect((await asOf('2025-12-01', '2999-01-01').expect(400)).body.field).toBe('knownAt');
      expect((await asOf('2026-02-01', '2026-01-01').expect(400)).body.field).toBe('occurredAt');
      expect((await get('/audit/history?occurredFrom=2026-01-01&occurredTo=2025-01-01', auditor).expect(400)).body.field).toBe('occurredFrom');
      expect((await get('/audit/history?recordedFrom=2026-01-01&recordedTo=2025-01-01', auditor).expect(400)).body.field).toBe('recordedFrom');
      expect((await get('/audit/history?cursor=bm90LWEtY3Vyc29y', auditor).expect(400)).body.field).toBe('cursor');
      expect((await get('/audit/history?limit=0', auditor).expect(400)).body.field).toBe('limit');
      expect((await get('/audit/history?type=drop%20table', auditor).expect(400)).body.field).toBe('type');
      expect((await get('/audit/late-facts?thresholdHours=-1', auditor).expect(400)).body.field).toBe('thresholdHours');
      expect((await get('/audit/data-centers/dc-gansu-1/as-of?occurredAt=2025-01-09', auditor).expect(404)).body.code).toBe('DATA_CENTER.NOT_YET_KNOWN');
    });
  });

  describe('the fleet and the rulebook', () => {
    it('the fleet as-of: every data center for an auditor, its own for an operator, with totals', async () => {
      const all = (await get('/audit/fleet/as-of?occurredAt=2025-11-10', auditor).expect(200)).body;
      expect(all.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['dc-gansu-1', 'dc-other']);
      expect(all.totals.chips.byOrigin).toEqual({ foreign: 512 });
      expect(all.totals.openFindings.byRule['CN-STATE-FUNDED-DOMESTIC']).toEqual({ breach: 1 });
      const paged = (await get('/audit/fleet/as-of?occurredAt=2025-11-10&limit=1', auditor).expect(200)).body;
      expect(paged.items).toHaveLength(1);
      const second = (await get(`/audit/fleet/as-of?occurredAt=2025-11-10&limit=1&cursor=${paged.nextCursor}`, auditor).expect(200)).body;
      expect(second.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['dc-other']);
      expect(second.nextCursor).toBeNull();
      const own = (await get('/audit/fleet/as-of?occurredAt=2025-11-10', stranger).expect(200)).body;
      expect(own.items.map((d: { dataCenterId: string }) => d.dataCenterId)).toEqual(['dc-other']);
      expect(own.totals.openFindings.total).toBe(0);
    });

    it('GET /rules?at=T: US-AI-DIFFUSION announced but not enforced in March 2025, each rule with its period, certainty and source', async () => {
      const rules = (await get('/rules?at=2025-03-01', viewer).expect(200)).body.items as { ruleId: string; status: string; inForce: object; certainty: string; source: object }[];
      expect(rules.find((r) => r.ruleId === 'US-AI-DIFFUSION')).toEqual(expect.objectContaining({ status: 'announced-not-enforced', judgesFactsAt: false }));
      expect(rules.find((r) => r.ruleId === 'CN-STATE-FUNDED-DOMESTIC')?.status).toBe('not-yet-in-force');
      expect(rules.find((r) => r.ruleId === 'US-3A090-2022')?.status).toBe('ended');
      for (const r of rules) expect(r).toEqual(expect.objectContaining({ inForce: expect.any(Object), certainty: expect.any(String), source: expect.any(Object) }));
      expect((await get('/rules?at=someday', viewer).expect(400)).body.field).toBe('at');
    });

    it('the OpenAPI document describes every new operation with its roles', async () => {
      const doc = (await http().get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { summary?: string; description?: string }>> };
      for (const path of ['/audit/history', '/audit/streams/{streamId}/history', '/audit/data-centers/{dataCenterId}/history', '/audit/organisations/{organisationId}/history', '/audit/licences/{licenceId}/history', '/audit/data-centers/{dataCenterId}/as-of', '/audit/fleet/as-of', '/audit/late-facts', '/events/{eventId}', '/rules']) {
        const op = doc.paths[path]?.['get'];
        expect({ path, summary: op?.summary }).toEqual({ path, summary: expect.any(String) });
        expect(op?.description).toMatch(/Roles: /);
      }
    });
  });
});
