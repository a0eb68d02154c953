import { performance } from 'node:perf_hooks';
import type { Projection } from '@chip-ledger/projection';
import type { Client, PoolClient } from 'pg';

// ---- Timing spans (per batch, not per event: negligible overhead) -------------------------------------------

export interface ApplyStats {
  batches: number;
  events: number;
  ms: number;
  sqlMs: number;
}

export interface SchemaSql {
  engineMs: number;
  dedupeMs: number;
  offsetsMs: number;
  txMs: number;
  statements: number;
}

export interface PoolTiming {
  reset(): void;
  bySchema(schema: string): SchemaSql;
  /** SQL time of one client since `mark` was taken. */
  clientMs(client: PoolClient | Client): number;
}

const TX = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;

/**
 * Times every statement on the clients it is given (`instrument`, from `openDatabase`'s `onClient`) and files it by the generation schema it names: the engine's own
 * statements (dedupe: stream_heads; consumer_offsets, BEGIN/COMMIT/SAVEPOINT) vs the read model's.
 */
export function instrumentedClients(): PoolTiming & { instrument(client: PoolClient | Client): void } {
  const schemas = new Map<string, SchemaSql>();
  const perClient = new WeakMap<object, { ms: number; schema: string | null }>();
  const entry = (schema: string): SchemaSql => {
    let s = schemas.get(schema);
    if (!s) schemas.set(schema, (s = { engineMs: 0, dedupeMs: 0, offsetsMs: 0, txMs: 0, statements: 0 }));
    return s;
  };
  const instrument = (client: PoolClient | Client): void => {
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
        } else if (text.includes('.stream_heads')) {
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
  };
  return {
    instrument,
    reset: () => schemas.clear(),
    bySchema: (schema) => schemas.get(schema) ?? { engineMs: 0, dedupeMs: 0, offsetsMs: 0, txMs: 0, statements: 0 },
    clientMs: (client) => perClient.get(client)?.ms ?? 0,
  };
}

/** The projection itself (same object), with its apply timed: wall time and the SQL awaited inside it (the rest is JS). */
export function timedProjection(projection: Projection, stats: Map<string, ApplyStats>, sql: PoolTiming): Projection {
  const apply = projection.apply.bind(projection);
  const timed = projection as { apply: Projection['apply'] };
  timed.apply = async (tx, events, context) => {
    let s = stats.get(projection.name);
    if (!s) stats.set(projection.name, (s = { batches: 0, events: 0, ms: 0, sqlMs: 0 }));
    const t0 = performance.now();
    const sql0 = sql.clientMs(tx.client);
    try {
      return await apply(tx, events, context);
    } finally {
      s.batches += 1;
      s.events += events.length;
      s.ms += performance.now() - t0;
      s.sqlMs += sql.clientMs(tx.client) - sql0;
    }
  };
  return projection;
}
