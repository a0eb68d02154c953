import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { quoteIdentifier } from './names';

/** One transaction, as TypeORM sees it and as the pg connection under it. */
export interface Transaction {
  /** Repositories and query builders bound to this transaction. */
  readonly manager: EntityManager;
  /**
   * The transaction's own connection, for set-based statements that TypeORM has no builder for (a multi-row upsert
   * from one jsonb parameter) and for sending several statements before awaiting the first.
   */
  readonly client: PoolClient;
  /** TypeORM's query runner holding the transaction (to run migrations in it, `runMigrations(…, runner)`). */
  readonly runner: QueryRunner;
}

export interface TransactionOptions {
  readonly isolation?: IsolationLevel;
  /**
   * The schema unqualified names resolve to for the transaction (`SET LOCAL search_path`): a generation's schema,
   * whose tables the read model's entities name without a schema.
   */
  readonly schema?: string;
}

/** The pg connection a query runner holds (connecting it if it has not yet). */
export async function connectionOf(runner: QueryRunner): Promise<PoolClient> {
  return (await runner.connect()) as PoolClient;
}

/** Points unqualified names at `schema` until the transaction ends. */
export async function useSchema(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
}

/**
 * Runs `work` in one transaction (TypeORM's, so repositories used inside it join it): committed when it returns,
 * rolled back when it throws.
 */
export function withTransaction<T>(dataSource: DataSource, work: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return dataSource.transaction(options.isolation ?? 'READ COMMITTED', async (manager) => {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('TypeORM gave a transaction without a query runner');
    if (options.schema !== undefined) await useSchema(runner, options.schema);
    return work({ manager, runner, client: await connectionOf(runner) });
  });
}
