import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionTransaction } from '../projection.port';

export interface CountingProjectionOptions {
  readonly name?: string;
  /** Sleep inside apply (in the transaction), so a crash lands mid-batch. */
  readonly sleepMs?: number;
  /** Events whose data has `poison: true` make apply throw. */
  readonly failOnPoison?: boolean;
  /** `Projection.exclusive`: one instance at a time runs it. */
  readonly exclusive?: boolean;
}

/** The counting read model's tables (in the generation's schema: the search path points there); IF NOT EXISTS like every first migration of a read model, which also runs once on generations created before the engine recorded migrations. */
export class CountingTables1700000000001 implements MigrationInterface {
  readonly name = 'CountingTables1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS stream_counts (stream_id text PRIMARY KEY, events integer NOT NULL, last_version integer NOT NULL, in_order boolean NOT NULL);
      CREATE TABLE IF NOT EXISTS event_log (event_id uuid NOT NULL, stream_id text NOT NULL, version integer NOT NULL);`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE event_log; DROP TABLE stream_counts;`);
  }
}

/**
 * The engine's test read model: events per stream, whether each stream arrived in version order, and a
 * log of every event applied (a double application shows as a duplicate row, a loss as a missing one).
 */
export function countingProjection(options: CountingProjectionOptions = {}): Projection {
  return {
    name: options.name ?? 'counting',
    exclusive: options.exclusive,
    migrations: [new CountingTables1700000000001()],
    async apply({ client, schema }: ProjectionTransaction, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
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
