import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../port/event-store.port';
import { PostgresLedgerHeads } from './ledger-heads';
import { PostgresEventStore } from './postgres-event-store';
import { useStoreTestBed } from '../testing/store-test-bed';
import { migrateEventStore } from './migrations';

const actor = { id: 'u', organisation: 'o', role: 'operator' } as const;
const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: 'T', schemaVersion: 1, occurredAt: '2025-11-05T00:00:00.000Z', actor, correlationId: 'c', causationId: null, data: {} });

describe('PostgresLedgerHeads (real PostgreSQL)', () => {
  const bed = useStoreTestBed('ledger_heads', { schema: null });

  it('answers every store head after the writes that committed before the call, 0 for a store not in the database yet, and sees a store created later', async () => {
    const procurement = new PostgresEventStore(bed.pool, 'procurement');
    await migrateEventStore(bed.db.dataSource, procurement.schema);
    const heads = new PostgresLedgerHeads(bed.pool, ['procurement', 'rental', 'audit']);
    expect([...(await heads.read())]).toEqual([
      ['procurement', 0],
      ['rental', 0],
      ['audit', 0],
    ]);
    const written = await procurement.append([{ streamId: 's-1', expectedVersion: 0, events: [newEvent(), newEvent()] }]);
    // Callers at the same moment share a read, and each sees what committed before it called.
    const together = await Promise.all(Array.from({ length: 5 }, () => heads.read()));
    for (const read of together) expect(read.get('procurement')).toBe(written.position);

    const rental = new PostgresEventStore(bed.pool, 'rental');
    await migrateEventStore(bed.db.dataSource, rental.schema);
    const rented = await rental.append([{ streamId: 'r-1', expectedVersion: 0, events: [newEvent()] }]);
    expect(Object.fromEntries(await heads.read())).toEqual({ procurement: written.position, rental: rented.position, audit: 0 });
  });
});
