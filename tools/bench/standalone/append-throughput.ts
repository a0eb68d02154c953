/**
 * Append throughput of the PostgreSQL store, without HTTP: what a command service can get at most.
 *
 *   DATABASE_URL=postgres://... node tools/scripts/ts-run.mjs tools/bench/standalone/append-throughput.ts [concurrency] [seconds] [poolSize]
 *
 * Runs three workloads on a fresh database: single-event appends to new streams; load-then-append on a
 * stream (what a command handler does: readStream, decide, append at the version read); the same with an
 * idempotency key. Prints appends per second and latency percentiles.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase } from '@chip-ledger/persistence';
import { createTestDatabase } from '@chip-ledger/testing';
import { PostgresEventStore, type AppendOptions, type EventStore, type NewEvent, migrateEventStore } from '@chip-ledger/event-store';

const [concurrency, seconds, poolSize] = [Number(process.argv[2] ?? 32), Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 16)];
const actor = { id: 'bench', organisation: 'org-bench', role: 'operator' } as const;

function newEvent(): NewEvent {
  return { eventId: randomUUID(), type: 'ChipsInstalled', schemaVersion: 1, occurredAt: new Date().toISOString(), actor, correlationId: randomUUID(), causationId: null, data: { dataCenterId: 'dc-1', model: 'H20', quantity: 8, rack: 'B12' } };
}

async function measure(name: string, store: EventStore, command: (worker: number, i: number) => Promise<void>): Promise<void> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1_000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const t = performance.now();
        await command(worker, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(`${name.padEnd(34)} ${(latencies.length / elapsed).toFixed(0).padStart(6)} appends/s   p50 ${p(0.5)} ms   p99 ${p(0.99)} ms   (${latencies.length} in ${elapsed.toFixed(1)} s)`);
  void store;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench');
  const db = await openDatabase({ url: database.url, poolSize: poolSize });
  const pool = db.pool;
  try {
    const store = new PostgresEventStore(pool, 'procurement');
    await migrateEventStore(db.dataSource, store.schema);
    console.log(`concurrency ${concurrency}, pool ${poolSize}, ${seconds} s per workload`);
    await measure('append, new stream each time', store, async (w, i) => {
      await store.append([{ streamId: `new-${w}-${i}`, expectedVersion: 0, events: [newEvent()] }]);
    });
    await measure('load stream + append', store, async (w) => {
      const streamId = `dc-${w}`;
      const events = await store.readStream(streamId);
      await store.append([{ streamId, expectedVersion: events.length, events: [newEvent()] }]);
    });
    await measure('version + append + idempotency key', store, async (w, i) => {
      const streamId = `idem-${w}`;
      const idempotency: AppendOptions['idempotency'] = { scope: 'InstallChips', key: `${w}-${i}`, requestHash: 'h' };
      await store.append([{ streamId, expectedVersion: await store.streamVersion(streamId), events: [newEvent()] }], { idempotency });
    });
  } finally {
    await db.close();
    await database.drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
