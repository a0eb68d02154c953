import { openDatabase, type Database } from '@chip-ledger/persistence';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { migrateEventStore } from '../postgres/migrations';
import { PostgresEventStore } from '../postgres/postgres-event-store';

/** A database of the test file's own, the process's one pool on it, and (unless `schema: null`) a migrated store. */
export interface StoreTestBed {
  readonly database: TestDatabase;
  readonly db: Database;
  readonly pool: Pool;
  /** The migrated store in `schema` (default `procurement`); not there with `schema: null`. */
  readonly store: PostgresEventStore;
}

/**
 * Registers the file's `beforeAll`/`afterAll` and answers the bed they fill: every integration test of the store
 * starts the same way (its own database, `openDatabase`, a migrated store) and ends the same way (pool closed first,
 * then the database dropped, so the drop does not end live sessions).
 */
export function useStoreTestBed(label: string, options: { poolSize?: number; schema?: string | null } = {}): StoreTestBed {
  const bed = {} as { -readonly [K in keyof StoreTestBed]: StoreTestBed[K] };
  beforeAll(async () => {
    bed.database = await createTestDatabase(label);
    bed.db = await openDatabase({ url: bed.database.url, poolSize: options.poolSize ?? 4 });
    bed.pool = bed.db.pool;
    const schema = options.schema === undefined ? 'procurement' : options.schema;
    if (schema !== null) {
      bed.store = new PostgresEventStore(bed.pool, schema);
      await migrateEventStore(bed.db.dataSource, schema);
    }
  });
  afterAll(async () => {
    await bed.db?.close();
    await bed.database?.drop();
  });
  return bed;
}
