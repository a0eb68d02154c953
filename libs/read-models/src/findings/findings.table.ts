import { qualified, quoteSchema } from '../shared/sql';

export const FINDINGS_TABLES = {
  findings: 'findings',
  journal: 'findings_journal',
  journalBatches: 'findings_journal_batches',
  evaluations: 'findings_evaluations',
  meta: 'findings_meta',
} as const;

export const findingsTables = (schema: string) => ({
  findings: qualified(schema, FINDINGS_TABLES.findings),
  journal: qualified(schema, FINDINGS_TABLES.journal),
  journalBatches: qualified(schema, FINDINGS_TABLES.journalBatches),
  evaluations: qualified(schema, FINDINGS_TABLES.evaluations),
  meta: qualified(schema, FINDINGS_TABLES.meta),
});

/**
 * `findings`: one row per interval during which a finding was open with one severity (history: closed rows
 * stay). `findings_journal_batches`: every applied envelope, one row per batch (a JSON array in the batch's fold
 * order), folded by `load()` in `seq` order to rebuild the compliance state; `seq` is assigned by the database
 * (identity), so writers can never collide on it, whatever runs them. A row per batch, not per event: a million
 * jsonb rows with a unique index cost PostgreSQL ~5 s per 100,000 events to write, one lz4-compressed text per
 * batch ~0.8 s, and a sixth of the disk (ADR 0007). `findings_journal`: the row-per-event journal of generations
 * written before that, still folded first by `load()` (never created for new generations).
 * `findings_evaluations`: how far each data center's timeline has been judged (`evaluated_at`), and when each part
 * of the rulebook was last judged for it (`last_judged`).
 */
export const findingsDdl = (schema: string): string => {
  const t = findingsTables(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)};
CREATE TABLE IF NOT EXISTS ${t.findings} (
  id text PRIMARY KEY,
  finding_id text NOT NULL,
  rule_id text NOT NULL,
  severity text NOT NULL,
  certainty text NOT NULL,
  data_center_id text NOT NULL,
  owner_organisation_id text,
  model_id text,
  count bigint NOT NULL,
  evidence jsonb NOT NULL,
  message text NOT NULL,
  source_citation text NOT NULL,
  source_url text NOT NULL,
  occurred_at timestamptz,
  acknowledged boolean NOT NULL,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_by_opened ON ${t.findings} (opened_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS findings_by_dc ON ${t.findings} (data_center_id, opened_at DESC);
CREATE INDEX IF NOT EXISTS findings_by_owner ON ${t.findings} (owner_organisation_id, opened_at DESC);
CREATE INDEX IF NOT EXISTS findings_open ON ${t.findings} (data_center_id) WHERE closed_at IS NULL;
CREATE TABLE IF NOT EXISTS ${t.journalBatches} (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  events integer NOT NULL,
  envelopes text NOT NULL
);
DO $$ BEGIN
  -- lz4 compresses a batch of JSON envelopes ~4x at a fraction of pglz's cost; a server built without it keeps pglz.
  -- Only once: migrate also runs at every start, and the ALTER would lock a table another instance writes.
  IF (SELECT attcompression FROM pg_attribute WHERE attrelid = '${t.journalBatches}'::regclass AND attname = 'envelopes') IS DISTINCT FROM 'l' THEN
    ALTER TABLE ${t.journalBatches} ALTER COLUMN envelopes SET COMPRESSION lz4;
  END IF;
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
DO $$ BEGIN
  -- A row-per-event journal from before seq was assigned by the database (it was the projection's in-memory
  -- counter): make it an identity column continuing after the highest seq.
  IF EXISTS (SELECT 1 FROM information_schema.columns
              WHERE table_schema = '${schema}' AND table_name = '${FINDINGS_TABLES.journal}' AND column_name = 'seq' AND is_identity = 'NO') THEN
    ALTER TABLE ${t.journal} ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
    PERFORM setval(pg_get_serial_sequence('${t.journal}', 'seq'), (SELECT COALESCE(max(seq), 0) + 1 FROM ${t.journal}), false);
  END IF;
END $$;
CREATE TABLE IF NOT EXISTS ${t.evaluations} (
  data_center_id text PRIMARY KEY,
  evaluated_at timestamptz NOT NULL
);
-- How far each data center's timeline was judged (evaluated_at), and when each part of the rulebook was last judged
-- for all its models and rentals (how findings of acts are dated: libs/compliance, judgeDataCenterTimeline).
ALTER TABLE ${t.evaluations} ADD COLUMN IF NOT EXISTS last_judged jsonb;
CREATE TABLE IF NOT EXISTS ${t.meta} (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
`;
};
