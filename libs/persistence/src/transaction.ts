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
  /** Default: the database's (READ COMMITTED). */
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
 * rolled back when it throws. The one place that begins, commits and rolls back: a connection whose rollback failed
 * (it went away mid-transaction) is destroyed rather than handed back to the pool for the next caller.
 */
export async function withTransaction<T>(dataSource: DataSource, work: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const runner = dataSource.createQueryRunner();
  let broken: Error | undefined;
  try {
    const client = await connectionOf(runner);
    // PostgreSQL's default is READ COMMITTED: naming no level saves the projector's batches a SET TRANSACTION round trip.
    await (options.isolation ? runner.startTransaction(options.isolation) : runner.startTransaction());
    if (options.schema !== undefined) await useSchema(runner, options.schema);
    const result = await work({ manager: runner.manager, runner, client });
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) {
      await runner.rollbackTransaction().catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    }
    throw error;
  } finally {
    if (broken) await (runner as unknown as { releasePostgresConnection(err: Error): Promise<void> }).releasePostgresConnection(broken);
    else await runner.release();
  }
}
