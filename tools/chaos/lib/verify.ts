import { randomBytes } from 'node:crypto';
import { isMarkerMessage } from '@chip-ledger/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { Acknowledged } from './load';
import { tokens } from './world';

export interface StoreFigures {
  /** Acknowledged commands whose events are not all in the event store. */
  readonly lost: number;
  readonly lostKeys: readonly string[];
  /** Acknowledged commands that had been answered a 5xx (or a transport error) first although they had committed. */
  readonly committedBehind5xx: number;
  /** Events in the procurement store. */
  readonly storedEvents: number;
}

/** Every acknowledged command's events must be in the store. */
export async function checkStore(databaseUrl: string, acknowledged: readonly Acknowledged[]): Promise<StoreFigures> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const ids = acknowledged.flatMap((a) => a.eventIds);
    const { rows } = await db.query<{ event_id: string; recorded_at: Date }>(`SELECT event_id::text, recorded_at FROM procurement.events WHERE event_id = ANY($1::uuid[])`, [ids]);
    const stored = new Map(rows.map((r) => [r.event_id, r.recorded_at.getTime()]));
    const lostKeys = acknowledged.filter((a) => a.eventIds.length === 0 || a.eventIds.some((id) => !stored.has(id))).map((a) => a.key);
    // recorded_at is the committing transaction's start on the same machine's clock: before the failed answer
    // came back, so that try (or an earlier one) had committed.
    const committedBehind5xx = acknowledged.filter((a) => a.firstFailureAt !== null && (stored.get(a.eventIds[0]) ?? Infinity) < a.firstFailureAt).length;
    const { rows: total } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM procurement.events');
    return { lost: lostKeys.length, lostKeys: lostKeys.slice(0, 10), committedBehind5xx, storedEvents: total[0].n };
  } finally {
    await db.end();
  }
}

export interface KafkaFigures {
  /** Event messages (watermark markers apart). */
  readonly messages: number;
  /** Watermark markers read (not events; ADR 0019). */
  readonly markers: number;
  readonly distinct: number;
  /** Messages beyond the first of each event (raw duplicates), and events that appear more than once. */
  readonly duplicateMessages: number;
  readonly duplicatedEvents: number;
  /** Stored events missing from the topic. */
  readonly missing: number;
  /** Streams whose events (first copies) are out of version order on the topic. */
  readonly outOfOrderStreams: number;
}

