import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { chipStockDecider, EVENT_SCHEMA_VERSIONS, foldEvents, streamIds, upcastEvent, type ChipStockEvent, type Recorded } from '@chip-ledger/domain';
import { PostgresEventStore, migrateEventStore } from '@chip-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { StreamStateCache } from './stream-state-cache';

describe('StreamStateCache (real PostgreSQL store)', () => {
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;
  let store: PostgresEventStore;
  const streamId = streamIds.chipStock('dc-1', 'nvidia-h20');
  const actor = { id: 'op', organisation: 'org', role: 'operator' as const };

  const append = async (expectedVersion: number, data: ChipStockEvent) =>
    store.append([
      {
        streamId,
        expectedVersion,
        events: [{ eventId: randomUUID(), type: data.type, schemaVersion: EVENT_SCHEMA_VERSIONS[data.type], occurredAt: `2025-01-0${expectedVersion + 1}T00:00:00.000Z`, actor, correlationId: 'c', causationId: null, data: data.data }],
      },
    ]);
  const delivered = (n: number): ChipStockEvent => ({
    type: 'ChipsDelivered',
    data: { deliveryId: `d-${n}`, dataCenterId: 'dc-1', modelId: 'nvidia-h20', quantity: 10, purchaseOrderId: 'po-1', licenceId: null, shippedFromCountry: 'US' },
  });

  beforeAll(async () => {
    database = await createTestDatabase('stream_cache');
    db = await openDatabase({ url: database.url, poolSize: 4 });
    pool = db.pool;
    store = new PostgresEventStore(pool, 'procurement');
    await migrateEventStore(db.dataSource, store.schema);
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('gives the same state as folding the whole stream, after other writers appended more', async () => {
    const cache = new StreamStateCache();
    await append(0, delivered(1));
    expect((await cache.load(store, chipStockDecider, streamId)).version).toBe(1);

    // Another instance (its own store object, same table) appends behind the cache's back.
    const otherWriter = new PostgresEventStore(pool, 'procurement');
    await otherWriter.append([
      {
        streamId,
        expectedVersion: 1,
        events: [{ eventId: randomUUID(), type: 'ChipsInstalled', schemaVersion: 1, occurredAt: '2025-01-05T00:00:00.000Z', actor, correlationId: 'c', causationId: null, data: { dataCenterId: 'dc-1', modelId: 'nvidia-h20', quantity: 4 } }],
      },
    ]);
    await append(2, delivered(3));

    const cached = await cache.load(store, chipStockDecider, streamId);
    const fresh = foldEvents(chipStockDecider, (await store.readStream(streamId)).map((e) => upcastEvent(e) as Recorded<ChipStockEvent>));
    expect(cached.version).toBe(3);
    expect(cached.state).toEqual(fresh);
    expect(cached.state).toMatchObject({ delivered: 20, installed: 4, inStock: 16 });
  });
});
