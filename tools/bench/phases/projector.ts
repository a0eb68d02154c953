import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createKafkaClient, ensureTopics, LEDGER_TOPIC_PARTITIONS, ledgerTopic, ledgerTopics, encodeEventMessage, type LedgerContext } from '@chip-ledger/messaging';
import { generationSchema, KafkaProjectionSource, ProjectionEngine, type ProjectionFactory } from '@chip-ledger/projection';
import { READ_MODEL_ENTITIES, READ_MODELS } from '@chip-ledger/read-models';
import { createTestDatabase } from '@chip-ledger/testing';
import { logLevel, Partitioners, type Kafka, type Message } from 'kafkajs';
import { openDatabase } from '@chip-ledger/persistence';
import type { Pool } from 'pg';
import type { BenchFigures } from '../figures';
import { childrenOf, cpuAvailable, cpuPercent, sampleCpu, type CpuGroups } from '../lib/cpu';
import { instrumentedClients, timedProjection, type ApplyStats, type SchemaSql } from '../lib/projector-timing';
import { fmtRate, sleep } from '../lib/stats';
import type { BenchContext, BenchPhase } from './context';
import { ledgerMix } from './projector-events';
import type { ProjectorWorkerData, ProjectorWorkerReport } from './projector-worker';

export interface ProjectorPhaseOptions {
  /** Events produced and replayed (full 1,000,000; quick fewer). */
  readonly events: number;
  /** Longest the projector may take before the phase reports it incomplete. */
  readonly timeoutSec: number;
  /**
   * Read models run by a second engine on a worker thread (their own event loop, as in a projection-service
   * process of their own); default findings. `BENCH_PROJECTOR_ONE_LOOP=1` runs all four on the bench's loop.
   */
  readonly isolated?: readonly string[];
}

const SEND_BATCH = 2_000;
const SENDS_OUTSTANDING = 4;
const POLL_MS = 200;

/**
 * Projector throughput and a replay of N events (1,000,000 in a full run), next to a ceiling measured on the
 * same topics: a raw kafkajs consumer with a no-op eachBatch. Both read the same N messages from offset 0;
 * the events are produced before any clock starts.
 */
export function projectorPhase(options: ProjectorPhaseOptions): BenchPhase {
  return {
    name: `projector: replay of ${options.events.toLocaleString('en-US')} events into every read model (compliance on), and its ceiling`,
    run: (context) => runProjectorPhase(context, options),
  };
}

