import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createEventStorePool, LEDGER_HEADS, PostgresEventStore, PostgresLedgerHeads } from '@chip-ledger/event-store';
import { LEDGER_CONTEXTS } from '@chip-ledger/messaging';
import type { Pool } from 'pg';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { SERVICE_METRICS } from '../metrics/metrics.module';

/** Injection token of the service's `pg` pool (one per process, shared by every store schema). */
export const PG_POOL = Symbol.for('chip-ledger.PgPool');

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** The PostgreSQL connection pool, from DATABASE_URL (or the embedded server's URL), and the ledger heads read through it. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: { url: string; poolSize?: number; applicationName: string }): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PG_POOL, useFactory: () => createEventStorePool({ connectionString: options.url, max: options.poolSize ?? 24, applicationName: options.applicationName }) },
        PoolCloser,
        // Every context's store lives in this database (one schema each): a write's read-your-writes token is their heads (ADR 0019).
        { provide: LEDGER_HEADS, inject: [PG_POOL], useFactory: (pool: Pool) => new PostgresLedgerHeads(pool, LEDGER_CONTEXTS) },
      ],
      exports: [PG_POOL, LEDGER_HEADS],
    };
  }
}

/**
 * A context's event store (its own schema), migrated before the app serves: migrations run at start-up,
 * never `synchronize`. Its appends are counted in the service's metrics (GET /metrics).
 */
export function eventStoreProvider(token: symbol | string, schema: string): Provider {
  return {
    provide: token,
    inject: [PG_POOL, { token: SERVICE_METRICS, optional: true }],
    useFactory: async (pool: Pool, metrics?: ServiceMetrics) => {
      const store = new PostgresEventStore(pool, schema);
      await store.migrate();
      metrics?.watchEventStore(store);
      return store;
    },
  };
}
