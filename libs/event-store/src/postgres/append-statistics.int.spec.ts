import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../port/event-store.port';
import { useStoreTestBed } from '../testing/store-test-bed';

const actor = { id: 'user-1', organisation: 'org-1', role: 'operator' } as const;
const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: 'ChipsDelivered', schemaVersion: 1, occurredAt: '2025-11-05T08:00:00Z', actor, correlationId: randomUUID(), causationId: null, data: {} });

describe('PostgresEventStore append statistics (real PostgreSQL)', () => {
  const bed = useStoreTestBed('append_statistics', { poolSize: 4 });

  it('counts what each append came to: recorded (with its events), replayed, refused, failed', async () => {
    expect(bed.store.appendStatistics()).toEqual({ recorded: 0, replayed: 0, refused: 0, failed: 0, events: 0, statements: 0, statementSeconds: 0 });
    const idempotency = { scope: 'test', key: 'k-1', requestHash: 'h' };
    await bed.store.append([{ streamId: 's-1', expectedVersion: 0, events: [newEvent(), newEvent()] }], { idempotency });
    await bed.store.append([{ streamId: 's-2', expectedVersion: 0, events: [newEvent()] }]);
    // The same key and body again: the first answer, nothing written.
    await bed.store.append([{ streamId: 's-1', expectedVersion: 0, events: [newEvent(), newEvent()] }], { idempotency });
    // A stale expected version: refused.
    await expect(bed.store.append([{ streamId: 's-2', expectedVersion: 0, events: [newEvent()] }])).rejects.toThrow();
    // Not a valid request at all: failed.
    await expect(bed.store.append([{ streamId: '', expectedVersion: 0, events: [newEvent()] }])).rejects.toThrow();

    const statistics = bed.store.appendStatistics();
    expect(statistics).toMatchObject({ recorded: 2, replayed: 1, refused: 1, failed: 1, events: 3 });
    expect(statistics.statements).toBe(4);
    expect(statistics.statementSeconds).toBeGreaterThan(0);
  });
});
