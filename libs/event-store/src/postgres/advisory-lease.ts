import { Client, type Pool } from 'pg';

/** A session advisory lock held on a connection of its own: whoever holds it is the one active instance. */
export interface AdvisoryLease {
  /** True once the lock's connection failed: another instance may hold the lock now. */
  readonly lost: boolean;
  /** Ends the lock's session, which frees the lock for a standby. */
  release(): Promise<void>;
}

export interface AdvisoryLeaseOptions {
  /** The two-part lock key (hashed with `hashtext`): a namespace and a name within it. */
  readonly namespace: string;
  readonly name: string;
  /** Shown in pg_stat_activity, so operators (and tests) can find the lock's session. */
  readonly applicationName: string;
  /** How often the connection is pinged, so a silently dead one is noticed. */
  readonly heartbeatMs: number;
}

/**
 * Tries to take a session advisory lock on a new connection outside the pool: the lock lives as long as the
 * session, and a crashed instance's session ends with its process, which frees the lock for a standby.
 * Null when another session holds it. Used by the outbox relay (one publisher per store) and by exclusive
 * projections (one consumer per generation).
 */
export async function tryAcquireAdvisoryLease(pool: Pool, options: AdvisoryLeaseOptions): Promise<AdvisoryLease | null> {
  const client = new Client({ ...pool.options, application_name: options.applicationName.slice(0, 63) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ acquired: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS acquired`, [
      options.namespace,
      options.name,
    ]);
    if (rows[0].acquired) return new SessionLease(client, options.heartbeatMs);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end().catch(() => undefined);
  return null;
}

class SessionLease implements AdvisoryLease {
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
