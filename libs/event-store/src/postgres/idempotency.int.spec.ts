import { randomUUID } from 'node:crypto';
import { IdempotencyConflictError } from '../port/event-store.errors';
import type { AppendRequest, NewEvent } from '../port/event-store.port';
import { useStoreTestBed } from '../testing/store-test-bed';

const actor = { id: 'user-1', organisation: 'org-1', role: 'operator' } as const;

function newEvent(data: Record<string, unknown>): NewEvent {
  return { eventId: randomUUID(), type: 'ChipsInstalled', schemaVersion: 1, occurredAt: '2025-11-05T08:00:00.000Z', actor, correlationId: 'corr', causationId: null, data };
}

/** What an HTTP retry does: same body and key, but the handler mints fresh event ids each time. */
function install(streamId: string, expectedVersion = 0): AppendRequest[] {
  return [{ streamId, expectedVersion, events: [newEvent({ quantity: 64 })] }];
}

describe('idempotent appends (real PostgreSQL)', () => {
  const bed = useStoreTestBed('idempotency', { poolSize: 12 });

  it('records a retried request once and answers the retry with the first result', async () => {
    const idempotency = { scope: 'InstallChips', key: 'key-1', requestHash: 'hash-a' };
    const first = await bed.store.append(install('data-center-i1'), { idempotency });
    const retry = await bed.store.append(install('data-center-i1'), { idempotency });

    expect(first.replayed).toBe(false);
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await bed.store.readStream('data-center-i1')).toHaveLength(1);
    // Even once the stream moved on, the key still answers with the first result.
    await bed.store.append(install('data-center-i1', 1));
    expect(await bed.store.append(install('data-center-i1'), { idempotency })).toEqual({ ...first, replayed: true });
  });

  it('lets a handler short-circuit before deciding', async () => {
    expect(await bed.store.lookupIdempotent('InstallChips', 'key-2', 'hash-a')).toBeNull();
    const first = await bed.store.append(install('data-center-i2'), { idempotency: { scope: 'InstallChips', key: 'key-2', requestHash: 'hash-a' } });
    expect(await bed.store.lookupIdempotent('InstallChips', 'key-2', 'hash-a')).toEqual({ ...first, replayed: true });
    await expect(bed.store.lookupIdempotent('InstallChips', 'key-2', 'hash-b')).rejects.toThrow(IdempotencyConflictError);
    // Keys are per scope.
    expect(await bed.store.lookupIdempotent('RemoveChips', 'key-2', 'hash-a')).toBeNull();
  });

  it('refuses the same key with another request hash, writing nothing', async () => {
    await bed.store.append(install('data-center-i3'), { idempotency: { scope: 'InstallChips', key: 'key-3', requestHash: 'hash-a' } });
    const other = bed.store.append(install('data-center-i3-other'), { idempotency: { scope: 'InstallChips', key: 'key-3', requestHash: 'hash-b' } });
    await expect(other).rejects.toThrow(IdempotencyConflictError);
    await expect(other).rejects.toMatchObject({ code: 'EVENT_STORE.IDEMPOTENCY_CONFLICT', scope: 'InstallChips', key: 'key-3' });
    expect(await bed.store.streamVersion('data-center-i3-other')).toBe(0);
  });

  it('writes once when the same key arrives concurrently, and every caller gets that result', async () => {
    // Hold inserts so all ten requests pass the lookup before any commits: the race is decided by the
    // unique constraints, and each loser answers with the winner's stored result.
    await bed.pool.query(`CREATE FUNCTION procurement.hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$`);
    await bed.pool.query(`CREATE TRIGGER hold BEFORE INSERT ON procurement.events FOR EACH STATEMENT EXECUTE FUNCTION procurement.hold()`);
    try {
      const idempotency = { scope: 'InstallChips', key: 'key-4', requestHash: 'hash-a' };
      const results = await Promise.all(Array.from({ length: 10 }, () => bed.store.append(install('data-center-i4'), { idempotency })));
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      const winner = results.find((r) => !r.replayed);
      for (const result of results) expect({ ...result, replayed: false }).toEqual(winner);
      expect(await bed.store.readStream('data-center-i4')).toHaveLength(1);
      const { rows } = await bed.pool.query(`SELECT count(*)::int AS n FROM procurement.idempotency WHERE key = 'key-4'`);
      expect(rows[0].n).toBe(1);
    } finally {
      await bed.pool.query('DROP TRIGGER hold ON procurement.events; DROP FUNCTION procurement.hold()');
    }
  });

  it('keeps a multi-stream result whole, positions included', async () => {
    const idempotency = { scope: 'TransferChips', key: 'key-5', requestHash: 'hash-a' };
    const requests: AppendRequest[] = [
      { streamId: 'chip-stock-a.H20', expectedVersion: 0, events: [newEvent({ quantity: -4 }), newEvent({ note: 'x' })] },
      { streamId: 'chip-stock-b.H20', expectedVersion: 0, events: [newEvent({ quantity: 4 })] },
    ];
    const first = await bed.store.append(requests, { idempotency });
    expect(first.streams.map((s) => s.globalPositions.length)).toEqual([2, 1]);
    expect(await bed.store.append(requests, { idempotency })).toEqual({ ...first, replayed: true });
  });
});
