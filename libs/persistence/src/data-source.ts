import { Client, type ClientConfig, type Pool } from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';

export interface DatabaseOptions {
  /** postgres://… */
  readonly url: string;
  /** Shown in pg_stat_activity: which service holds a connection (default chip-ledger). */
  readonly applicationName?: string;
  /** The process's one pool: every store, relay, projection and query shares it. */
  readonly poolSize?: number;
  /** The TypeORM entities the process reads and writes (read models, the event store's tables, the engine's). */
  readonly entities?: MixedList<Function | string | EntitySchema>; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  /**
   * An error of a connection while it is checked out (the server restarted, the network dropped it). The query in
   * flight fails with it anyway; without a listener the socket's 'error' would throw out of the event loop and end
   * the process. Default: ignored (the caller sees the failed query).
   */
  readonly onConnectionError?: (error: Error) => void;
  /** Called with every connection the pool creates, from its first statement on (tools instrument them). */
  readonly onClient?: (client: Client) => void;
}

/**
 * A pg client that always has an 'error' listener, from the moment it is created: a client the pool hands out (to the
 * event store's raw SQL or to a TypeORM query runner) can lose its server at any time, idle or not.
 */
const guardedClient = (onError: (error: Error) => void, onClient?: (client: Client) => void): typeof Client =>
  class GuardedClient extends Client {
    constructor(config?: string | ClientConfig) {
      super(config);
      this.on('error', onError);
      onClient?.(this);
    }
  };

/**
 * The options of the process's one TypeORM DataSource (ADR 0024): migrations are committed files run per schema by
 * `runMigrations` (never `synchronize`), and the pg pool TypeORM creates is the only pool of the process.
 */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  const postgres: PostgresDataSourceOptions = {
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName ?? 'chip-ledger',
    poolSize: options.poolSize ?? 24,
    entities: options.entities ?? [],
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Idle clients: pg-pool re-emits their errors on the pool, and an 'error' without a listener throws.
    poolErrorHandler: () => undefined,
    extra: { keepAlive: true, Client: guardedClient(options.onConnectionError ?? (() => undefined), options.onClient) },
  };
  return postgres;
}

/** A connected DataSource (tests, tools, the CLI; services get theirs from @nestjs/typeorm with the same options). */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  return new DataSource(dataSourceOptions(options)).initialize();
}

/**
 * The pg pool inside a connected DataSource, for the parts that run raw SQL on it (the event store's append function,
 * the relay's commit-safe reads, the projection engine's batch statements): the same connections TypeORM uses.
 */
export function poolOf(dataSource: DataSource): Pool {
  const master = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!dataSource.isInitialized || master === undefined) throw new Error('The DataSource is not connected (initialize it first)');
  return master;
}

/** A connected DataSource and its pool, for code that holds both (tests, tools, the CLI). */
export interface Database {
  readonly dataSource: DataSource;
  readonly pool: Pool;
  /** Ends every connection. */
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const dataSource = await openDataSource(options);
  return { dataSource, pool: poolOf(dataSource), close: () => dataSource.destroy() };
}
