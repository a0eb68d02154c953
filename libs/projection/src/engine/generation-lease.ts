import { Client, type Pool } from 'pg';

/** Who holds an exclusive projection's generation: lost when its connection (and so the lock) is gone. */
export interface GenerationLease {
  readonly lost: boolean;
  /** Ends the lock's session, which frees the lock for a standby. */
  release(): Promise<void>;
}

/** First key of the two-int advisory lock space used for exclusive generations (the second: the schema). */
const LEASE_NAMESPACE = 'chip-ledger.projection.exclusive';

/**
 * Tries to become the one instance running a generation of an exclusive projection: a session advisory lock
 * keyed by the generation's schema (so by projection and generation), on a connection of its own outside the
 * pool. A crashed instance's session ends with its process, which frees the lock for a standby. Modelled on
 * the event store's relay lease (postgres-relay-outbox.ts): the connection is pinged every `heartbeatMs` so a
 * silently dead one is noticed (`lost`). Null when another session holds the lock.
 */
export async function tryAcquireGenerationLease(pool: Pool, schema: string, heartbeatMs: number): Promise<GenerationLease | null> {
  const client = new Client({ ...pool.options, application_name: `chip-ledger-projection-${schema}`.slice(0, 63) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ acquired: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS acquired`, [LEASE_NAMESPACE, schema]);
    if (rows[0].acquired) return new AdvisoryGenerationLease(client, heartbeatMs);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end().catch(() => undefined);
  return null;
}

class AdvisoryGenerationLease implements GenerationLease {
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
    await this.client.end().catch(() => undefined);
  }
}
