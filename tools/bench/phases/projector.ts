import { performance } from 'node:perf_hooks';
import { createKafkaClient, ensureTopics, LEDGER_TOPIC_PARTITIONS, ledgerTopic, ledgerTopics, encodeEventMessage, type LedgerContext } from '@chip-ledger/messaging';
import { generationSchema, KafkaProjectionSource, ProjectionEngine, type Projection, type ProjectionFactory } from '@chip-ledger/projection';
import { READ_MODELS } from '@chip-ledger/read-models';
import { createTestDatabase } from '@chip-ledger/testing';
import { logLevel, Partitioners, type Kafka, type Message } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import type { BenchFigures } from '../figures';
import { childrenOf, cpuAvailable, cpuPercent, sampleCpu, type CpuGroups } from '../lib/cpu';
import { fmtRate, sleep } from '../lib/stats';
import type { BenchContext, BenchPhase } from './context';
import { ledgerMix } from './projector-events';

export interface ProjectorPhaseOptions {
  /** Events produced and replayed (full 1,000,000; quick fewer). */
  readonly events: number;
  /** Longest the projector may take before the phase reports it incomplete. */
  readonly timeoutSec: number;
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
  const pool = new Pool({ connectionString: database.url, max: 12 });
  context.onCleanup(() => pool.end());
  const sql = instrumentPool(pool);
  const applyStats = new Map<string, ApplyStats>();
  const projections: ProjectionFactory[] = READ_MODELS.map((factory) => () => timedProjection(factory(), applyStats, sql));
  const names = READ_MODELS.map((factory) => factory().name);
  const errors: string[] = [];
  const engine = new ProjectionEngine({
    pool,
    source: new KafkaProjectionSource({ kafka, topics, groupPrefix: `${prefix}.projection` }),
    projections,
    onError: (error) => errors.push((error as Error).message),
  });
  let engineStopped = false;
  context.onCleanup(async () => {
    if (!engineStopped) await engine.stop();
  });

