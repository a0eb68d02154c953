import type { INestApplication } from '@nestjs/common';
import { bearer, createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import fc from 'fast-check';
import { Client } from 'pg';
import request from 'supertest';
import { StandaloneModule } from './standalone.module';

/*
 * Every POST operation the app's own /openapi.json lists, driven with generated malformed requests: wrong types,
 * missing, extra and reserved fields, numbers and strings past their bounds, nested junk, bodies that are not
 * JSON objects, not JSON, not declared JSON, too large or too deep. Each must be a 4xx problem+json with a code
 * (naming the field at fault when there is one), and no event may be recorded in any context.
 *
 * Each operation runs with its own fixed seed. Reproduce a failure with what the report prints:
 * FUZZ_OPERATION=<operationId> FUZZ_SEED=<seed> FUZZ_PATH=<path> npx jest -c apps/standalone/jest.config.cjs standalone-fuzz
 */
const BASE_SEED = 20_261_214;
const seedOf = (index: number): number => (process.env['FUZZ_SEED'] === undefined ? BASE_SEED + index : Number(process.env['FUZZ_SEED']));
const RUNS_PER_OPERATION = Number(process.env['FUZZ_RUNS'] ?? 24);
const MAX_BODY_BYTES = 256 * 1024;

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  example?: unknown;
  maxLength?: number;
  maxItems?: number;
  maximum?: number;
  allOf?: Schema[];
};
interface PostOperation {
  readonly id: string;
  readonly path: string;
  readonly body: Schema | null;
}
/** A malformed request: its raw body and Content-Type, and the field it breaks (null when the body as a whole is at fault). */
interface Malformed {
  readonly kind: string;
  readonly contentType: string | null;
  readonly body: string;
  readonly field: string | null;
  readonly headers?: Record<string, string>;
}

/** Existing aggregates for path parameters, so that a body the API wrongly accepted would really be recorded. */
const PATH_VALUES: Record<string, string> = {
  dataCenterId: 'dc-fuzz',
  organisationId: 'fuzz-org',
  modelId: 'nvidia-h20',
  purchaseOrderId: 'po-fuzz',
  licenceId: 'lic-fuzz',
  rentalId: 'rent-fuzz',
  auditId: 'audit-fuzz',
  name: 'no-such-projection',
};