async function runProjectorPhase(context: BenchContext, options: ProjectorPhaseOptions): Promise<Partial<BenchFigures>> {
  const { log } = context;
  const prefix = `bench-${context.runTag}`;
  const topics = ledgerTopics(prefix);
  const kafka = createKafkaClient({ brokers: context.kafkaBrokers, clientId: 'chip-ledger-bench-projector', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics.map((topic) => ({ topic, partitions: LEDGER_TOPIC_PARTITIONS })));
  context.onCleanup(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  // ---- 1. Produce (untimed for the figures) --------------------------------------------------------------
  const produced = await produceLedger(kafka, prefix, options.events, context.runTag);
  const end = await highWaterMarks(kafka, topics);
  if (end.total !== options.events) throw new Error(`expected ${options.events} messages on ${topics.join(', ')}, the broker holds ${end.total}`);
  log(
    `produced ${fmtRate(options.events)} events in ${produced.seconds.toFixed(1)} s (${fmtRate(options.events / produced.seconds)}/s, mean ${Math.round(produced.bytes / options.events)} B) ` +
      `to ${topics.join(', ')} (${LEDGER_TOPIC_PARTITIONS} partitions each): ${Object.entries(produced.perTopic)
        .map(([t, k]) => `${t.split('.')[1]} ${fmtRate(k)}`)
        .join(', ')}`,
  );
  log(`  mix: ${Object.entries(produced.types).sort((a, b) => b[1] - a[1]).map(([t, k]) => `${t} ${((100 * k) / options.events).toFixed(1)}%`).join(', ')}`);

  // ---- 2. Ceiling: raw kafkajs consume, no-op handler ------------------------------------------------------
  const ceiling = await rawConsume(kafka, `${prefix}.ceiling`, topics, options.events, Math.max(60, options.timeoutSec));
  const kafkaConsumeMsgsPerSec = options.events / ceiling.seconds;
  log(
    `ceiling: raw kafkajs consume ${fmtRate(kafkaConsumeMsgsPerSec)} msgs/s  (${fmtRate(options.events)} messages in ${ceiling.seconds.toFixed(1)} s incl. ${ceiling.joinSeconds.toFixed(1)} s group join; ` +
      `${fmtRate(options.events / Math.max(ceiling.seconds - ceiling.joinSeconds, 0.001))} msgs/s after the first batch; eachBatch no-op + resolveOffset, autoCommit off)`,
  );

  // ---- 3. The projector: every read model, from offset 0 --------------------------------------------------
  const database = await createTestDatabase('bench_projector', context.adminDatabaseUrl);
  context.onCleanup(() => database.drop());
  // The database's drop lets closing connections go for up to 2 s, then forces: one still open after that is ended
  // with 57P01, which openDatabase's clients and pool ignore (unhandled, it would kill the bench).
  const sql = instrumentedClients();
  const db = await openDatabase({ url: database.url, poolSize: 12, applicationName: 'bench-projector', entities: [...READ_MODEL_ENTITIES], onClient: sql.instrument });
  context.onCleanup(() => db.close());
  const pool = db.pool;
  const applyStats = new Map<string, ApplyStats>();
  const projections: ProjectionFactory[] = READ_MODELS.map((factory) => () => timedProjection(factory(), applyStats, sql));
  const names = READ_MODELS.map((factory) => factory().name);
  const isolated = process.env['BENCH_PROJECTOR_ONE_LOOP'] === '1' ? [] : (options.isolated ?? ['findings']).filter((n) => names.includes(n));
  const errors: string[] = [];
  const groupPrefix = `${prefix}.projection`;
  const engine = new ProjectionEngine({
    dataSource: db.dataSource,
    source: new KafkaProjectionSource({ kafka, topics, groupPrefix }),
    projections,
    run: names.filter((n) => !isolated.includes(n)),
    onError: (error) => errors.push((error as Error).message),
  });
  let engineStopped = false;
  context.onCleanup(async () => {
    if (!engineStopped) await engine.stop();
  });
  // Registry and schemas first (one engine), so the worker's start does not race this one's migrations.
  await engine.registry.migrate();

  const groups: CpuGroups = {
    projector: { pids: () => [process.pid] },
    postgres: { pids: () => (context.processes.postgres ? [context.processes.postgres, ...childrenOf(context.processes.postgres)] : []) },
    kafka: { pids: () => (context.processes.kafka ? [context.processes.kafka] : []) },
  };
  const cpuStart = cpuAvailable() ? sampleCpu(groups) : null;
  // The worker loads its modules before the clock starts, as this process did.
  const worker = isolated.length > 0 ? startWorker({ databaseUrl: database.url, brokers: context.kafkaBrokers, topics, groupPrefix, run: isolated }) : null;
  context.onCleanup(async () => {
    await worker?.terminate();
  });
  await worker?.ready;
  sql.reset();
  const started = performance.now();
  await Promise.all([engine.start(), worker?.start()]);
  const doneAt = new Map<string, number>();
  let lastReport = started;
  let timedOut = false;
  const progress = new Map<string, number>();
  while (doneAt.size < names.length) {
    await sleep(POLL_MS);
    const now = performance.now();
    for (const name of names) {
      if (doneAt.has(name)) continue;
      const done = await storedDone(pool, generationSchema(name, 1), end.parts);
      progress.set(name, done);
      if (done >= end.total) doneAt.set(name, now);
    }
    if (now - lastReport >= (context.quick ? 5_000 : 15_000) && doneAt.size < names.length) {
      lastReport = now;
      log(`  ${((now - started) / 1000).toFixed(0)} s: ${names.map((n) => `${n} ${fmtRate(progress.get(n) ?? 0)}`).join(', ')}`);
    }
    if (now - started > options.timeoutSec * 1000) {
      timedOut = true;
      break;
    }
  }
  const finished = performance.now();
  const cpu = cpuStart ? cpuPercent(cpuStart, sampleCpu(groups)) : null;
  const seconds = (finished - started) / 1000;
  const status = engine.status();
  await engine.stop();
  engineStopped = true;
  const isolatedReport = worker ? await worker.stop() : null;
  if (isolatedReport) {
    for (const [name, stats] of isolatedReport.applyStats) applyStats.set(name, stats);
    status.push(...isolatedReport.status);
    errors.push(...isolatedReport.errors);
  }
  const sqlOf = (schema: string): SchemaSql => isolatedReport?.sql.find(([s]) => s === schema)?.[1] ?? sql.bySchema(schema);

  const slowest = Math.min(...names.map((n) => progress.get(n) ?? end.total));
  const applied = timedOut ? slowest : options.events;
  const projectorEventsPerSec = applied / seconds;
  const replaySeconds = timedOut ? null : seconds;
  const deadLetters = Number((await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM projections.dead_letters')).rows[0]?.n ?? 0);
  const findings = await pool.query<{ open: string; total: string; rules: string }>(
    `SELECT count(*) FILTER (WHERE closed_at IS NULL)::text AS open, count(*)::text AS total, count(DISTINCT rule_id)::text AS rules FROM ${generationSchema('findings', 1)}.findings`,
  );

  log(
    `projector: ${fmtRate(projectorEventsPerSec)} events/s  vs ceiling ${fmtRate(kafkaConsumeMsgsPerSec)} msgs/s (${((100 * projectorEventsPerSec) / kafkaConsumeMsgsPerSec).toFixed(1)}%); ` +
      `${names.length} read models (${names.join(', ')}); an event loop's non-exclusive read models share one consumer (fetch and decode once); transactions gather fetches of several partitions (≤ 5,000 events; findings, exclusive, ≤ 100,000); ` +
      (isolated.length > 0 ? `${isolated.join(', ')} on a worker thread (own event loop), the others on the bench's` : 'all on one event loop'),
  );
  log(
    timedOut
      ? `replay of ${fmtRate(options.events)} events: NOT DONE after ${seconds.toFixed(0)} s (slowest read model at ${fmtRate(slowest)}); ceiling read them in ${ceiling.seconds.toFixed(1)} s`
      : `replay of ${fmtRate(options.events)} events: ${seconds.toFixed(1)} s (start → every read model's stored offsets at the high-water marks), ceiling ${ceiling.seconds.toFixed(1)} s`,
  );
  log(`  per read model (done at): ${names.map((n) => `${n} ${doneAt.has(n) ? `${(((doneAt.get(n) as number) - started) / 1000).toFixed(1)} s` : `${fmtRate(progress.get(n) ?? 0)} events`}`).join(', ')}`);
  log(`  findings: ${findings.rows[0]?.open ?? 0} open, ${findings.rows[0]?.total ?? 0} intervals, ${findings.rows[0]?.rules ?? 0} rules; dead letters: ${deadLetters}; errors: ${errors.length}${errors[0] ? ` (first: ${errors[0]})` : ''}`);
  for (const s of status) if (s.lastError) log(`  ${s.projection}: last error ${s.lastError}`);
  if (cpu) {
    log(`  cpu (% of one core): projector process ${cpu['projector']}, postgres ${cpu['postgres']}, kafka ${cpu['kafka']}, other processes ${cpu['otherProcesses']}`);
    // CPU time per event applied (by the slowest read model): on a shared machine it moves much less than the rate.
    const perThousand = (percent: number): string => `${((percent / 100) * seconds * 1000 * (1000 / Math.max(applied, 1))).toFixed(0)} ms`;
    log(`  cpu per 1,000 events: projector process ${perThousand(cpu['projector'])}, postgres ${perThousand(cpu['postgres'])}`);
  }
  // Linux reports maxRSS in kB: the whole process's peak since it started (the producer and earlier phases too),
  // which the findings worker's catch-up transactions and compliance state set in practice.
  const projectorMaxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`  peak resident memory of the bench process (both projector event loops; findings holds a catch-up transaction's decoded events and its compliance state): ${projectorMaxRssMb} MB`);
  log(`  where the projector's time went (per runner; runners on one event loop overlap, waits include the loop's other work):`);
  for (const name of names) {
    const a = applyStats.get(name);
    const wall = seconds * 1000;
    const own = sqlOf(generationSchema(name, 1));
    if (!a) continue;
    log(
      `    ${name.padEnd(16)}${isolated.includes(name) ? ' (worker)' : ''} apply ${fmtS(a.ms)} (${a.batches} batches, ${((a.ms / wall) * 100).toFixed(0)}% of wall): JS ${fmtS(a.ms - a.sqlMs)}, its SQL ${fmtS(a.sqlMs)}; ` +
        `engine SQL ${fmtS(own.engineMs)} (dedupe ${fmtS(own.dedupeMs)}, offsets ${fmtS(own.offsetsMs)}, tx ${fmtS(own.txMs)}); ${own.statements} statements`,
    );
  }

  return {
    projectorEventsPerSec,
    replay1MSeconds: replaySeconds,
    kafkaConsumeMsgsPerSec,
    replayEvents: options.events,
    replayComplete: !timedOut,
    projectorDeadLetters: deadLetters,
    projectorMaxRssMb,
    ...(cpu ? { projectorCpuPercent: { projector: cpu['projector'], postgres: cpu['postgres'], kafka: cpu['kafka'], otherProcesses: cpu['otherProcesses'] } } : {}),
  };
}

const fmtS = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// ---- Producing the ledger ----------------------------------------------------------------------------------

async function produceLedger(kafka: Kafka, prefix: string, total: number, tag: string) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = performance.now();
  const types: Record<string, number> = {};
  const perTopic: Record<string, number> = {};
  let bytes = 0;
  const pending: Promise<unknown>[] = [];
  try {
    let chunk = new Map<LedgerContext, Message[]>();
    let inChunk = 0;
    const flush = async () => {
      const topicMessages = [...chunk].map(([ctx, messages]) => ({ topic: ledgerTopic(ctx, prefix), messages }));
      chunk = new Map();
      inChunk = 0;
      pending.push(producer.sendBatch({ acks: -1, topicMessages }));
      if (pending.length >= SENDS_OUTSTANDING) await pending.shift();
    };
    for (const { context: ctx, event } of ledgerMix(total, { tag })) {
      const message = encodeEventMessage(event);
      bytes += (message.value as string).length;
      types[event.type] = (types[event.type] ?? 0) + 1;
      const topic = ledgerTopic(ctx, prefix);
      perTopic[topic] = (perTopic[topic] ?? 0) + 1;
      let list = chunk.get(ctx);
      if (!list) chunk.set(ctx, (list = []));
      list.push(message);
      if (++inChunk >= SEND_BATCH) await flush();
    }
    if (inChunk > 0) await flush();
    await Promise.all(pending);
  } finally {
    await producer.disconnect();
  }
  return { seconds: (performance.now() - started) / 1000, types, perTopic, bytes };
}

async function highWaterMarks(kafka: Kafka, topics: readonly string[]): Promise<{ total: number; parts: Map<string, number> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const parts = new Map<string, number>();
    let total = 0;
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        parts.set(`${topic}/${p.partition}`, Number(p.high));
        total += Number(p.high) - Number(p.low);
      }
    }
    return { total, parts };
  } finally {
    await admin.disconnect();
  }
}

