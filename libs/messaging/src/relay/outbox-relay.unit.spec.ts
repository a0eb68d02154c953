import { LOG_START, type CommittedBatch, type LogPosition, type OutboxBacklog, type RelayLease, type RelayOutbox, type StoredEvent } from '@chip-ledger/event-store';
import { PublishError, type EventPublisher } from './event-publisher.port';
import { OutboxRelay } from './outbox-relay';

function event(position: number): StoredEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: 'T',
    schemaVersion: 1,
    streamId: `s${position % 3}`,
    version: 1,
    occurredAt: '2025-11-05T00:00:00.000Z',
    recordedAt: '2025-11-05T00:00:00.000Z',
    actor: { id: 'u', organisation: 'o', role: 'operator' },
    correlationId: 'c',
    causationId: null,
    data: {},
    prevHash: '0',
    hash: '1',
    globalPosition: position,
  };
}

/** An outbox of committed events in memory; positions use the global position as both txId and position. */
class MemoryOutbox implements RelayOutbox {
  readonly relayName = 'kafka';
  readonly logName = 'memory';
  readonly events: StoredEvent[] = [];
  checkpoint: LogPosition = LOG_START;
  commits: LogPosition[] = [];
  leaseFree = true;

  add(count: number): void {
    for (let i = 0; i < count; i++) this.events.push(event(this.events.length + 1));
  }
  async readCommitted(after: LogPosition, limit: number): Promise<CommittedBatch> {
    const events = this.events.filter((e) => e.globalPosition > after.position).slice(0, limit);
    const positions = events.map((e) => ({ txId: String(e.globalPosition), position: e.globalPosition }));
    // Nothing ever runs concurrently here: every read proves its head at once.
    const head = this.events.length;
    return { events, positions, next: positions[positions.length - 1] ?? after, horizon: { below: '1000000', snapshotEnd: '1000000', head } };
  }
  async tryAcquireLease(): Promise<RelayLease | null> {
    if (!this.leaseFree) return null;
    this.leaseFree = false;
    const release = async () => {
      this.leaseFree = true;
    };
    return { lost: false, release };
  }
  async loadCheckpoint(): Promise<LogPosition> {
    return this.checkpoint;
  }
  async commitCheckpoint(from: LogPosition, to: LogPosition): Promise<boolean> {
    if (from.position !== this.checkpoint.position) return false;
    this.checkpoint = to;
    this.commits.push(to);
    return true;
  }
  async backlog(after: LogPosition): Promise<OutboxBacklog> {
    const pending = this.events.filter((e) => e.globalPosition > after.position);
    return { pending: pending.length, oldestRecordedAt: pending[0]?.recordedAt ?? null };
  }
}

/** A broker that acknowledges `acceptBeforeFailing` events, then fails `failures` times. */
class FlakyPublisher implements EventPublisher {
  readonly received: number[] = [];
  /** Watermark markers, with when they were sent. */
  readonly watermarks: { through: number; at: number; afterEvents: number }[] = [];
  async publishWatermark(completeThrough: number): Promise<void> {
    this.watermarks.push({ through: completeThrough, at: Date.now(), afterEvents: this.received.length });
  }
  constructor(
    private failures: number,
    private readonly acceptBeforeFailing = 0,
  ) {}
  async publish(events: readonly StoredEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      const accepted = events.slice(0, this.acceptBeforeFailing);
      this.received.push(...accepted.map((e) => e.globalPosition));
      throw new PublishError(accepted.length, new Error('broker unavailable'));
    }
    this.received.push(...events.map((e) => e.globalPosition));
  }
}

const fast = { pollIntervalMs: 1, leaseRetryMs: 5, backoff: { initialMs: 1, maxMs: 5 } };

