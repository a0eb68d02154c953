// The migrate command's work, loaded only when it runs (the event store, the engine and every read model's entities).
import { EVENT_STORE_ENTITIES, eventStoreMigrationScope, migrateEventStore } from '@chip-ledger/event-store';
import { LEDGER_CONTEXTS } from '@chip-ledger/messaging';
import { migrationStatus, openDatabase, type MigrationScope } from '@chip-ledger/persistence';
import { GenerationRegistry, generationMigrationScope, registryMigrationScope, REGISTRY_SCHEMA, type Projection } from '@chip-ledger/projection';
import { READ_MODEL_ENTITIES, READ_MODELS } from '@chip-ledger/read-models';
import type { DataSource } from 'typeorm';
import { UsageError } from '../lib/errors';
import { renderTable } from '../lib/table';

export interface MigrateOptions {
  databaseUrl?: string;
  json?: boolean;
}

/** One schema's migrations: what it is, and which of its migrations are recorded as applied. */
export interface ScopeStatus {
  readonly scope: string;
  readonly schema: string;
  readonly applied: readonly string[];
  readonly pending: readonly string[];
}

/**
 * Every schema the services migrate at start-up, by the same TypeORM migrations (ADR 0024): each context's event store,
 * the projection registry, and every live (active or building) generation of every read model, found in the registry.
 */
async function scopes(dataSource: DataSource): Promise<{ label: string; scope: MigrationScope; unborn?: boolean }[]> {
  const all: { label: string; scope: MigrationScope; unborn?: boolean }[] = [
    ...LEDGER_CONTEXTS.map((context) => ({ label: `event store ${context}`, scope: eventStoreMigrationScope(context) })),
    { label: 'projection registry', scope: registryMigrationScope() },
  ];
  const projections = new Map<string, Projection>(READ_MODELS.map((factory) => factory()).map((projection) => [projection.name, projection]));
  const [{ present }] = (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${REGISTRY_SCHEMA}.generations`])) as { present: boolean }[];
  const live = !present ? [] : ((await dataSource.query(
    `SELECT projection, generation, schema_name, state FROM ${REGISTRY_SCHEMA}.generations WHERE state IN ('active', 'building') ORDER BY projection, generation`,
      )) as { projection: string; generation: number; schema_name: string; state: string }[]);
  for (const row of live) {
    const projection = projections.get(row.projection);
    // A read model this version no longer has: its tables are no one's to migrate.
    if (projection) all.push({ label: `${row.projection} generation ${row.generation} (${row.state})`, scope: generationMigrationScope(row.schema_name, projection) });
  }
  // A read model with no generation yet: its first one gets every migration of a generation (by `run`, or the
  // projector's first start).
  for (const [name, projection] of projections) {
    if (!live.some((row) => row.projection === name)) all.push({ label: `${name} (no generation yet)`, scope: generationMigrationScope('none', projection), unborn: true });
  }
  return all;
}

async function status(dataSource: DataSource): Promise<ScopeStatus[]> {
  const out: ScopeStatus[] = [];
  for (const { label, scope, unborn } of await scopes(dataSource)) {
    if (unborn) {
      out.push({ scope: label, schema: '', applied: [], pending: scope.migrations.map((m) => m.name ?? m.constructor.name) });
      continue;
    }
    const states = await migrationStatus(dataSource, scope);
    out.push({ scope: label, schema: scope.schema, applied: states.filter((s) => s.applied).map((s) => s.name), pending: states.filter((s) => !s.applied).map((s) => s.name) });
  }
  return out;
}

/**
 * What a service does at start-up, for every schema at once: each event store's migrations, the registry's, then every
 * read model's live generations (its first one created, with its tables and seed, when it has none yet).
 */
async function run(dataSource: DataSource): Promise<void> {
  for (const context of LEDGER_CONTEXTS) await migrateEventStore(dataSource, context);
  const registry = new GenerationRegistry(dataSource);
  await registry.migrate();
  for (const factory of READ_MODELS) await registry.ensureActive(factory());
}

const print = (rows: readonly ScopeStatus[], json: boolean | undefined, title: string): void => {
  if (json) {
    console.log(JSON.stringify(rows));
    return;
  }
  console.log(title);
  console.log(renderTable(['scope', 'schema', 'applied', 'pending'], rows.map((r) => [r.scope, r.schema, r.applied.length, r.pending.length === 0 ? 'none' : r.pending.join(', ')])));
};

async function withDatabase<T>(options: MigrateOptions, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const url = options.databaseUrl ?? process.env['DATABASE_URL'];
  if (!url) throw new UsageError('no database: pass --database-url or set DATABASE_URL');
  // The entities the services' DataSource knows: a new generation's seed writes through them.
  const database = await openDatabase({ url, poolSize: 2, applicationName: 'chip-ledger-cli-migrate', entities: [...EVENT_STORE_ENTITIES, ...READ_MODEL_ENTITIES] });
  try {
    return await work(database.dataSource);
  } finally {
    await database.close();
  }
}

/** `migrate status`: which migrations each scope has applied and which are pending. */
export async function migrateStatus(options: MigrateOptions): Promise<void> {
  const rows = await withDatabase(options, status);
  print(rows, options.json, rows.some((r) => r.pending.length > 0) ? 'Pending migrations:' : 'Every schema is up to date.');
}

/** `migrate run`: apply what is pending, then show what was applied; exit code 1 if anything is still pending. */
export async function migrateRun(options: MigrateOptions): Promise<void> {
  const rows = await withDatabase(options, async (dataSource) => {
    const before = await status(dataSource);
    await run(dataSource);
    const after = await status(dataSource);
    return after.map((r) => ({ ...r, newlyApplied: r.applied.filter((name) => !before.find((b) => b.schema === r.schema)?.applied.includes(name)) }));
  });
  if (options.json) console.log(JSON.stringify(rows));
  else {
    console.log(renderTable(['scope', 'schema', 'applied now', 'pending'], rows.map((r) => [r.scope, r.schema, r.newlyApplied.length === 0 ? 'none' : r.newlyApplied.join(', '), r.pending.length === 0 ? 'none' : r.pending.join(', ')])));
  }
  if (rows.some((r) => r.pending.length > 0)) process.exitCode = 1;
}