/** Messages applied so far by one generation: its stored next offsets, capped at the high-water marks. */
async function storedDone(pool: Pool, schema: string, parts: ReadonlyMap<string, number>): Promise<number> {
  const { rows } = await pool.query<{ topic: string; partition: number; next_offset: string }>(`SELECT topic, partition, next_offset FROM ${schema}.consumer_offsets`).catch(() => ({ rows: [] }));
  let done = 0;
  for (const row of rows) done += Math.min(Number(row.next_offset), parts.get(`${row.topic}/${row.partition}`) ?? 0);
  return done;
}

// ---- The ceiling --------------------------------------------------------------------------------------------

async function rawConsume(kafka: Kafka, groupId: string, topics: readonly string[], total: number, timeoutSec: number): Promise<{ seconds: number; joinSeconds: number }> {
  // The projector's consumer settings (maxWaitTimeInMs 200, default fetch sizes), so only the handler differs.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let received = 0;
    let firstAt = 0;
    const started = performance.now();
    const finished = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`raw consumer read ${received} of ${total} messages in ${timeoutSec} s`)), timeoutSec * 1000);
      void consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset }) => {
          if (firstAt === 0) firstAt = performance.now();
          received += batch.messages.length;
          const last = batch.messages[batch.messages.length - 1];
          if (last) resolveOffset(last.offset);
          if (received >= total) {
            clearTimeout(timer);
            resolve(performance.now());
          }
        },
      });
    });
    const done = await finished;
    return { seconds: (done - started) / 1000, joinSeconds: (firstAt - started) / 1000 };
  } finally {
    await consumer.stop().catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
  }
}

