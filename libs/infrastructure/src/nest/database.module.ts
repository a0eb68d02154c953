import { type DynamicModule, Global, Logger, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EVENT_STORE_ENTITIES, LEDGER_HEADS, migrateEventStore, PostgresEventStore, PostgresLedgerHeads } from '@chip-ledger/event-store';
import { LEDGER_CONTEXTS } from '@chip-ledger/messaging';
import { dataSourceOptions, poolOf } from '@chip-ledger/persistence';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { SERVICE_METRICS } from '../metrics/metrics.module';

/**
 * Injection token of the service's `pg` pool: the TypeORM DataSource's own (one pool per process, ADR 0024), for
 * the parts that run raw SQL on it (the event stores, the relays, the auditors' ledger reads, the health probe).
 */
export const PG_POOL = Symbol.for('chip-ledger.PgPool');

/**
 * The process's database: one TypeORM DataSource from DATABASE_URL (or the embedded server's URL), through
 * @nestjs/typeorm (which closes it at shutdown), every entity a feature module registers with
 * `TypeOrmModule.forFeature`, its pool as PG_POOL, and the ledger heads read through it.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: { url: string; poolSize?: number; applicationName: string }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions({
              url: options.url,
              applicationName: options.applicationName,
              poolSize: options.poolSize ?? 24,
              entities: [...EVENT_STORE_ENTITIES],
              onConnectionError: connectionErrorLog(),
            }),
            autoLoadEntities: true,
            // A database still starting (compose, a restart) is waited for ~10 s; then start-up fails with its error.
            retryAttempts: 10,
            retryDelay: 1_000,
          }),
        }),
      ],
      providers: [
        { provide: PG_POOL, inject: [DataSource], useFactory: (dataSource: DataSource) => poolOf(dataSource) },
        // Every context's store lives in this database (one schema each): a write's read-your-writes token is their heads (ADR 0019).
        { provide: LEDGER_HEADS, inject: [PG_POOL], useFactory: (pool: Pool) => new PostgresLedgerHeads(pool, LEDGER_CONTEXTS) },
      ],
      exports: [PG_POOL, LEDGER_HEADS],
    };
  }
}

/** A restart ends every connection at once: one line per 10 s says so without flooding the log. */
function connectionErrorLog(): (error: Error) => void {
  const logger = new Logger('Database');
  let last = 0;
  return (error) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    logger.warn(`PostgreSQL ended a connection (the pool opens new ones as needed): ${error.message}`);
  };
}

/**
 * A context's event store (its own schema), migrated before the app serves: its TypeORM migrations run at start-up,
 * never `synchronize`. Its appends are counted in the service's metrics (GET /metrics).
 */
export function eventStoreProvider(token: symbol | string, schema: string): Provider {
  return {
    provide: token,
    inject: [DataSource, PG_POOL, { token: SERVICE_METRICS, optional: true }],
    useFactory: async (dataSource: DataSource, pool: Pool, metrics?: ServiceMetrics) => {
      await migrateEventStore(dataSource, schema);
      const store = new PostgresEventStore(pool, schema);
      metrics?.watchEventStore(store);
      return store;
    },
  };
}