/** Reads the context topic from offset 0 to its end and compares it with the store. */
export async function checkKafka(brokers: readonly string[], topic: string, databaseUrl: string): Promise<KafkaFigures> {
  const kafka = new Kafka({ clientId: 'chaos-reader', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  await admin.disconnect();
  const counts = new Map<string, number>();
  const versions = new Map<string, number[]>();
  let messages = 0;
  let markers = 0;
  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomBytes(4).toString('hex')}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Map<number, boolean>([...ends].map(([p, high]) => [p, high === 0]));
  await new Promise<void>((resolve, reject) => {
    const check = () => [...done.values()].every(Boolean) && resolve();
    check();
    const timer = setTimeout(() => reject(new Error(`reading ${topic} did not reach its end within 120 s`)), 120_000);
    void consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            if (Number(message.offset) >= (ends.get(batch.partition) ?? 0)) continue;
            // Watermark markers (ADR 0019) are not events: one per partition per relay round, no event id.
            if (isMarkerMessage(message)) {
              markers++;
              continue;
            }
            messages++;
            const id = message.headers?.['event-id']?.toString() ?? '';
            counts.set(id, (counts.get(id) ?? 0) + 1);
            if (counts.get(id) === 1) {
              const stream = message.key?.toString() ?? '';
              const list = versions.get(stream) ?? [];
              list.push(Number(message.headers?.['stream-version']?.toString()));
              versions.set(stream, list);
            }
          }
          const last = batch.messages[batch.messages.length - 1];
          if (last && Number(last.offset) + 1 >= (ends.get(batch.partition) ?? 0)) done.set(batch.partition, true);
          if ([...done.values()].every(Boolean)) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id::text FROM procurement.events');
  await db.end();
  const distinct = counts.size;
  return {
    messages,
    markers,
    distinct,
    duplicateMessages: messages - distinct,
    duplicatedEvents: [...counts.values()].filter((n) => n > 1).length,
    missing: rows.filter((r) => !counts.has(r.event_id)).length,
    outOfOrderStreams: [...versions.values()].filter((list) => list.some((v, i) => i > 0 && v <= list[i - 1])).length,
  };
}

export const READ_MODELS = ['chip-mix', 'findings', 'licence-balances', 'rentals'] as const;

/** Wall-clock columns (when a batch wrote the row) and how the findings journal is cut into batches: not facts. */
const VOLATILE: Record<string, readonly string[]> = { findings: ['updated_at'], findings_evaluations: ['evaluated_at'], findings_meta: ['value'] };
/**
 * When a finding opened and closed (and the row id hashed from them): compared on their own, so that a difference
 * there is told apart from a difference in the facts. Findings are a function of the facts, however batches were
 * cut (ARCHITECTURE.md, ADR 0007): the suite fails on either.
 */
const BATCH_DATED: Record<string, readonly string[]> = { findings: ['id', 'opened_at', 'closed_at'] };
const ENGINE_TABLES = new Set(['stream_heads', 'consumer_offsets', 'log_checkpoints', 'generation_owner']);

export interface ReadModelFigures {
  /**
   * Per read model: equal to a rebuild from the log's start, or what differs; `batchDated`: rows equal in every fact
   * whose batch-dated columns (BATCH_DATED) differ.
   */
  readonly results: { readonly projection: string; readonly rows: number; readonly equal: boolean; readonly differences: readonly string[]; readonly batchDated: number }[];
  readonly equal: boolean;
}

/**
 * Rebuilds every read model from the start of the log (blue/green, through the admin API) and compares the
 * generation that lived through the faults with the rebuilt one, table by table and row by row.
 */
export async function checkReadModels(baseUrl: string, databaseUrl: string): Promise<ReadModelFigures> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const results = [];
    for (const projection of READ_MODELS) {
      const { rows: active } = await db.query<{ schema_name: string }>(`SELECT schema_name FROM projections.generations WHERE projection = $1 AND state = 'active'`, [projection]);
      if (!active[0]) throw new Error(`${projection} has no active generation`);
      const started = await admin<{ generation: number }>(baseUrl, 'POST', `/admin/projections/${projection}/rebuild`);
      const deadline = Date.now() + 300_000;
      for (;;) {
        const progress = await admin<{ generation: number; state: string }>(baseUrl, 'GET', `/admin/projections/${projection}/rebuild`);
        if (progress.generation === started.generation && progress.state === 'active') break;
        if (Date.now() > deadline) throw new Error(`the rebuild of ${projection} did not take over within 300 s (${JSON.stringify(progress)})`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const { rows: rebuiltSchema } = await db.query<{ schema_name: string }>(`SELECT schema_name FROM projections.generations WHERE projection = $1 AND generation = $2`, [
        projection,
        started.generation,
      ]);
      const [lived, rebuilt] = [await dump(db, active[0].schema_name), await dump(db, rebuiltSchema[0].schema_name)];
      const differences: string[] = [];
      let batchDated = 0;
      for (const table of new Set([...Object.keys(lived), ...Object.keys(rebuilt)])) {
        if (table.endsWith('#dated')) {
          const b = new Set(rebuilt[table] ?? []);
          batchDated += (lived[table] ?? []).filter((row) => !b.has(row)).length;
          continue;
        }
        const a = lived[table] ?? [];
        const b = new Set(rebuilt[table] ?? []);
        const onlyLived = a.filter((row) => !b.has(row));
        const onlyRebuilt = [...b].filter((row) => !a.includes(row));
        if (a.length !== b.size || onlyLived.length || onlyRebuilt.length) {
          const sample = (rows: string[]) => rows.slice(0, 2).map((row) => row.slice(0, 400)).join(' | ') || '-';
          differences.push(`${table}: ${a.length} rows vs ${b.size} rebuilt; only in the live one (${onlyLived.length}): ${sample(onlyLived)}; only rebuilt (${onlyRebuilt.length}): ${sample(onlyRebuilt)}`);
        }
      }
      const rows = Object.entries(lived).reduce((n, [table, list]) => n + (table.endsWith('#dated') ? 0 : list.length), 0);
      results.push({ projection, rows, equal: differences.length === 0, differences, batchDated });
    }
    return { results, equal: results.every((r) => r.equal) };
  } finally {
    await db.end();
  }
}

async function dump(db: Client, schema: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const { rows: tables } = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
  if (tables.length === 0) throw new Error(`schema ${schema} has no tables (dropped already?)`);
  for (const { table_name: table } of tables.filter((t) => !ENGINE_TABLES.has(t.table_name))) {
    const { rows } = await db.query<Record<string, unknown>>(`SELECT * FROM ${schema}."${table}"`);
    if (table === 'findings_journal_batches') {
      out[table] = rows.flatMap((row) => (JSON.parse(row['envelopes'] as string) as object[]).map((e) => JSON.stringify(e))).sort();
      continue;
    }
    const dated = BATCH_DATED[table] ?? [];
    if (dated.length > 0) out[`${table}#dated`] = rows.map((row) => JSON.stringify([row['finding_id'], row['severity'], ...dated.map((c) => row[c])])).sort();
    out[table] = rows
      .map((row) => {
        for (const column of [...(VOLATILE[table] ?? []), ...dated]) delete row[column];
        return JSON.stringify(row, Object.keys(row).sort());
      })
      .sort();
  }
  return out;
}

async function admin<T>(baseUrl: string, method: 'GET' | 'POST', path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: tokens.admin }, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** GET /health until it answers 200 `ok` (every dependency up, every read model caught up); returns when, or null. */
export async function waitHealthy(baseUrl: string, timeoutMs: number): Promise<{ at: number; last: unknown } | { at: null; last: unknown }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
      last = await res.json();
      if (res.status === 200) return { at: Date.now(), last };
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { at: null, last };
}

/** GET /health once: its status and what it says is degraded. */
export async function healthOf(baseUrl: string): Promise<{ status: string; degraded: string[] }> {
  try {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as { status?: string; degraded?: string[] };
    return { status: body.status ?? String(res.status), degraded: body.degraded ?? [] };
  } catch (error) {
    return { status: 'unreachable', degraded: [(error as Error).message] };
  }
}
