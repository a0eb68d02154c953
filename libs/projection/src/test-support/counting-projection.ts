import type { PoolClient } from 'pg';
import type { Projection, ProjectedEvent, ProjectionChange } from '../projection.port';

export interface CountingProjectionOptions {
  readonly name?: string;
  /** Sleep inside apply (in the transaction), so a crash lands mid-batch. */
  readonly sleepMs?: number;
  /** Events whose data has `poison: true` make apply throw. */
  readonly failOnPoison?: boolean;
  /** `Projection.exclusive`: one instance at a time runs it. */
  readonly exclusive?: boolean;
}

/**
 * The engine's test read model: events per stream, whether each stream arrived in version order, and a
 * log of every event applied (a double application shows as a duplicate row, a loss as a missing one).
 */
export function countingProjection(options: CountingProjectionOptions = {}): Projection {
  return {
    name: options.name ?? 'counting',
    exclusive: options.exclusive,
    async migrate(client: PoolClient, schema: string) {
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${schema}.stream_counts (stream_id text PRIMARY KEY, events integer NOT NULL, last_version integer NOT NULL, in_order boolean NOT NULL);
        CREATE TABLE IF NOT EXISTS ${schema}.event_log (event_id uuid NOT NULL, stream_id text NOT NULL, version integer NOT NULL);`);
    },
    async apply(client: PoolClient, schema: string, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
      if (options.failOnPoison && events.some((e) => (e.data as { poison?: boolean } | null)?.poison === true)) throw new Error('poisoned event');
      if (options.sleepMs) await new Promise((resolve) => setTimeout(resolve, options.sleepMs));
      for (const event of events) {
        await client.query(
          `INSERT INTO ${schema}.stream_counts (stream_id, events, last_version, in_order) VALUES ($1, 1, $2, $2 = 1)
           ON CONFLICT (stream_id) DO UPDATE SET events = stream_counts.events + 1, last_version = excluded.last_version,
             in_order = stream_counts.in_order AND excluded.last_version = stream_counts.last_version + 1`,
          [event.streamId, event.version],
        );
        await client.query(`INSERT INTO ${schema}.event_log (event_id, stream_id, version) VALUES ($1, $2, $3)`, [event.eventId, event.streamId, event.version]);
      }
      return [];
    },
  };
}
