import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, startTestApp, type TestDatabase } from '@chip-ledger/testing';
import request from 'supertest';
import { standaloneOpenApiDocument } from './openapi-document';
import { StandaloneModule } from './standalone.module';

/*
 * The OpenAPI document a client generator gets: the one GET /openapi.json serves (the real app on a real
 * PostgreSQL) is the one `npm run lint:openapi` lints; Redocly's linter finds no error in it; and the client
 * openapi-typescript generates from it typechecks, with response types that are the read models' own types
 * (checked both ways) and request types that refuse what the API refuses.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const WORK = path.join(ROOT, 'tmp', 'openapi-client');
const SERVED = path.join(ROOT, 'tmp', 'openapi-served.json');
/** Redocly, the generator and tsc are separate processes; on a loaded 2-core CI machine they took up to ~50 s together. */
const TOOL_TIMEOUT_MS = 180_000;

const run = (command: string, args: string[], cwd = ROOT) => {
  const result = spawnSync(process.execPath, [path.join(ROOT, command), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeout: TOOL_TIMEOUT_MS,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
};

describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let served: { paths: Record<string, Record<string, Record<string, unknown>>>; components: unknown };

  beforeAll(async () => {
    database = await createTestDatabase('standalone_openapi');
    ({ app } = await startTestApp((config) => StandaloneModule.forRoot({ ...config, databaseUrl: database.url }), { DATABASE_URL: database.url }));
    served = (await request(app.getHttpServer()).get('/openapi.json').expect(200)).body;
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    writeFileSync(SERVED, JSON.stringify(served, null, 2));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('served by the running app is the one the lint builds without a database', async () => {
    const built = await standaloneOpenApiDocument();
    expect(served.paths).toEqual(built.paths);
    expect(served.components).toEqual(built.components);
  });

  it('describes every operation with an id, a summary and its roles; the public ones as public', () => {
    const operations = Object.entries(served.paths).flatMap(([p, item]) =>
      Object.entries(item).map(([method, operation]): Record<string, unknown> & { at: string } => ({ at: `${method.toUpperCase()} ${p}`, ...operation })),
    );
    expect(operations.length).toBeGreaterThan(35);
    const isPublic = (operation: Record<string, unknown>) => Array.isArray(operation['security']) && operation['security'].length === 0;
    for (const operation of operations) {
      expect({ at: operation.at, id: typeof operation['operationId'], summary: typeof operation['summary'] }).toEqual({ at: operation.at, id: 'string', summary: 'string' });
      if (isPublic(operation)) continue;
      expect({ at: operation.at, roles: Array.isArray(operation['x-roles']) }).toEqual({ at: operation.at, roles: true });
    }
    // Public means no token: the service's health and liveness, its metrics (unless METRICS_TOKEN guards them) and the
    // embedded form's development sign-in (which answers 404 under a real JWT secret).
    expect(operations.filter(isPublic).map((o) => o.at).sort()).toEqual(['GET /dev/sign-in', 'GET /health', 'GET /health/live', 'GET /metrics', 'POST /dev/sign-in']);
    expect(served.paths['/health']['get']['security']).toEqual([]);
    expect(served.paths['/organisations']['post']['x-roles']).toEqual(['admin']);
  });

  it('passes Redocly lint with no error', () => {
    const { status, output } = run('node_modules/@redocly/cli/bin/cli.js', ['lint', '--config', 'redocly.yaml', path.relative(ROOT, SERVED)]);
    expect({ status, output: status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
  }, TOOL_TIMEOUT_MS);

  it('generates a typed client (openapi-typescript) that typechecks against the read models and the request rules', () => {
    // From its own folder: the generator would otherwise apply redocly.yaml without its ignore file (the lint is the test above).
    const generated = run('node_modules/openapi-typescript/bin/cli.js', [SERVED, '--output', path.join(WORK, 'openapi.ts')], WORK);
    expect({ status: generated.status, output: generated.status === 0 ? '' : generated.output }).toEqual({ status: 0, output: '' });
    writeFileSync(path.join(WORK, 'client.ts'), CLIENT);
    writeFileSync(
      path.join(WORK, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'], lib: ['ES2022', 'DOM'] }, files: ['client.ts'] }),
    );
    const typecheck = run('node_modules/typescript/bin/tsc', ['-p', path.relative(ROOT, path.join(WORK, 'tsconfig.json'))]);
    expect({ status: typecheck.status, output: typecheck.status === 0 ? '' : typecheck.output }).toEqual({ status: 0, output: '' });
  }, TOOL_TIMEOUT_MS);
});

/** The client a user would write on the generated types, and what it must and must not accept. */
const CLIENT = `
import type { components, paths } from './openapi';
import type { ChipMixLine, DataCenterFacts } from '../../libs/read-models/src/chip-mix/chip-mix.queries';
import type { FindingView } from '../../libs/read-models/src/findings/findings.queries';
import type { FleetMixRow } from '../../libs/read-models/src/fleet-mix/fleet-mix.queries';
import type { LicenceBalance } from '../../libs/read-models/src/licence-balances/licence-balances.queries';
import type { RentalView } from '../../libs/read-models/src/rentals/rentals.queries';

type Schemas = components['schemas'];
type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
/** Compiles only when A and B accept the same values (no field missing, none extra, same nullability). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends { responses: infer R }
  ? S extends keyof R ? R[S] extends { content: { 'application/json': infer B } } ? B : never : never
  : never;

// GET responses are the read models' own shapes, both ways.
same<Json<'/findings', 'get', 200>['items'][number], Mutable<FindingView & { links: { evidence: string[] } }>>(true);
same<Json<'/findings/{findingId}', 'get', 200>, Mutable<FindingView & { links: { evidence: string[] } }>>(true);
same<Json<'/data-centers', 'get', 200>['items'][number], Mutable<DataCenterFacts>>(true);
same<Json<'/data-centers/{dataCenterId}', 'get', 200>, Mutable<DataCenterFacts & { chipMix: ChipMixLine[]; openFindings: (FindingView & { links: { evidence: string[] } })[] }>>(true);
same<Json<'/data-centers/{dataCenterId}/chip-mix', 'get', 200>['items'][number], Mutable<ChipMixLine>>(true);
same<Json<'/fleet-mix', 'get', 200>['items'][number], Mutable<FleetMixRow>>(true);
same<Json<'/export-licences/{licenceId}/balance', 'get', 200>, Mutable<LicenceBalance>>(true);
same<Json<'/rentals', 'get', 200>['items'][number], Mutable<RentalView>>(true);
same<Json<'/rentals', 'get', 200>['nextCursor'], string | null>(true);

// Every error answer is the one Problem, as application/problem+json.
type Problem = Schemas['Problem'];
same<paths['/findings']['get']['responses'][503]['content']['application/problem+json'], Problem>(true);
same<paths['/transfers']['post']['responses'][413]['content']['application/problem+json'], Problem>(true);
const code: string = ({} as Problem).code;
const field: string | null | undefined = ({} as Problem).field;

// The read-your-writes header is optional; the write headers too.
const noHeaders: NonNullable<paths['/findings']['get']['parameters']['header']> = {};
const noWriteHeaders: NonNullable<paths['/transfers']['post']['parameters']['header']> = {};

// Requests: money is a decimal string, optional text may be null, counts are numbers.
const remittance: Schemas['RecordRemittanceRequest'] = { deliveryIds: ['del-2025-0301-h20'], amountUsd: '1250000.00', reference: 'TREAS-2025-11-001' };
// @ts-expect-error a JSON number is not an amount
const numericAmount: Schemas['RecordRemittanceRequest'] = { deliveryIds: ['d'], amountUsd: 1250000, reference: 'r' };
const transfer: Schemas['RecordTransferRequest'] = { transferId: 't', modelId: 'nvidia-h200', quantity: 64, fromDataCenterId: 'a', toDataCenterId: 'b', permitReference: null };
// @ts-expect-error a quantity is a number
const textQuantity: Schemas['RecordInstallationRequest'] = { modelId: 'nvidia-h20', quantity: '512' };
// @ts-expect-error a removal names its reason from the enum
const badReason: Schemas['RecordRemovalRequest'] = { modelId: 'nvidia-h20', quantity: 1, reason: 'lost' };
same<Schemas['FigureDto']['value'], number | null>(true);

/** A minimal typed client over fetch: the path, the body and the answer all come from the document. */
type PostPath = { [P in keyof paths]: paths[P] extends { post: { requestBody?: { content: { 'application/json': unknown } } } } ? P : never }[keyof paths];
type BodyOf<P extends PostPath> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;
type CreatedOf<P extends PostPath> = paths[P] extends { post: { responses: { 201: { content: { 'application/json': infer R } } } } } ? R : never;

export async function post<P extends PostPath>(base: string, path: P, token: string, body: BodyOf<P>): Promise<CreatedOf<P> | Problem> {
  const response = await fetch(base + path, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as CreatedOf<P> | Problem;
}

export async function example(base: string, token: string): Promise<string | null> {
  const created = await post(base, '/export-licences/{licenceId}/remittances', token, remittance);
  return 'position' in created ? created.position : created.code;
}

export const used = [code, field, noHeaders, noWriteHeaders, numericAmount, transfer, textQuantity, badReason];
`;
