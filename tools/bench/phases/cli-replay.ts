import { openDatabase, type Database } from '@chip-ledger/persistence';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PostgresEventStore, type AppendRequest, migrateEventStore } from '@chip-ledger/event-store';
import type { LedgerContext } from '@chip-ledger/messaging';
import { createTestDatabase, startServiceProcess } from '@chip-ledger/testing';
import type { BenchFigures } from '../figures';
import { fmtRate } from '../lib/stats';
import type { BenchContext, BenchPhase } from './context';
import { ledgerMix } from './projector-events';

const workspaceRoot = path.resolve(__dirname, '../../..');
/** Events per append while seeding (one request per stream). */
const SEED_BATCH = 2_000;

/** Seeds the three event stores with the projector bench's ledger mix, through the store's own append (hash chains and all). */
async function seed(db: Database, total: number, tag: string, log: (line: string) => void): Promise<void> {
  const { pool } = db;
  const stores: Record<LedgerContext, PostgresEventStore> = {
    procurement: new PostgresEventStore(pool, 'procurement', { maxAppendsPerBatch: 4 }),
    rental: new PostgresEventStore(pool, 'rental'),
    audit: new PostgresEventStore(pool, 'audit'),
  };
  for (const store of Object.values(stores)) await migrateEventStore(db.dataSource, store.schema);
  const pending = new Map<LedgerContext, Map<string, { expected: number; events: AppendRequest['events'][number][] }>>();
  let buffered = 0;
  let done = 0;
  const started = Date.now();
  const flush = async () => {
    await Promise.all(
      [...pending].map(([context, streams]) =>
        stores[context].append([...streams].map(([streamId, s]) => ({ streamId, expectedVersion: s.expected, events: s.events }))),
      ),
    );
    done += buffered;
    buffered = 0;
    pending.clear();
    if (done % 100_000 < SEED_BATCH) log(`  seeded ${done.toLocaleString('en')} events (${fmtRate(done / ((Date.now() - started) / 1000))}/s)`);
  };
  for (const { context, event } of ledgerMix(total, { tag })) {
    let streams = pending.get(context);
    if (!streams) pending.set(context, (streams = new Map()));
    let stream = streams.get(event.streamId);
    if (!stream) streams.set(event.streamId, (stream = { expected: event.version - 1, events: [] }));
    stream.events.push({ eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt, actor: event.actor, correlationId: event.correlationId, causationId: null, data: event.data });
    if (++buffered >= SEED_BATCH) await flush();
  }
  if (buffered > 0) await flush();
  for (const store of Object.keys(stores)) await pool.query(`ANALYZE "${store}".events`);
}

/**
 * The auditors' `npm run cli -- replay` on N events (1,000,000 in a full run): the three stores seeded, the
 * audit-service (the distributed form's auditors' API) started on them, and the CLI run as a user would, reading the
 * whole history in the ledger order over HTTP and folding it. Its progress bar goes to this log; the figure is the
 * CLI's own events/s.
 */
export function cliReplayPhase(options: { events: number }): BenchPhase {
  return {
    name: `cli replay: npm run cli -- replay on ${options.events.toLocaleString('en-US')} events`,
    async run(context: BenchContext): Promise<Partial<BenchFigures>> {
      const database = await createTestDatabase('bench_cli_replay', context.adminDatabaseUrl);
      context.onCleanup(() => database.drop());
      const db = await openDatabase({ url: database.url, poolSize: 6, applicationName: 'bench-cli-replay' });
      context.onCleanup(() => db.close());
      await seed(db, options.events, `cli${context.runTag}`, context.log);
      const service = await startServiceProcess('apps/audit-service/src/main.ts', {
        DATABASE_URL: database.url,
        KAFKA_BROKERS: context.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: `bench-cli-${context.runTag}`,
      });
      context.onCleanup(() => service.stop());
      // The CLI mints its token with the same secret as the service (JWT_SECRET, or both use the development one).
      const env = { ...process.env };
      delete env['CHIP_LEDGER_TOKEN'];
      const result = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), 'tools/cli/main.ts', 'replay', '--json', '--url', service.baseUrl], {
          cwd: workspaceRoot,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        // The bar, a line every 2 s (stderr is not a terminal here), as the user would see it.
        child.stderr.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter((l) => l.trim()).forEach((line) => context.log(`  ${line.trim()}`)));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code: code ?? -1, stdout }));
      });
      if (result.code !== 0) throw new Error(`cli replay exited ${result.code}: ${result.stdout.slice(0, 500)}`);
      const summary = JSON.parse(result.stdout) as { events: number; streams: number; dataCenters: number; seconds: number; eventsPerSecond: number; complete: boolean; findingsByRule: Record<string, Record<string, number>> };
      const open = Object.values(summary.findingsByRule).reduce((n, bySeverity) => n + Object.values(bySeverity).reduce((a, b) => a + b, 0), 0);
      context.log(
        `  replayed ${summary.events.toLocaleString('en')} events (${summary.streams.toLocaleString('en')} streams, ${summary.dataCenters} data centers, ${open.toLocaleString('en')} open findings) ` +
          `in ${summary.seconds} s: ${fmtRate(summary.eventsPerSecond)} events/s, complete: ${summary.complete}`,
      );
      return { cliReplayEventsPerSec: summary.eventsPerSecond, cliReplaySeconds: summary.seconds, cliReplayEvents: summary.events, cliReplayComplete: summary.complete };
    },
  };
}