// ---- The worker thread running the isolated read models ---------------------------------------------------

interface ProjectorWorker {
  readonly ready: Promise<void>;
  start(): Promise<void>;
  stop(): Promise<Extract<ProjectorWorkerReport, { kind: 'stopped' }>>;
  terminate(): Promise<void>;
}

function startWorker(data: ProjectorWorkerData): ProjectorWorker {
  // The bench runs from TypeScript source (`ts-run`: `-r @swc-node/register`, inherited by the worker's execArgv).
  const file = path.join(__dirname, 'projector-worker.ts');
  const worker = new Worker(`require(${JSON.stringify(file)});`, { eval: true, workerData: data });
  const waiting = new Map<ProjectorWorkerReport['kind'], { resolve: (report: ProjectorWorkerReport) => void; reject: (error: Error) => void }>();
  const expect = <K extends ProjectorWorkerReport['kind']>(kind: K): Promise<Extract<ProjectorWorkerReport, { kind: K }>> =>
    new Promise((resolve, reject) => {
      if (failure !== null) return reject(failure);
      waiting.set(kind, { resolve: resolve as (report: ProjectorWorkerReport) => void, reject });
    });
  // A failure with nobody waiting is kept for the next wait (e.g. the worker died mid-replay: `stop` rejects).
  let failure: Error | null = null;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (report: ProjectorWorkerReport) => {
    if (report.kind === 'failed') return failAll(new Error(`projector worker: ${report.error}`));
    waiting.get(report.kind)?.resolve(report);
    waiting.delete(report.kind);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`projector worker exited (${code})`)));
  const ready = expect('ready').then(() => undefined);
  let terminated = false;
  return {
    ready,
    start: async () => {
      const started = expect('started');
      worker.postMessage('start');
      await started;
    },
    stop: async () => {
      const stopped = expect('stopped');
      worker.postMessage('stop');
      return stopped;
    },
    terminate: async () => {
      if (terminated) return;
      terminated = true;
      await worker.terminate();
    },
  };
}