describe('fuzz: every POST operation refuses malformed requests with a 4xx problem and records nothing', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: Client;
  let document: { paths: Record<string, Record<string, { operationId: string; requestBody?: { content: { 'application/json': { schema: Schema } } } }>>; components: { schemas: Record<string, Schema> } };
  let operations: PostOperation[];
  const admin = bearer('admin', 'chip-ledger');
  const operator = bearer('operator', 'fuzz-org');

  const recorded = async (): Promise<string> =>
    JSON.stringify(
      (await db.query('SELECT (SELECT count(*) FROM procurement.events) AS procurement, (SELECT count(*) FROM rental.events) AS rental, (SELECT count(*) FROM audit.events) AS audit')).rows[0],
    );

  beforeAll(async () => {
    database = await createTestDatabase('standalone_fuzz');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    db = new Client({ connectionString: database.url });
    await db.connect();
    const post = async (path: string, token: string, body: object) => {
      const res = await request(app.getHttpServer()).post(path).set('Authorization', token).send(body);
      if (res.status !== 201) throw new Error(`seeding ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    };
    await post('/organisations', admin, { organisationId: 'fuzz-org', name: 'Fuzz Compute', headquartersCountry: 'SG', ultimateParentHeadquartersCountry: 'SG', occurredAt: '2024-01-01' });
    await post('/data-centers', operator, { dataCenterId: 'dc-fuzz', name: 'Fuzz 1', ownerOrganisationId: 'fuzz-org', country: 'SG', region: 'Jurong', occurredAt: '2024-01-02' });
    await post('/purchase-orders', operator, { purchaseOrderId: 'po-fuzz', buyerOrganisationId: 'fuzz-org', dataCenterId: 'dc-fuzz', supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 100 }], occurredAt: '2024-01-03' });
    await post('/data-centers/dc-fuzz/deliveries', operator, { deliveryId: 'del-fuzz', modelId: 'nvidia-h20', quantity: 50, purchaseOrderId: 'po-fuzz', shippedFromCountry: 'US', occurredAt: '2024-01-04' });
    await post('/data-centers/dc-fuzz/installations', operator, { modelId: 'nvidia-h20', quantity: 20, occurredAt: '2024-01-05' });
    await post('/export-licences', admin, {
      licenceId: 'lic-fuzz',
      licenceNumber: 'D0000001',
      exporter: 'Nvidia',
      consigneeOrganisationId: 'fuzz-org',
      destinationCountry: 'SG',
      modelIds: ['nvidia-h20'],
      authorisedQuantity: 100,
      validFrom: '2024-01-01',
      validTo: '2026-01-01',
      conditions: { revenueSharePercent: 15 },
      occurredAt: '2024-01-01',
    });
    await post('/rentals', operator, { rentalId: 'rent-fuzz', providerDataCenterId: 'dc-fuzz', tenantOrganisationId: 'fuzz-org', modelId: 'nvidia-h20', chipCount: 10, purpose: 'inference', periodStart: '2024-02-01', periodEnd: '2025-02-01', occurredAt: '2024-01-06' });
    await post('/data-centers/dc-fuzz/audits', admin, { auditId: 'audit-fuzz', scope: 'everything', occurredAt: '2024-03-01' });

    document = (await request(app.getHttpServer()).get('/openapi.json').expect(200)).body;
    operations = Object.entries(document.paths)
      .filter(([, item]) => item['post'] !== undefined)
      .map(([path, item]) => ({ id: item['post'].operationId, path, body: item['post'].requestBody?.content['application/json'].schema ?? null }));
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database?.drop();
  });

  it('finds every POST operation of the document (commands, and the rebuild that takes no body)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(29);
    expect(operations.map((o) => o.id)).toEqual(expect.arrayContaining(['registerOrganisation', 'recordTransfer', 'recordRemittance', 'extendRental', 'decideCaseReview', 'correctChipModel']));
    expect(operations.filter((o) => o.body === null).map((o) => o.id)).toEqual(['rebuildProjection']);
  });

  it('answers each generated malformed request with a 4xx problem naming the field at fault, and records nothing', async () => {
    const before = await recorded();
    const seen = new Map<string, Set<string>>();
    for (const [index, operation] of operations.entries()) {
      if (process.env['FUZZ_OPERATION'] !== undefined && operation.id !== process.env['FUZZ_OPERATION']) continue;
      const resolve = (schema: Schema): Schema => resolveSchema(schema, document.components.schemas);
      const url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name] ?? 'no-such-thing');
      await fc.assert(
        fc.asyncProperty(malformedRequest(operation.body && resolve(operation.body), resolve), async (malformed) => {
          const req = request(app.getHttpServer()).post(url).set('Authorization', admin);
          if (malformed.contentType !== null) req.set('Content-Type', malformed.contentType);
          for (const [name, value] of Object.entries(malformed.headers ?? {})) req.set(name, value);
          // Text goes as it is; superagent would serialise a Buffer as JSON under a JSON type, and gives one no type of its own.
          const res = await req.send(malformed.contentType === null ? Buffer.from(malformed.body) : malformed.body);
          const problem = res.body as { status?: number; code?: unknown; field?: unknown; errors?: { field: string }[] };
          const context = `${operation.id} (${malformed.kind}) answered ${res.status} ${res.headers['content-type']}: ${JSON.stringify(res.body).slice(0, 300)}`;
          if (res.status < 400 || res.status > 499) throw new Error(`not a 4xx: ${context}`);
          if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) throw new Error(`not problem+json: ${context}`);
          if (typeof problem.code !== 'string' || problem.code === '' || problem.status !== res.status) throw new Error(`no code: ${context}`);
          if (operation.body !== null && malformed.field !== null && !names(problem, malformed.field)) throw new Error(`does not name ${malformed.field}: ${context}`);
          if ((await recorded()) !== before) throw new Error(`an event was recorded: ${context}`);
          seen.set(operation.id, (seen.get(operation.id) ?? new Set()).add(malformed.kind));
        }),
        { seed: seedOf(index), numRuns: RUNS_PER_OPERATION, path: process.env['FUZZ_PATH'], verbose: fc.VerbosityLevel.Verbose },
      );
    }
    expect(await recorded()).toBe(before);
    if (process.env['FUZZ_OPERATION'] === undefined) expect([...seen.keys()].sort()).toEqual(operations.map((o) => o.id).sort());
  }, 60_000 + RUNS_PER_OPERATION * 4_000);
});

/** The problem names `field`, itself or something inside it (`lines` → `lines[0].quantity`). */
function names(problem: { field?: unknown; errors?: { field: string }[] }, field: string): boolean {
  const within = (candidate: unknown) => typeof candidate === 'string' && (candidate === field || candidate.startsWith(`${field}.`) || candidate.startsWith(`${field}[`));
  return within(problem.field) || (problem.errors ?? []).some((e) => within(e.field));
}

function resolveSchema(schema: Schema, schemas: Record<string, Schema>): Schema {
  if (schema.$ref) return resolveSchema(schemas[schema.$ref.replace('#/components/schemas/', '')], schemas);
  if (schema.allOf?.length === 1) return { ...resolveSchema(schema.allOf[0], schemas), ...schema, allOf: undefined };
  return schema;
}

/** A valid body from the document's own examples (what a client would copy), to be broken one way at a time. */
function exampleOf(schema: Schema, resolve: (s: Schema) => Schema): unknown {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (s.type === 'object' || s.properties) return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, exampleOf(v, resolve)]));
  if (s.type === 'array' && s.items) return [exampleOf(s.items, resolve)];
  if (s.enum) return s.enum[0];
  return s.type === 'boolean' ? true : s.type === 'integer' || s.type === 'number' ? 1 : 'x';
}

/** Every field of a body schema with its path, down to nested objects and the first element of arrays. */
function fieldsOf(schema: Schema, resolve: (s: Schema) => Schema, prefix = ''): { path: string[]; name: string; schema: Schema; required: boolean }[] {
  const s = resolve(schema);
  return Object.entries(s.properties ?? {}).flatMap(([key, child]) => {
    const c = resolve(child);
    const path = [...(prefix ? prefix.split('\u0000') : []), key];
    const name = path.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
    const here = { path, name, schema: c, required: (s.required ?? []).includes(key) };
    const nested = c.type === 'array' && c.items && resolve(c.items).properties ? fieldsOf(c.items, resolve, [...path, '0'].join('\u0000')) : c.properties ? fieldsOf(c, resolve, path.join('\u0000')) : [];
    return [here, ...nested];
  });
}

const setAt = (body: unknown, path: readonly string[], value: unknown): unknown => {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string, unknown>;
  if (value === undefined) delete node[path[path.length - 1]];
  else node[path[path.length - 1]] = value;
  return copy;
};

/** A number written as this exact text in the JSON body (see `json` in malformedRequest). */
const raw = (text: string): string => `\u0001raw:${text}`;

/** Values that are never of the field's type (null only where the field is required and not nullable). */
function wrongValue(schema: Schema, required: boolean): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.constant({ nested: [[{ deeper: [1, 'two', null] }]] }), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }));
  const nullIfWrong = required && !schema.nullable ? [fc.constant(null)] : [];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.string({ maxLength: 5 }),
        fc.boolean(),
        junk,
        ...nullIfWrong,
        fc.constant(1e308),
        fc.constant(-1e308),
        fc.constant((schema.maximum ?? 1e9) + 1),
        fc.constant(-1),
        // Written as they are on the wire: JSON.parse reads the first as 2^53 and the second as Infinity.
        fc.constantFrom(raw('9007199254740993'), raw('1e400')),
        ...(schema.type === 'integer' ? [fc.constant(1.5)] : [fc.constant(0.0001)]),
      );
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'false', 1, 0), junk, ...nullIfWrong);
    case 'array':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant({ not: 'an array' }), fc.constant(Array.from({ length: (schema.maxItems ?? 100) + 1 }, () => 'nvidia-h20')), ...nullIfWrong);
    case 'object':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(['an', 'array']), ...nullIfWrong);
    default:
      return fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        junk,
        ...nullIfWrong,
        ...(schema.maxLength !== undefined ? [fc.integer({ min: 1, max: 5_000 }).map((extra) => 'x'.repeat((schema.maxLength ?? 0) + extra))] : []),
        ...(schema.enum ? [fc.constant('not-one-of-them')] : []),
      );
  }
}

/** One malformed request for an operation whose body has `schema` (null: it takes none). */
function malformedRequest(schema: Schema | null, resolve: (s: Schema) => Schema): fc.Arbitrary<Malformed> {
  const base = schema ? exampleOf(schema, resolve) : {};
  const fields = schema ? fieldsOf(schema, resolve) : [];
  const json = (kind: string, body: unknown, field: string | null): Malformed => ({
    kind,
    contentType: 'application/json',
    body: JSON.stringify(body).replace(/"\\u0001raw:([^"]+)"/g, '$1'),
    field,
  });
  const anyField = fields.length > 0 ? fc.constantFrom(...fields) : null;
  const objectPaths = [[], ...fields.filter((f) => f.schema.properties).map((f) => f.path)];

  const kinds: fc.Arbitrary<Malformed>[] = [
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', null).map((contentType) => ({
      kind: 'content type',
      contentType,
      body: contentType === 'application/x-www-form-urlencoded' ? 'quantity=1&modelId=nvidia-h20' : JSON.stringify(base),
      field: 'Content-Type',
    })),
    fc
      .constantFrom((t: string) => t.slice(0, Math.max(1, t.length - 1)), (t: string) => `${t},`, (t: string) => t.replace(/"/g, "'"), (t: string) => `${t} // note`, () => '{"quantity": NaN}', () => '')
      .map((breakIt) => ({ kind: 'invalid JSON', contentType: 'application/json', body: breakIt(JSON.stringify(base)) || '{', field: 'body' })),
    fc.constantFrom([base], 'a string', 42, null, true).map((whole) => json('not an object', whole, 'body')),
    fc.integer({ min: MAX_BODY_BYTES + 1, max: 3 * MAX_BODY_BYTES }).map((size) => json('oversized', { ...(base as object), pad: 'x'.repeat(size) }, 'body')),
    fc.tuple(fc.integer({ min: 33, max: 50_000 }), fc.boolean()).map(([depth, withIdempotencyKey]) => ({
      // Inside a field of a valid body: the text checks, the validation and the idempotency fingerprint all recurse.
      kind: 'too deep',
      contentType: 'application/json',
      body: JSON.stringify(base).replace(/}$/, `${JSON.stringify(base) === '{}' ? '' : ','}"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`),
      field: 'body',
      headers: withIdempotencyKey ? { 'Idempotency-Key': `fuzz-deep-${depth}` } : undefined,
    })),
    fc
      .tuple(fc.constantFrom(...objectPaths), fc.constantFrom('__proto__', 'constructor', 'prototype'))
      .map(([path, key]) => {
        // Built as text: a `__proto__` key in an object literal would set its prototype, not a field.
        const body = setAt(base, [...path, 'reservedMarker'], { isAdmin: true });
        const name = [...path, key].reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
        return { kind: 'reserved key', contentType: 'application/json', body: JSON.stringify(body).replace('"reservedMarker"', JSON.stringify(key)), field: name };
      }),
    fc
      .tuple(fc.constantFrom(...objectPaths), fc.stringMatching(/^[a-z][A-Za-z0-9]{0,20}$/), fc.jsonValue({ maxDepth: 3 }), fc.boolean())
      .map(([path, name, value, withIdempotencyKey]) => {
        const extra = `zz${name}`;
        const field = [...path, extra].reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
        return { ...json('extra field', setAt(base, [...path, extra], value ?? 1), field), headers: withIdempotencyKey ? { 'Idempotency-Key': `fuzz-${name}` } : undefined };
      }),
  ];
  if (anyField) {
    kinds.push(anyField.chain((f) => wrongValue(f.schema, f.required).map((value) => json('wrong type or bound', setAt(base, f.path, value), f.name))));
    const required = fields.filter((f) => f.required);
    if (required.length > 0) kinds.push(fc.constantFrom(...required).map((f) => json('missing field', setAt(base, f.path, undefined), f.name)));
  }
  return fc.oneof(...kinds);
}
