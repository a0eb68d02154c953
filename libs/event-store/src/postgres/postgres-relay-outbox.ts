import { Client, type Pool } from 'pg';
import type { CommittedBatch, LogPosition, OutboxBacklog, RelayLease, RelayOutbox } from '../port/event-log.port';
import { LOG_START } from '../port/event-log.port';
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

  async tryAcquireLease(): Promise<RelayLease | null> {
    // Its own connection, outside the pool: the lock lives as long as the session, and a crashed relay's
    // session ends with its process, which frees the lease for a standby.
    const client = new Client({ ...this.pool.options, application_name: `chip-ledger-relay-${this.schema}-${this.relayName}` });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const { rows } = await client.query<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext('chip-ledger.relay'), hashtext($1)) AS acquired`,
        [`${this.schema}/${this.relayName}`],
      );
      if (rows[0].acquired) return new AdvisoryLease(client, this.heartbeatMs);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    await client.end().catch(() => undefined);
    return null;
  }

  async loadCheckpoint(): Promise<LogPosition> {
    const { rows } = await this.pool.query<{ tx_id: string; position: string }>(
      `WITH init AS (
         INSERT INTO ${this.q}.relay_checkpoints (relay_name, tx_id, position) VALUES ($1, $2::xid8, $3)
         ON CONFLICT (relay_name) DO NOTHING RETURNING tx_id, position)
       SELECT tx_id::text AS tx_id, position FROM init
       UNION ALL
       SELECT tx_id::text, position FROM ${this.q}.relay_checkpoints WHERE relay_name = $1`,
      [this.relayName, LOG_START.txId, LOG_START.position],
    );
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

class AdvisoryLease implements RelayLease {
  private isLost = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: Client,
    heartbeatMs: number,
  ) {
    const lose = () => {
      this.isLost = true;
    };
    client.on('error', lose);
    client.on('end', lose);
    // A silently dead connection would only be noticed at the next query: ping it.
    this.timer = setInterval(() => void client.query('SELECT 1').catch(lose), heartbeatMs);
    this.timer.unref();
  }

  get lost(): boolean {
    return this.isLost;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    this.isLost = true;
    // Ending the session releases the advisory lock.
    await this.client.end().catch(() => undefined);
  }
}
