import type { MigrationScope } from '@chip-ledger/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Projection } from '../projection.port';
import { REGISTRY_SCHEMA } from './sql-names';

/**
 * The registry and the dead letters, shared by every projection and generation, and the deployment's identity.
 * Written IF NOT EXISTS: schemas created before TypeORM's runner (which kept no record) get it run once, harmlessly.
 */
export class ProjectionRegistry1735689600101 implements MigrationInterface {
  readonly name = 'ProjectionRegistry1735689600101';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS generations (
        projection   text        NOT NULL,
        generation   integer     NOT NULL,
        schema_name  text        NOT NULL UNIQUE,
        state        text        NOT NULL CHECK (state IN ('building', 'active', 'retired')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at   timestamptz,
        dropped_at   timestamptz,
        -- What "caught up" means for a rebuild: the log's end when it started (Kafka high-water marks per
        -- partition, or the event count of the PostgreSQL log), so any instance can judge progress.
        target       jsonb,
        PRIMARY KEY (projection, generation)
      );
      -- At most one active generation per projection: the switch cannot leave two.
      CREATE UNIQUE INDEX IF NOT EXISTS generations_one_active ON generations (projection) WHERE state = 'active';
      CREATE TABLE IF NOT EXISTS dead_letters (
        id          bigserial   PRIMARY KEY,
        projection  text        NOT NULL,
        generation  integer     NOT NULL,
        topic       text        NOT NULL,
        partition   integer     NOT NULL,
        "offset"    text        NOT NULL,
        event_id    uuid,
        error       text        NOT NULL,
        payload     text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        -- A redelivered poison message is recorded once per generation.
        UNIQUE (projection, generation, topic, partition, "offset")
      );
      -- Who this read-model store is (ADR 0006, "A deployment's identity"): drawn once, on the first migration. Consumer
      -- group ids include it, so two deployments reading the same topics never join each other's groups.
      CREATE TABLE IF NOT EXISTS deployment (
        singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
        id         text        NOT NULL CHECK (id ~ '^[a-z0-9]{1,32}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO deployment (id) VALUES (left(replace(gen_random_uuid()::text, '-', ''), 12)) ON CONFLICT DO NOTHING;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE deployment; DROP TABLE dead_letters; DROP TABLE generations;`);
  }
}

/**
 * The engine's tables inside a generation's schema, next to the read model's own: the stream heads (dedupe), the
 * Kafka offsets and the PostgreSQL-log checkpoints with their watermarks, all written in the read model's
 * transactions, and the ownership epoch of an exclusive projection. The upgrades in it are for generations created
 * before TypeORM's runner (no record: this runs once on them).
 */
export class GenerationTables1735689600201 implements MigrationInterface {
  readonly name = 'GenerationTables1735689600201';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      -- Dedupe by stream position: the highest version applied of each stream (see GenerationWriter.claimNewEvents).
      -- Read-your-writes ("is version v of stream s applied yet?") is a primary-key probe.
      CREATE TABLE IF NOT EXISTS stream_heads (
        stream_id text    PRIMARY KEY,
        version   integer NOT NULL
      );
      -- Generations created before stream heads kept one row per event id: their heads are those rows' maxima.
      DO $migrate$ BEGIN
        IF to_regclass('applied_events') IS NOT NULL THEN
          -- Nothing may commit rows between the fold and the drop (an older instance still running).
          LOCK TABLE applied_events IN EXCLUSIVE MODE;
          INSERT INTO stream_heads AS h (stream_id, version)
          SELECT stream_id, max(version) FROM applied_events GROUP BY stream_id
          ON CONFLICT (stream_id) DO UPDATE SET version = GREATEST(h.version, excluded.version);
          DROP TABLE applied_events;
        END IF;
      END $migrate$;
      CREATE TABLE IF NOT EXISTS consumer_offsets (
        topic       text    NOT NULL,
        partition   integer NOT NULL,
        -- The next offset to read (last applied + 1), as Kafka commits it.
        next_offset bigint  NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition)
      );
      CREATE TABLE IF NOT EXISTS log_checkpoints (
        source     text PRIMARY KEY,
        position   text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Watermarks (ADR 0019), moved in the same transactions as the offsets. Per Kafka partition: the context of its
      -- topic, how many partitions the topic has, and the global position through which every event of that context on
      -- this partition has been applied (the last watermark marker read there). Per log source: the same for its store.
      -- Looked up first: ALTER TABLE locks the table even when there is nothing to add, and on a generation created
      -- before this runner another instance's batch may hold its rows for seconds while this one starts.
      DO $watermarks$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'consumer_offsets'::regclass AND attname = 'complete_through' AND NOT attisdropped) THEN
          ALTER TABLE consumer_offsets ADD COLUMN context text, ADD COLUMN topic_partitions integer, ADD COLUMN complete_through bigint;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'log_checkpoints'::regclass AND attname = 'complete_through' AND NOT attisdropped) THEN
          ALTER TABLE log_checkpoints ADD COLUMN complete_through bigint;
        END IF;
      END $watermarks$;
      -- Exclusive projections only: the ownership epoch fencing a previous owner.
      CREATE TABLE IF NOT EXISTS generation_owner (
        singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
        epoch      bigint      NOT NULL,
        owner      text        NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE generation_owner; DROP TABLE log_checkpoints; DROP TABLE consumer_offsets; DROP TABLE stream_heads;`);
  }
}

/** The registry's schema (`projections`). */
export const registryMigrationScope = (): MigrationScope => ({ schema: REGISTRY_SCHEMA, migrations: [new ProjectionRegistry1735689600101()] });

/**
 * A generation's schema: the engine's tables, then the read model's (`Projection.migrations`), one record. The same
 * scope for every generation of a projection, so a blue/green rebuild's schema has exactly the tables the live one has.
 */
export const generationMigrationScope = (schema: string, projection: Pick<Projection, 'migrations'>): MigrationScope => ({
  schema,
  migrations: [new GenerationTables1735689600201(), ...projection.migrations],
});
