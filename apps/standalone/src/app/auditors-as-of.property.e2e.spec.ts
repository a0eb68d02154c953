import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, WrittenPositions, type TestDatabase } from '@chip-ledger/testing';
import fc from 'fast-check';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/*
 * Property: for any history (facts recorded through the API in any order of their dates, the refused ones included),
 * the auditors' as-of at (occurredAt = now, knownAt = now), computed by folding the event stores with the pure
 * libraries, equals what the projections show: each data center's chip mix and its open findings.
 */
const MODELS = ['nvidia-h20', 'nvidia-h100-sxm', 'huawei-ascend-910b'] as const;
const DAY = 86_400_000;
const FROM = Date.parse('2024-06-01T00:00:00.000Z');
/** Facts up to mid-2026: time-driven findings (90-day remittance windows, rule starts) have all happened by now. */
const SPAN_DAYS = 730;

type Op =
  | { kind: 'deliver'; dc: 0 | 1; model: number; quantity: number; day: number }
  | { kind: 'install'; dc: 0 | 1; model: number; quantity: number; day: number }
  | { kind: 'remove'; dc: 0 | 1; model: number; quantity: number; day: number }
  | { kind: 'transfer'; model: number; quantity: number; day: number }
  | { kind: 'rent'; model: number; count: number; day: number; days: number; training: boolean }
  | { kind: 'progress'; percent: number; day: number };

const dc = fc.constantFrom(0 as const, 1 as const);
const model = fc.integer({ min: 0, max: MODELS.length - 1 });
const day = fc.integer({ min: 1, max: SPAN_DAYS });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('deliver' as const), dc, model, quantity: fc.integer({ min: 1, max: 64 }), day }),
  fc.record({ kind: fc.constant('install' as const), dc, model, quantity: fc.integer({ min: 1, max: 64 }), day }),
  fc.record({ kind: fc.constant('remove' as const), dc, model, quantity: fc.integer({ min: 1, max: 32 }), day }),
  fc.record({ kind: fc.constant('transfer' as const), model, quantity: fc.integer({ min: 1, max: 32 }), day }),
  fc.record({ kind: fc.constant('rent' as const), model, count: fc.integer({ min: 1, max: 16 }), day, days: fc.integer({ min: 30, max: 900 }), training: fc.boolean() }),
  fc.record({ kind: fc.constant('progress' as const), percent: fc.integer({ min: 0, max: 100 }), day }),
);

describe('property: as-of at now equals the projections', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'prop-cn');
  const auditor = bearer('auditor', 'audit-firm');
  const http = () => request(app.getHttpServer());
  let run = 0;

  beforeAll(async () => {
    database = await createTestDatabase('auditors_property');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    for (const [organisationId, hq] of [['prop-cn', 'CN'], ['prop-tenant', 'CN']]) {
      await http().post('/organisations').set('Authorization', admin).send({ organisationId, name: organisationId, headquartersCountry: hq, ultimateParentHeadquartersCountry: hq, occurredAt: '2024-01-01' }).expect(201);
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('holds for generated histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        run += 1;
        const written = new WrittenPositions();
        const ids = [`p${run}-cn`, `p${run}-my`];
        const when = (d: number) => new Date(FROM + d * DAY).toISOString();
        const send = async (path: string, body: object, token = operator): Promise<void> => {
          const res = await http().post(path).set('Authorization', token).send(body);
          if (res.status === 201) written.record(res.body.position as string);
          else if (res.status >= 500 || ![404, 409, 422].includes(res.status)) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
        };
        await send('/data-centers', { dataCenterId: ids[0], name: 'CN', ownerOrganisationId: 'prop-cn', country: 'CN', region: 'Gansu', occurredAt: '2024-02-01' });
        await send('/data-centers', { dataCenterId: ids[1], name: 'MY', ownerOrganisationId: 'prop-cn', country: 'MY', region: 'Johor', occurredAt: '2024-02-01' });
        await send(`/data-centers/${ids[0]}/state-funding`, { funder: 'province', occurredAt: '2024-03-01' });
        for (const [i, id] of ids.entries()) {
          await send('/purchase-orders', { purchaseOrderId: `${id}-po`, buyerOrganisationId: 'prop-cn', dataCenterId: id, supplier: 's', lines: MODELS.map((m) => ({ modelId: m, quantity: 10_000 - i })), occurredAt: '2024-03-01' });
        }
        let n = 0;
        for (const o of ops) {
          n += 1;
          switch (o.kind) {
            case 'deliver':
              await send(`/data-centers/${ids[o.dc]}/deliveries`, { deliveryId: `${ids[o.dc]}-d${n}`, modelId: MODELS[o.model], quantity: o.quantity, purchaseOrderId: `${ids[o.dc]}-po`, shippedFromCountry: 'US', occurredAt: when(o.day) });
              break;
            case 'install':
              await send(`/data-centers/${ids[o.dc]}/installations`, { modelId: MODELS[o.model], quantity: o.quantity, occurredAt: when(o.day) });
              break;
            case 'remove':
              await send(`/data-centers/${ids[o.dc]}/removals`, { modelId: MODELS[o.model], quantity: o.quantity, reason: 'remediation', occurredAt: when(o.day) });
              break;
            case 'transfer':
              await send('/transfers', { transferId: `${ids[1]}-t${n}`, modelId: MODELS[o.model], quantity: o.quantity, fromDataCenterId: ids[1], toDataCenterId: ids[0], permitReference: null, occurredAt: when(o.day) });
              break;
            case 'rent':
              await send('/rentals', {
                rentalId: `${ids[0]}-r${n}`,
                providerDataCenterId: ids[0],
                tenantOrganisationId: 'prop-tenant',
                modelId: MODELS[o.model],
                chipCount: o.count,
                purpose: o.training ? 'training' : 'inference',
                periodStart: when(o.day),
                periodEnd: when(o.day + o.days),
                occurredAt: when(o.day),
              });
              break;
            case 'progress':
              await send(`/data-centers/${ids[0]}/construction-progress`, { completionPercent: o.percent, occurredAt: when(o.day) });
              break;
          }
        }
        const position = written.token();
        const now = new Date().toISOString();
        for (const id of ids) {
          const asOf = (await http().get(`/audit/data-centers/${id}/as-of?occurredAt=${now}&knownAt=${now}`).set('Authorization', auditor).expect(200)).body;
          const mix = (await http().get(`/data-centers/${id}/chip-mix`).set('Authorization', auditor).set('X-Ledger-Position', position).expect(200)).body.items;
          const open = (await http().get(`/findings?dataCenterId=${id}&status=open&limit=200`).set('Authorization', auditor).set('X-Ledger-Position', position).expect(200)).body.items;
          const line = (l: Record<string, unknown>) =>
            [l['modelId'], l['installed'], l['inStock'], l['onOrder'], l['rentedOut'], l['delivered'], l['removed'], l['transferredIn'], l['transferredOut'], l['origin'], l['eccnClass']].join('|');
          expect({ id, mix: asOf.chipMix.map(line) }).toEqual({ id, mix: mix.map(line) });
          const finding = (f: { findingId: string; severity: string; count: number }) => `${f.findingId}#${f.severity}#${f.count}`;
          expect({ id, findings: asOf.findings.map(finding).sort() }).toEqual({ id, findings: open.map(finding).sort() });
        }
      }),
      { numRuns: 8, endOnFailure: true },
    );
  }, 300_000);
});
