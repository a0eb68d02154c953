import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@chip-ledger/testing';
import { Pool } from 'pg';
import type { BenchFigures } from '../figures';
import { fmtRate } from '../lib/stats';
import type { BenchContext, BenchPhase } from './context';

const BATCH = 500;
const CONNECTIONS = 4;

/** Shaped like the event store's events table (migration 0001): same columns, types, keys and indexes. */
const TABLE = `
CREATE TABLE ceiling_events (
  global_position bigserial   PRIMARY KEY,
  event_id        uuid        NOT NULL UNIQUE,
  stream_id       text        NOT NULL,
  version         integer     NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL,
  actor           jsonb       NOT NULL,
  correlation_id  text        NOT NULL,
  causation_id    text,
  data            jsonb       NOT NULL,
  prev_hash       text        NOT NULL,
  hash            text        NOT NULL,
  tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (stream_id, version)
);
CREATE INDEX ON ceiling_events (tx_id, global_position);`;

const INSERT = `
INSERT INTO ceiling_events (event_id, stream_id, version, type, schema_version, occurred_at, recorded_at, actor,
                            correlation_id, causation_id, data, prev_hash, hash)
SELECT u.event_id, u.stream_id, u.version, 'ChipsInstalled', 1, now(), now(), u.actor, u.correlation_id, NULL, u.data, u.prev_hash, u.hash
  FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[], $5::text[], $6::jsonb[], $7::text[], $8::text[])
    AS u(event_id, stream_id, version, actor, correlation_id, data, prev_hash, hash)`;

/**
 * Ceiling (a): how many event-shaped rows this PostgreSQL takes per second through plain multi-row INSERTs
 * (one statement per batch of 500, unnest of arrays, the technique append_events uses), from several
 * connections, with no HTTP, no decider, no hash computation and no version check. The command API cannot
 * beat it: one command is one row plus the reads before it.
 */
export const pgInsertCeilingPhase: BenchPhase = {
  name: 'ceiling: raw pg multi-row INSERT',
  async run(context: BenchContext): Promise<Partial<BenchFigures>> {
    const database = await createTestDatabase('bench_ceiling', context.adminDatabaseUrl);
    context.onCleanup(() => database.drop());
    const pool = new Pool({ connectionString: database.url, max: CONNECTIONS });
    context.onCleanup(() => pool.end());
    await pool.query(TABLE);

    const actor = JSON.stringify({ id: 'operator@bench', organisation: 'bench', role: 'operator' });
    const data = JSON.stringify({ dataCenterId: 'bench-dc-001', modelId: 'nvidia-h20', quantity: 1, note: 'x'.repeat(120) });
    const hash = 'a'.repeat(64);
    const rowBytes = 16 + 40 + 4 + actor.length + 36 + data.length + 2 * hash.length + 60;
    const deadline = Date.now() + context.settings.ceilingSec * 1000;
    const started = Date.now();
    let rows = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, worker) => {
        for (let batch = 0; Date.now() < deadline; batch++) {
          const ids: string[] = [];
          const streams: string[] = [];
          const versions: number[] = [];
          for (let i = 0; i < BATCH; i++) {
            ids.push(randomUUID());
            streams.push(`stream-${worker}-${batch}`);
            versions.push(i + 1);
          }
          const actors = new Array<string>(BATCH).fill(actor);
          const correlations = new Array<string>(BATCH).fill('bench');
          const datas = new Array<string>(BATCH).fill(data);
          const hashes = new Array<string>(BATCH).fill(hash);
          await pool.query(INSERT, [ids, streams, versions, actors, correlations, datas, hashes, hashes]);
          rows += BATCH;
        }
      }),
    );
    const pgInsertRowsPerSec = rows / ((Date.now() - started) / 1000);
    context.log(`pg INSERT:  ${fmtRate(pgInsertRowsPerSec)} rows/s  (${rows} event-shaped rows of ~${rowBytes} B, batches of ${BATCH}, ${CONNECTIONS} connections, ${context.settings.ceilingSec} s)`);
    return { pgInsertRowsPerSec };
  },
};
