import { randomUUID } from 'node:crypto';
import { eventHash } from '../hash-chain/event-hash';
import type { NewEvent } from '../port/event-store.port';
import { useStoreTestBed } from '../testing/store-test-bed';

const actor = { id: 'auditor-1', organisation: 'org-1', role: 'operator' } as const;

function newEvent(n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ChipsInstalled',
    schemaVersion: 1,
    occurredAt: `2025-11-0${(n % 9) + 1}T00:00:00.000Z`,
    actor,
    correlationId: `corr-${n}`,
    causationId: n > 1 ? `cause-${n}` : null,
    data: { quantity: n * 8, rack: { row: 'B', slot: n }, tags: ['hbm3', 'sxm'], ratio: 0.1 * n, big: 1e21, text: 'é ✓ "q"' },
  };
}

describe('hash chain verification against tampering (real PostgreSQL)', () => {
  const bed = useStoreTestBed('hash_chain', { poolSize: 4 });

  /** Five events per stream: in separate appends and in one multi-event append. */
  async function seed(streamId: string): Promise<void> {
    await bed.store.append([{ streamId, expectedVersion: 0, events: [newEvent(1)] }]);
    await bed.store.append([{ streamId, expectedVersion: 1, events: [newEvent(2), newEvent(3)] }]);
    await bed.store.append([{ streamId, expectedVersion: 3, events: [newEvent(4)] }]);
    await bed.store.append([{ streamId, expectedVersion: 4, events: [newEvent(5)] }]);
  }

  /** What an attacker with database access does: bypass the append-only triggers. */
  async function tamper(sql: string, values: unknown[] = []): Promise<void> {
    const client = await bed.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE procurement.events DISABLE TRIGGER USER');
      await client.query(sql, values);
      await client.query('ALTER TABLE procurement.events ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  beforeAll(async () => {
    for (const name of ['intact', 'edited', 'deleted', 'swapped', 'rehashed']) await seed(`data-center-${name}`);
  });

  it('verifies untouched streams, recomputing every hash from the stored rows', async () => {
    const result = await bed.store.verifyStream('data-center-intact');
    const events = await bed.store.readStream('data-center-intact');
    expect(result).toEqual({ streamId: 'data-center-intact', ok: true, eventsChecked: 5, headVersion: 5, headHash: events[4].hash, break: null });
    expect(events[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
    expect(events.every((e) => e.hash === eventHash(e.prevHash, e))).toBe(true);
    expect((await bed.store.verifyAll()).ok).toBe(true);
  });

  it('names an edited event', async () => {
    const [, , victim] = await bed.store.readStream('data-center-edited');
    await tamper(`UPDATE procurement.events SET data = jsonb_set(data, '{quantity}', '9999') WHERE event_id = $1`, [victim.eventId]);
    const result = await bed.store.verifyStream('data-center-edited');
    expect(result.ok).toBe(false);
    expect(result.break).toMatchObject({ kind: 'hash-mismatch', eventId: victim.eventId, version: 3, globalPosition: victim.globalPosition });
    expect(result.break?.message).toContain(victim.eventId);
  });

  it('names the event after a deleted one', async () => {
    const [, second, third] = await bed.store.readStream('data-center-deleted');
    await tamper(`DELETE FROM procurement.events WHERE event_id = $1`, [second.eventId]);
    const result = await bed.store.verifyStream('data-center-deleted');
    expect(result.break).toMatchObject({ kind: 'version-gap', eventId: third.eventId, version: 3 });
    expect(result.break?.message).toMatch(/version 2 is missing/);
  });

  it('names swapped events', async () => {
    const [, second, third] = await bed.store.readStream('data-center-swapped');
    // Two steps, since unique(stream_id, version) is checked row by row.
    await tamper(`UPDATE procurement.events SET version = version + 1000 WHERE event_id IN ($1, $2)`, [second.eventId, third.eventId]);
    await tamper(`UPDATE procurement.events SET version = CASE WHEN event_id = $1 THEN 3 ELSE 2 END WHERE event_id IN ($1, $2)`, [second.eventId, third.eventId]);
    const result = await bed.store.verifyStream('data-center-swapped');
    expect(result.break).toMatchObject({ kind: 'reordered', eventId: third.eventId, version: 2 });
    expect(result.break?.message).toContain(second.eventId);
  });

  it('names the successor of an event rewritten together with its hash', async () => {
    const [, second, third] = await bed.store.readStream('data-center-rehashed');
    const forged = { ...second, data: { quantity: 1 } };
    await tamper(`UPDATE procurement.events SET data = $2, hash = $3 WHERE event_id = $1`, [second.eventId, JSON.stringify(forged.data), eventHash(forged.prevHash, forged)]);
    expect((await bed.store.verifyStream('data-center-rehashed')).break).toMatchObject({ kind: 'prev-hash-mismatch', eventId: third.eventId, version: 3 });
  });

  it('verifyAll reports the first break of every broken stream', async () => {
    const result = await bed.store.verifyAll();
    expect(result.ok).toBe(false);
    expect(result.streamsChecked).toBe(5);
    expect(result.eventsChecked).toBe(24);
    expect(result.breaks.map((b) => [b.streamId, b.kind, b.version])).toEqual([
      ['data-center-deleted', 'version-gap', 3],
      ['data-center-edited', 'hash-mismatch', 3],
      ['data-center-rehashed', 'prev-hash-mismatch', 3],
      ['data-center-swapped', 'reordered', 2],
    ]);
  });
});
