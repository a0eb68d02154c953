import type { PoolClient } from 'pg';
import { generationOwnerDdl } from './generation-writer';
import { assertSchemaName, REGISTRY_SCHEMA } from './sql-names';

/**
 * The registry and the dead letters are shared by every projection and generation. Created with
 * IF NOT EXISTS under an advisory lock, so instances starting together do not race on the DDL.
 */
export async function migrateRegistry(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${REGISTRY_SCHEMA}.migrate`]);
  await client.query(`
    CREATE SCHEMA IF NOT EXISTS ${REGISTRY_SCHEMA};
    CREATE TABLE IF NOT EXISTS ${REGISTRY_SCHEMA}.generations (
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
    CREATE UNIQUE INDEX IF NOT EXISTS generations_one_active ON ${REGISTRY_SCHEMA}.generations (projection) WHERE state = 'active';
    CREATE TABLE IF NOT EXISTS ${REGISTRY_SCHEMA}.dead_letters (
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
    CREATE TABLE IF NOT EXISTS ${REGISTRY_SCHEMA}.deployment (
      singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
      id         text        NOT NULL CHECK (id ~ '^[a-z0-9]{1,32}$'),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO ${REGISTRY_SCHEMA}.deployment (id) VALUES (left(replace(gen_random_uuid()::text, '-', ''), 12)) ON CONFLICT DO NOTHING;
  `);
}

/**
 * The engine's tables inside a generation's schema, next to the read model's own: the stream heads (dedupe),
 * the Kafka offsets and the PostgreSQL-log checkpoints, all written in the read model's transactions.
 * Idempotent: run when a generation is created and, for the live ones, at every engine start.
 */
export async function migrateGenerationTables(client: PoolClient, schema: string): Promise<void> {
  const s = assertSchemaName(schema);
  await client.query(`
    CREATE SCHEMA IF NOT EXISTS ${s};
    -- Dedupe by stream position: the highest version applied of each stream (see GenerationWriter.claimNewEvents).
    -- Read-your-writes ("is version v of stream s applied yet?") is a primary-key probe.
    CREATE TABLE IF NOT EXISTS ${s}.stream_heads (
      stream_id text    PRIMARY KEY,
      version   integer NOT NULL
    );
    -- Generations created before stream heads kept one row per event id: their heads are those rows' maxima.
    DO $migrate$ BEGIN
      IF to_regclass('${s}.applied_events') IS NOT NULL THEN
        -- Nothing may commit rows between the fold and the drop (an older instance still running).
        LOCK TABLE ${s}.applied_events IN EXCLUSIVE MODE;
        INSERT INTO ${s}.stream_heads AS h (stream_id, version)
        SELECT stream_id, max(version) FROM ${s}.applied_events GROUP BY stream_id
        ON CONFLICT (stream_id) DO UPDATE SET version = GREATEST(h.version, excluded.version);
        DROP TABLE ${s}.applied_events;
      END IF;
    END $migrate$;
    CREATE TABLE IF NOT EXISTS ${s}.consumer_offsets (
      topic       text    NOT NULL,
      partition   integer NOT NULL,
      -- The next offset to read (last applied + 1), as Kafka commits it.
      next_offset bigint  NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (topic, partition)
    );
    CREATE TABLE IF NOT EXISTS ${s}.log_checkpoints (
      source     text PRIMARY KEY,
      position   text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- Watermarks (ADR 0019), moved in the same transactions as the offsets. Per Kafka partition: the context of its
    -- topic, how many partitions the topic has, and the global position through which every event of that context on
    -- this partition has been applied (the last watermark marker read there). Per log source: the same for its store.
    -- Looked up first: ALTER TABLE locks the table even when there is nothing to add, and another instance's batch
    -- may hold its rows for seconds while this one starts.
    DO $watermarks$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${s}.consumer_offsets'::regclass AND attname = 'complete_through' AND NOT attisdropped) THEN
        ALTER TABLE ${s}.consumer_offsets ADD COLUMN context text, ADD COLUMN topic_partitions integer, ADD COLUMN complete_through bigint;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '${s}.log_checkpoints'::regclass AND attname = 'complete_through' AND NOT attisdropped) THEN
        ALTER TABLE ${s}.log_checkpoints ADD COLUMN complete_through bigint;
      END IF;
    END $watermarks$;
    -- Exclusive projections only: the ownership epoch fencing a previous owner (created on first claim too).
    ${generationOwnerDdl(s)}
  `);
}