  const groups: CpuGroups = {
    projector: { pids: () => [process.pid] },
    postgres: { pids: () => (context.processes.postgres ? [context.processes.postgres, ...childrenOf(context.processes.postgres)] : []) },
    kafka: { pids: () => (context.processes.kafka ? [context.processes.kafka] : []) },
  };
  const cpuStart = cpuAvailable() ? sampleCpu(groups) : null;
  sql.reset();
  const started = performance.now();
  await engine.start();
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
      `${names.length} read models (${names.join(', ')}), each its own consumer group; transactions gather fetches of several partitions (≤ 5,000 events; findings, exclusive, ≤ 25,000)`,
  );
  log(
    timedOut
      ? `replay of ${fmtRate(options.events)} events: NOT DONE after ${seconds.toFixed(0)} s (slowest read model at ${fmtRate(slowest)}); ceiling read them in ${ceiling.seconds.toFixed(1)} s`
      : `replay of ${fmtRate(options.events)} events: ${seconds.toFixed(1)} s (start → every read model's stored offsets at the high-water marks), ceiling ${ceiling.seconds.toFixed(1)} s`,
  );
  log(`  per read model (done at): ${names.map((n) => `${n} ${doneAt.has(n) ? `${(((doneAt.get(n) as number) - started) / 1000).toFixed(1)} s` : `${fmtRate(progress.get(n) ?? 0)} events`}`).join(', ')}`);
  log(`  findings: ${findings.rows[0]?.open ?? 0} open, ${findings.rows[0]?.total ?? 0} intervals, ${findings.rows[0]?.rules ?? 0} rules; dead letters: ${deadLetters}; errors: ${errors.length}${errors[0] ? ` (first: ${errors[0]})` : ''}`);
  for (const s of status) if (s.lastError) log(`  ${s.projection}: last error ${s.lastError}`);
  if (cpu) log(`  cpu (% of one core): projector process ${cpu['projector']}, postgres ${cpu['postgres']}, kafka ${cpu['kafka']}, other processes ${cpu['otherProcesses']}`);
  log(`  where the projector's time went (sums over the ${names.length} runners, which overlap on one event loop):`);
  for (const name of names) {
    const a = applyStats.get(name);
    const wall = seconds * 1000;
    const own = sql.bySchema(generationSchema(name, 1));
    if (!a) continue;
    log(
      `    ${name.padEnd(16)} apply ${fmtS(a.ms)} (${a.batches} batches, ${((a.ms / wall) * 100).toFixed(0)}% of wall): JS ${fmtS(a.ms - a.sqlMs)}, its SQL ${fmtS(a.sqlMs)}; ` +
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

// ---- Timing spans (per batch, not per event: negligible overhead) -------------------------------------------

interface ApplyStats {
  batches: number;
  events: number;
  ms: number;
  sqlMs: number;
}

interface SchemaSql {
  engineMs: number;
  dedupeMs: number;
  offsetsMs: number;
  txMs: number;
  statements: number;
}

interface PoolTiming {
  reset(): void;
  bySchema(schema: string): SchemaSql;
  /** SQL time of one client since `mark` was taken. */
  clientMs(client: PoolClient): number;
}

const TX = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;

/**
 * Times every statement on the pool's clients and files it by the generation schema it names: the engine's own
 * statements (dedupe into applied_events, consumer_offsets, BEGIN/COMMIT/SAVEPOINT) vs the read model's.
 */
function instrumentPool(pool: Pool): PoolTiming {
  const schemas = new Map<string, SchemaSql>();
  const perClient = new WeakMap<object, { ms: number; schema: string | null }>();
  const entry = (schema: string): SchemaSql => {
    let s = schemas.get(schema);
    if (!s) schemas.set(schema, (s = { engineMs: 0, dedupeMs: 0, offsetsMs: 0, txMs: 0, statements: 0 }));
    return s;
  };
  pool.on('connect', (client) => {
    const state = { ms: 0, schema: null as string | null };
    perClient.set(client, state);
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '');
      const t0 = performance.now();
      const result = original(...args);
      if (!(result instanceof Promise)) return result;
      const schema = /\b(proj_[a-z0-9_]+_g\d+)\./.exec(text)?.[1] ?? null;
      if (schema) state.schema = schema;
      const account = () => {
        const ms = performance.now() - t0;
        state.ms += ms;
        const s = state.schema ? entry(state.schema) : null;
        if (!s) return;
        s.statements += 1;
        if (TX.test(text)) {
          s.txMs += ms;
          s.engineMs += ms;
        } else if (text.includes('.applied_events')) {
          s.dedupeMs += ms;
          s.engineMs += ms;
        } else if (text.includes('.consumer_offsets')) {
          s.offsetsMs += ms;
          s.engineMs += ms;
        }
      };
      return result.then(
        (value: unknown) => {
          account();
          return value;
        },
        (error: unknown) => {
          account();
          throw error;
        },
      );
    };
  });
  return {
    reset: () => schemas.clear(),
    bySchema: (schema) => schemas.get(schema) ?? { engineMs: 0, dedupeMs: 0, offsetsMs: 0, txMs: 0, statements: 0 },
    clientMs: (client) => perClient.get(client)?.ms ?? 0,
  };
}

/** The projection itself (same object), with its apply timed: wall time and the SQL awaited inside it (the rest is JS). */
function timedProjection(projection: Projection, stats: Map<string, ApplyStats>, sql: PoolTiming): Projection {
  const apply = projection.apply.bind(projection);
  const timed = projection as { apply: Projection['apply'] };
  timed.apply = async (client, schema, events) => {
    let s = stats.get(projection.name);
    if (!s) stats.set(projection.name, (s = { batches: 0, events: 0, ms: 0, sqlMs: 0 }));
    const t0 = performance.now();
    const sql0 = sql.clientMs(client);
    try {
      return await apply(client, schema, events);
    } finally {
      s.batches += 1;
      s.events += events.length;
      s.ms += performance.now() - t0;
      s.sqlMs += sql.clientMs(client) - sql0;
    }
  };
  return projection;
}
