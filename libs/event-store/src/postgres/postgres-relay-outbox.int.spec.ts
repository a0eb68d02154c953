import { randomUUID } from 'node:crypto';
import { formatLogPosition, LOG_START, parseLogPosition } from '../port/event-log.port';
import type { NewEvent } from '../port/event-store.port';
import { useStoreTestBed } from '../testing/store-test-bed';
import { PostgresRelayOutbox } from './postgres-relay-outbox';

const actor = { id: 'user-1', organisation: 'org-1', role: 'operator' } as const;
const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: 'T', schemaVersion: 1, occurredAt: '2025-11-05T00:00:00Z', actor, correlationId: 'c', causationId: null, data: {} });

describe('PostgresRelayOutbox (real PostgreSQL)', () => {
  const bed = useStoreTestBed('relay_outbox', { poolSize: 4 });

  it('lets one relay instance hold the lease at a time, and frees it when that instance goes', async () => {
    const a = new PostgresRelayOutbox(bed.pool, 'procurement');
    const b = new PostgresRelayOutbox(bed.pool, 'procurement');
    const leaseA = await a.tryAcquireLease();
    expect(leaseA).not.toBeNull();
    expect(await b.tryAcquireLease()).toBeNull();
    // Another relay name (or schema) has a lease of its own.
    const other = await new PostgresRelayOutbox(bed.pool, 'procurement', { relayName: 'archive' }).tryAcquireLease();
    expect(other).not.toBeNull();
    await other?.release();

    await leaseA?.release();
    expect(leaseA?.lost).toBe(true);
    const leaseB = await b.tryAcquireLease();
    expect(leaseB).not.toBeNull();
    await leaseB?.release();
  });

  it('notices a lease whose connection died', async () => {
    const outbox = new PostgresRelayOutbox(bed.pool, 'procurement', { leaseHeartbeatMs: 50 });
    const lease = await outbox.tryAcquireLease();
    await bed.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'chip-ledger-relay-procurement-kafka'`);
    const deadline = Date.now() + 5_000;
    while (!lease?.lost && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lease?.lost).toBe(true);
    await lease?.release();
    const again = await outbox.tryAcquireLease();
    expect(again).not.toBeNull();
    await again?.release();
  });

  it('creates the checkpoint once when several sessions load it at the same moment (the relay and a health probe at start-up)', async () => {
    for (let i = 0; i < 30; i++) {
      const outboxes = Array.from({ length: 4 }, () => new PostgresRelayOutbox(bed.pool, 'procurement', { relayName: `race-${i}` }));
      expect(await Promise.all(outboxes.map((o) => o.loadCheckpoint()))).toEqual(outboxes.map(() => LOG_START));
    }
  });

  it('keeps a checkpoint that only moves from where the caller saw it (compare-and-set), and counts the backlog', async () => {
    const outbox = new PostgresRelayOutbox(bed.pool, 'procurement');
    expect(await outbox.loadCheckpoint()).toEqual(LOG_START);
    await bed.store.append([{ streamId: 's1', expectedVersion: 0, events: [newEvent(), newEvent()] }]);
    await bed.store.append([{ streamId: 's2', expectedVersion: 0, events: [newEvent()] }]);

    expect(await outbox.backlog(LOG_START)).toEqual({ pending: 3, oldestRecordedAt: expect.any(String) });
    // The commit horizon is cluster-wide: transactions other tests hold open on a shared server can hide
    // committed rows for a moment, so wait for them rather than expecting them at once.
    let batch = await outbox.readCommitted(LOG_START, 2);
    for (let i = 0; i < 300 && batch.events.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = await outbox.readCommitted(LOG_START, 2);
    }
    expect(batch.events.map((e) => [e.streamId, e.version])).toEqual([['s1', 1], ['s1', 2]]);

    expect(await outbox.commitCheckpoint(LOG_START, batch.next)).toBe(true);
    expect(await outbox.loadCheckpoint()).toEqual(batch.next);
    // A second instance still believing in the old checkpoint cannot move it.
    expect(await outbox.commitCheckpoint(LOG_START, batch.next)).toBe(false);
    expect(await outbox.backlog(batch.next)).toEqual({ pending: 1, oldestRecordedAt: expect.any(String) });
    expect(parseLogPosition(formatLogPosition(batch.next))).toEqual(batch.next);
  });
});
