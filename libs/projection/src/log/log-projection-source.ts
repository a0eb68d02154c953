import { parseLogPosition } from '@chip-ledger/event-store';
import { PostgresLogFeed, type PostgresLogFeedOptions } from '@chip-ledger/messaging';
import type { EventLogReader } from '@chip-ledger/event-store';
import type { Pool } from 'pg';
import type { GenerationWriter } from '../engine/generation-writer';
import type { Upcast } from '../engine/incoming-message';
import type { ConsumptionLag, ProjectionSource, SourceProgress } from '../engine/projection-source.port';
import { assertSchemaName } from '../engine/sql-names';
import type { LogEnd } from '../generations/generation-registry';
import type { ProjectionRunner } from '../runner/projection-runner.port';
import { LogProjectionRunner } from './log-projection-runner';

export interface LogProjectionSourceOptions {
  /** The pool of the database holding the stores (the same database as the read models in embedded mode). */
  readonly pool: Pool;
  /** One reader per context store; `logName` is its schema. */
  readonly stores: readonly EventLogReader[];
  readonly feed?: PostgresLogFeedOptions;
  readonly upcast?: Upcast;
}

/** The embedded form (`npm start`): generations fed from the PostgreSQL event log, no Kafka. */
export class LogProjectionSource implements ProjectionSource {
  readonly driver = 'postgres-log' as const;

  constructor(private readonly options: LogProjectionSourceOptions) {}

  createRunner(writer: GenerationWriter): ProjectionRunner {
    const feeds = this.options.stores.map((store) => new PostgresLogFeed(store, this.options.feed));
    return new LogProjectionRunner({ feeds, writer, upcast: this.options.upcast });
  }

  /** Per store: the last event in commit order, and how many there are. */
  async captureEnd(): Promise<LogEnd> {
    const parts: Record<string, string> = {};
    let total = 0;
    for (const store of this.options.stores) {
      const schema = assertSchemaName(store.logName);
      const { rows } = await this.options.pool.query<{ tx_id: string; global_position: string; count: string }>(
        `SELECT last.tx_id::text, last.global_position::text, (SELECT count(*) FROM ${schema}.events)::text AS count
           FROM (SELECT tx_id, global_position FROM ${schema}.events ORDER BY tx_id DESC, global_position DESC LIMIT 1) last`,
      );
      if (rows[0]) {
        parts[`pg:${store.logName}`] = `${rows[0].tx_id}/${rows[0].global_position}`;
        total += Number(rows[0].count);
      }
    }
    return { total, parts };
  }

  /** Events recorded and not applied yet (one process reads the log: nothing is "unowned"). */
  async lag(writer: GenerationWriter): Promise<ConsumptionLag> {
    let lag = 0;
    for (const store of this.options.stores) {
      const schema = assertSchemaName(store.logName);
      const checkpoint = await writer.logCheckpoint(`pg:${store.logName}`);
      const at = checkpoint === null ? null : parseLogPosition(checkpoint);
      const { rows } = await this.options.pool.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM ${schema}.events WHERE $1::text IS NULL OR (tx_id, global_position) > ($1::text::xid8, $2::bigint)`,
        [at?.txId ?? null, at?.position ?? 0],
      );
      lag += Number(rows[0].count);
    }
    return { lag, unownedLag: null, unownedPartitions: null };
  }

  async measure(writer: GenerationWriter, end: LogEnd): Promise<SourceProgress> {
    let done = 0;
    let caughtUp = true;
    for (const [source, last] of Object.entries(end.parts)) {
      const schema = assertSchemaName(source.replace(/^pg:/, ''));
      const checkpoint = await writer.logCheckpoint(source);
      if (checkpoint === null) {
        caughtUp = false;
        continue;
      }
      const at = parseLogPosition(checkpoint);
      const target = parseLogPosition(last);
      const { rows } = await this.options.pool.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM ${schema}.events WHERE (tx_id, global_position) <= ($1::text::xid8, $2::bigint)`,
        [at.txId, at.position],
      );
      done += Number(rows[0].count);
      if (BigInt(at.txId) < BigInt(target.txId) || (at.txId === target.txId && at.position < target.position)) caughtUp = false;
    }
    return { done: Math.min(done, end.total), caughtUp };
  }

  /** Events after the generation's checkpoint, up to `end`, counted along the commit-order index (the tail only). */
  async behind(writer: GenerationWriter, end: LogEnd): Promise<number> {
    let behind = 0;
    for (const [source, last] of Object.entries(end.parts)) {
      const schema = assertSchemaName(source.replace(/^pg:/, ''));
      const checkpoint = await writer.logCheckpoint(source);
      const from = checkpoint === null ? null : parseLogPosition(checkpoint);
      const to = parseLogPosition(last);
      const { rows } = await this.options.pool.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM ${schema}.events
          WHERE ($1::text IS NULL OR (tx_id, global_position) > ($1::text::xid8, $2::bigint))
            AND (tx_id, global_position) <= ($3::text::xid8, $4::bigint)`,
        [from?.txId ?? null, from?.position ?? 0, to.txId, to.position],
      );
      behind += Number(rows[0].count);
    }
    return behind;
  }
}
