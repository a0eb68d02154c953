import type { Pool } from 'pg';
import type { CommittedBatch, LogPosition, OutboxBacklog, RelayLease, RelayOutbox } from '../port/event-log.port';
import { LOG_START } from '../port/event-log.port';
import { tryAcquireAdvisoryLease } from './advisory-lease';
import { PostgresEventStore } from './postgres-event-store';
import { quoteSchema } from './schema-name';

export interface PostgresRelayOutboxOptions {
  /** Names the relay's checkpoint and lease; default 'kafka'. */
  readonly relayName?: string;
  /** How often the lease connection is checked; default 2 s. */
  readonly leaseHeartbeatMs?: number;
}

/**
 * The outbox side of the store for one relay: commit-safe reads, a checkpoint row per relay, and a lease
 * (a session advisory lock on a connection of its own) so one relay instance publishes at a time and a
 * stream's events never split between instances.
 */
export class PostgresRelayOutbox implements RelayOutbox {
  readonly relayName: string;
  readonly logName: string;
  private readonly q: string;
  private readonly reader: PostgresEventStore;
  private readonly heartbeatMs: number;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
    options: PostgresRelayOutboxOptions = {},
  ) {
    this.q = quoteSchema(schema);
    this.relayName = options.relayName ?? 'kafka';
    this.logName = schema;
    this.reader = new PostgresEventStore(pool, schema);
    this.heartbeatMs = options.leaseHeartbeatMs ?? 2_000;
  }

  readCommitted(after: LogPosition, limit: number): Promise<CommittedBatch> {
    return this.reader.readCommitted(after, limit);
  }

  tryAcquireLease(): Promise<RelayLease | null> {
    return tryAcquireAdvisoryLease(this.pool, {
      namespace: 'chip-ledger.relay',
      name: `${this.schema}/${this.relayName}`,
      applicationName: `chip-ledger-relay-${this.schema}-${this.relayName}`,
      heartbeatMs: this.heartbeatMs,
    });
  }

  /**
   * The stored checkpoint, created at the start of the log the first time. Two statements: when another session
   * (the relay and a health probe's `backlog`, at start-up) creates the row at the same moment, the INSERT waits
   * for it and does nothing, and only a statement begun after that sees its row (one statement with the INSERT in
   * a CTE read the table with the snapshot it began with: no row at all).
   */
  async loadCheckpoint(): Promise<LogPosition> {
    await this.pool.query(
      `INSERT INTO ${this.q}.relay_checkpoints (relay_name, tx_id, position) VALUES ($1, $2::xid8, $3) ON CONFLICT (relay_name) DO NOTHING`,
      [this.relayName, LOG_START.txId, LOG_START.position],
    );
    const { rows } = await this.pool.query<{ tx_id: string; position: string }>(
      `SELECT tx_id::text AS tx_id, position FROM ${this.q}.relay_checkpoints WHERE relay_name = $1`,
      [this.relayName],
    );
    if (rows.length === 0) throw new Error(`Relay checkpoint of ${this.schema}/${this.relayName} is missing right after it was created`);
    return { txId: rows[0].tx_id, position: Number(rows[0].position) };
  }

  async commitCheckpoint(from: LogPosition, to: LogPosition): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.q}.relay_checkpoints SET tx_id = $2::xid8, position = $3, updated_at = now()
        WHERE relay_name = $1 AND tx_id = $4::xid8 AND position = $5`,
      [this.relayName, to.txId, to.position, from.txId, from.position],
    );
    return rowCount === 1;
  }

  async backlog(after: LogPosition): Promise<OutboxBacklog> {
    const { rows } = await this.pool.query<{ pending: string; oldest: Date | null }>(
      `SELECT count(*) AS pending, min(recorded_at) AS oldest FROM ${this.q}.events
        WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)`,
      [after.txId, after.position],
    );
    return { pending: Number(rows[0].pending), oldestRecordedAt: rows[0].oldest?.toISOString() ?? null };
  }
}