describe('OutboxRelay', () => {
  it('moves the checkpoint only after the broker acknowledged, batch by batch', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(25);
    const publisher = new FlakyPublisher(0);
    const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 10 });
    relay.start();
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    expect(publisher.received).toEqual(outbox.events.map((e) => e.globalPosition));
    expect(outbox.commits.map((c) => c.position)).toEqual([10, 20, 25]);
    expect(relay.status()).toMatchObject({ state: 'stopped', published: 25, batches: 3, consecutiveFailures: 0 });
  });

  it('keeps what was acknowledged before a failure and resends only the rest', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(10);
    const errors: unknown[] = [];
    const publisher = new FlakyPublisher(2, 3);
    const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 10, onError: (e) => errors.push(e) });
    relay.start();
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    // 3 acknowledged, then 3 more, then the last 4: each event reached the broker exactly once.
    expect(publisher.received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outbox.commits.map((c) => c.position)).toEqual([3, 6, 10]);
    expect(errors).toHaveLength(2);
    expect(relay.status()).toMatchObject({ published: 10, consecutiveFailures: 0, lastError: null });
  });

  it('sends again only what the broker did not acknowledge, and moves the checkpoint over the acknowledged prefix', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(9);
    const received: number[] = [];
    let failures = 2;
    // Streams s0, s1, s2 (position % 3) on three partitions; s1's leader is down for two attempts.
    const publisher: EventPublisher = {
      publish: async (events) => {
        const through = failures > 0 ? events.filter((e) => e.streamId !== 's1') : events;
        received.push(...through.map((e) => e.globalPosition));
        if (failures-- > 0) throw new PublishError(0, new Error('leader not available'), new Set(through.map((e) => e.eventId)));
      },
    };
    const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 9 });
    relay.start();
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    // s0 and s2 once each; s1 (positions 1, 4, 7) once, when its leader was back: nothing twice.
    expect([...received].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(received.slice(-3)).toEqual([1, 4, 7]);
    expect(outbox.commits.map((c) => c.position)).toEqual([9]);
    expect(relay.status()).toMatchObject({ published: 9 });
  });

  it('stops while the broker is down without moving the checkpoint, and releases the lease', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(5);
    const relay = new OutboxRelay(outbox, new FlakyPublisher(Number.MAX_SAFE_INTEGER), fast);
    relay.start();
    while (relay.status().consecutiveFailures < 3) await new Promise((r) => setTimeout(r, 2));
    expect(relay.status().state).toBe('retrying');
    expect(await relay.backlog()).toMatchObject({ pending: 5, lagMs: expect.any(Number) });
    await relay.stop();
    expect(outbox.checkpoint).toEqual(LOG_START);
    expect(outbox.leaseFree).toBe(true);
  });

  it('waits on standby while another instance holds the lease', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(2);
    outbox.leaseFree = false;
    const relay = new OutboxRelay(outbox, new FlakyPublisher(0), fast);
    relay.start();
    await new Promise((r) => setTimeout(r, 30));
    expect(relay.status()).toMatchObject({ state: 'standby', published: 0 });
    outbox.leaseFree = true;
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    expect(relay.status().published).toBe(2);
  });

  it('records what the broker acknowledged once the database is back, instead of publishing it again', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(10);
    // The database goes away between the broker's acknowledgement and the checkpoint write, twice.
    let outage = 2;
    const commit = outbox.commitCheckpoint.bind(outbox);
    outbox.commitCheckpoint = async (from, to) => {
      if (outage-- > 0) throw new Error('Connection terminated unexpectedly');
      return commit(from, to);
    };
    const publisher = new FlakyPublisher(0);
    const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 10 });
    relay.start();
    await relay.waitUntilCaughtUp(2_000, 2);
    outbox.add(5);
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    expect(publisher.received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(outbox.commits.map((c) => c.position)).toEqual([10, 15]);
    expect(relay.status()).toMatchObject({ published: 15, batches: 2 });
  });

  it('publishes again from the stored checkpoint when another instance moved it meanwhile', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(10);
    const commit = outbox.commitCheckpoint.bind(outbox);
    let outage = 1;
    outbox.commitCheckpoint = async (from, to) => {
      if (outage-- > 0) {
        // While this instance cannot reach the database, another one published the first 4 and recorded them.
        outbox.checkpoint = { txId: '4', position: 4 };
        throw new Error('Connection terminated unexpectedly');
      }
      return commit(from, to);
    };
    const publisher = new FlakyPublisher(0);
    const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 10 });
    relay.start();
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    // Everything was published, the events after the stored checkpoint once more: at least once, never lost.
    expect(publisher.received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5, 6, 7, 8, 9, 10]);
    expect(outbox.checkpoint.position).toBe(10);
  });

  it('recovers when the checkpoint cannot be read right after the lease was taken (the database slow or away then)', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(3);
    const errors: unknown[] = [];
    // The first read of the checkpoint after the first lease was taken fails (a pool timeout on a starved machine).
    const load = outbox.loadCheckpoint.bind(outbox);
    const acquire = outbox.tryAcquireLease.bind(outbox);
    let leases = 0;
    let failed = false;
    outbox.tryAcquireLease = async () => {
      const lease = await acquire();
      if (lease) leases++;
      return lease;
    };
    outbox.loadCheckpoint = async () => {
      if (leases === 1 && !failed) {
        failed = true;
        throw new Error('Connection terminated due to connection timeout');
      }
      return load();
    };
    const publisher = new FlakyPublisher(0);
    const relay = new OutboxRelay(outbox, publisher, { ...fast, onError: (e) => errors.push(e) });
    relay.start();
    await relay.waitUntilCaughtUp(2_000, 2);
    await relay.stop();
    expect(publisher.received).toEqual([1, 2, 3]);
    // The one failure, not a relay stuck reading from no checkpoint ("Cannot read properties of null").
    expect(errors.map((e) => (e as Error).message)).toEqual(['Connection terminated due to connection timeout']);
    expect(outbox.leaseFree).toBe(true);
  });

  it('gives the lease up when another instance moved the checkpoint', async () => {
    const outbox = new MemoryOutbox();
    outbox.add(3);
    const errors: unknown[] = [];
    const publisher: EventPublisher = {
      publish: async () => {
        // Meanwhile, another instance published these and moved the checkpoint.
        outbox.checkpoint = { txId: '3', position: 3 };
      },
    };
    const relay = new OutboxRelay(outbox, publisher, { ...fast, onError: (e) => errors.push(e) });
    relay.start();
    while (errors.length === 0) await new Promise((r) => setTimeout(r, 2));
    await relay.stop();
    expect(String(errors[0])).toMatch(/moved by another instance/);
    expect(outbox.checkpoint).toEqual({ txId: '3', position: 3 });
    expect(outbox.leaseFree).toBe(true);
  });

  describe('watermark markers', () => {
    it('announce the watermark after the events it covers were acknowledged, only when it moved, at most every markerIntervalMs', async () => {
      const outbox = new MemoryOutbox();
      outbox.add(25);
      const publisher = new FlakyPublisher(0);
      const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 10, gatherMs: 1, markerIntervalMs: 100 });
      relay.start();
      try {
        await waitUntil(() => relay.status().markedThrough === 25);
        // Idle rounds (every ms) announce nothing new.
        await new Promise((r) => setTimeout(r, 150));
        expect(publisher.watermarks.map((w) => w.through)).toEqual([25]);
        expect(publisher.watermarks[0].afterEvents).toBe(25);
        outbox.add(5);
        await waitUntil(() => relay.status().markedThrough === 30);
        outbox.add(5);
        await waitUntil(() => relay.status().markedThrough === 35);
        expect(publisher.watermarks.map((w) => w.through)).toEqual([25, 30, 35]);
        for (let i = 1; i < publisher.watermarks.length; i++) expect(publisher.watermarks[i].at - publisher.watermarks[i - 1].at).toBeGreaterThanOrEqual(95);
      } finally {
        await relay.stop();
      }
    });

    it('are not sent while the broker refuses the events they would cover', async () => {
      const outbox = new MemoryOutbox();
      outbox.add(10);
      const publisher = new FlakyPublisher(3);
      const relay = new OutboxRelay(outbox, publisher, { ...fast, batchSize: 10, markerIntervalMs: 0 });
      relay.start();
      try {
        await waitUntil(() => relay.status().markedThrough === 10);
        expect(publisher.watermarks.every((w) => w.afterEvents >= w.through)).toBe(true);
      } finally {
        await relay.stop();
      }
    });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}
