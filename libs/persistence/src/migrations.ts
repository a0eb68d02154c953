import { Migration, MigrationExecutor, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { qualifiedName, quoteIdentifier } from './names';
import { useSchema, withTransaction } from './transaction';

/**
 * A set of TypeORM migrations applied to one schema and recorded in that schema's own `migrations` table: an event
 * store's context schema, the projection registry, a generation's schema (the engine's tables and its read model's).
 * The same migration classes serve every schema of their kind, so a blue/green rebuild's new schema gets exactly the
 * tables the active one has (ADR 0024).
 */
export interface MigrationScope {
  readonly schema: string;
  /** In any order (TypeORM orders them by the timestamp their name ends with). Names must be unique in the scope. */
  readonly migrations: readonly MigrationInterface[];
  /**
   * The record of the hand-written migrator TypeORM replaced: when the scope has no `migrations` table yet but has
   * this one, the ids it lists are recorded as run under their TypeORM names (not run again) and the table is dropped.
   */
  readonly adopt?: { readonly table: string; readonly names: Readonly<Record<string, string>> };
}

export interface MigrationReport {
  readonly schema: string;
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

export interface MigrationState {
  readonly name: string;
  readonly applied: boolean;
}

/** Thrown when a scope's record names migrations this code does not have (a newer version wrote to the database). */
export class UnknownMigrationsError extends Error {
  constructor(
    readonly schema: string,
    readonly names: readonly string[],
  ) {
    super(`Schema ${schema} has migrations this version does not know (${names.join(', ')}): it was migrated by a newer version`);
    this.name = 'UnknownMigrationsError';
  }
}

const MIGRATIONS_TABLE = 'migrations';

/** TypeORM's executor, pointed at the scope's schema and migrations instead of the DataSource's global ones. */
class ScopedMigrationExecutor extends MigrationExecutor {
  constructor(
    dataSource: DataSource,
    runner: QueryRunner,
    private readonly scope: MigrationScope,
  ) {
    super(dataSource, runner);
    // Where the executor keeps its record: private in TypeORM's typings, set in its constructor from the DataSource's
    // single schema; one DataSource (one pool) serves every scope here, so each executor gets its own.
    Object.assign(this, {
      migrationsSchema: scope.schema,
      migrationsTableName: MIGRATIONS_TABLE,
      migrationsTable: dataSource.driver.buildTableName(MIGRATIONS_TABLE, scope.schema),
    });
    this.transaction = 'all';
  }

  protected override getMigrations(): Migration[] {
    const migrations = this.scope.migrations.map((instance) => {
      const name = instance.name ?? instance.constructor.name;
      const timestamp = Number.parseInt(name.slice(-13), 10);
      if (!Number.isSafeInteger(timestamp)) throw new Error(`Migration ${name} must end with a 13-digit timestamp`);
      return new Migration(undefined, timestamp, name, instance);
    });
    this.checkForDuplicateMigrations(migrations);
    return migrations.sort((a, b) => a.timestamp - b.timestamp || a.name.localeCompare(b.name));
  }

  async known(): Promise<Migration[]> {
    return this.getMigrations();
  }

  async adopt(runner: QueryRunner, legacyIds: readonly string[], names: Readonly<Record<string, string>>): Promise<void> {
    await this.createMigrationsTableIfNotExist(runner);
    const byName = new Map(this.getMigrations().map((m) => [m.name, m]));
    for (const id of legacyIds) {
      const migration = byName.get(names[id] ?? '');
      if (!migration) throw new Error(`Schema ${this.scope.schema}: legacy migration ${id} has no TypeORM migration to adopt it`);
      await this.insertExecutedMigration(runner, migration);
    }
  }
}

/**
 * Applies the scope's pending migrations in one transaction, under an advisory lock keyed by the schema: services
 * starting together wait for each other instead of racing on CREATE TABLE, and a failure leaves nothing half done.
 * Unqualified names in a migration resolve to the scope's schema (search_path). `within`: a query runner whose
 * transaction the migrations join (e.g. the projection registry's, creating a generation and its schema at once);
 * the search path then stays on the scope's schema until that transaction ends.
 */
export async function runMigrations(dataSource: DataSource, scope: MigrationScope, within?: QueryRunner): Promise<MigrationReport> {
  if (within) {
    if (!within.isTransactionActive) throw new Error('runMigrations: the query runner given has no transaction');
    return migrateIn(dataSource, within, scope);
  }
  return withTransaction(dataSource, ({ runner }) => migrateIn(dataSource, runner, scope));
}

async function migrateIn(dataSource: DataSource, runner: QueryRunner, scope: MigrationScope): Promise<MigrationReport> {
  await runner.query(`SELECT pg_advisory_xact_lock(hashtext('chip-ledger.migrate'), hashtext($1))`, [scope.schema]);
  await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(scope.schema)}`);
  await useSchema(runner, scope.schema);
  const executor = new ScopedMigrationExecutor(dataSource, runner, scope);
  await adoptLegacyRecord(runner, executor, scope);
  const before = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
  const known = new Set((await executor.known()).map((m) => m.name));
  const unknown = [...before].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UnknownMigrationsError(scope.schema, unknown);
  const applied = await executor.executePendingMigrations();
  return { schema: scope.schema, applied: applied.map((m) => m.name), alreadyApplied: [...known].filter((name) => before.has(name)) };
}

/** Which of the scope's migrations its schema has recorded (nothing is changed). */
export async function migrationStatus(dataSource: DataSource, scope: MigrationScope): Promise<MigrationState[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const executor = new ScopedMigrationExecutor(dataSource, runner, scope);
    const recorded = await runner.hasTable(dataSource.driver.buildTableName(MIGRATIONS_TABLE, scope.schema));
    const applied = new Set(recorded ? (await executor.getExecutedMigrations()).map((m) => m.name) : []);
    if (!recorded && scope.adopt) {
      const legacy = await legacyIds(runner, scope.schema, scope.adopt.table);
      for (const id of legacy ?? []) applied.add(scope.adopt.names[id] ?? id);
    }
    return (await executor.known()).map((m) => ({ name: m.name, applied: applied.has(m.name) }));
  } finally {
    await runner.release();
  }
}

async function legacyIds(runner: QueryRunner, schema: string, table: string): Promise<string[] | null> {
  const [{ present }] = (await runner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [qualifiedName(schema, table)])) as { present: boolean }[];
  if (!present) return null;
  const rows = (await runner.query(`SELECT id FROM ${qualifiedName(schema, table)} ORDER BY id`)) as { id: string }[];
  return rows.map((r) => r.id);
}

async function adoptLegacyRecord(runner: QueryRunner, executor: ScopedMigrationExecutor, scope: MigrationScope): Promise<void> {
  if (!scope.adopt) return;
  if (await runner.hasTable(runner.connection.driver.buildTableName(MIGRATIONS_TABLE, scope.schema))) return;
  const ids = await legacyIds(runner, scope.schema, scope.adopt.table);
  if (ids === null) return;
  await executor.adopt(runner, ids, scope.adopt.names);
  await runner.query(`DROP TABLE ${qualifiedName(scope.schema, scope.adopt.table)}`);
}
