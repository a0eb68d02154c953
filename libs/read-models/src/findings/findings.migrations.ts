import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The findings read model's tables, in a generation's schema (the search path points there). IF NOT EXISTS: on a
 * generation created before the engine recorded migrations this first one runs once more, over what is there.
 */
export class FindingsTables1735689600301 implements MigrationInterface {
  readonly name = 'FindingsTables1735689600301';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS findings (
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
      CREATE INDEX IF NOT EXISTS findings_by_opened ON findings (opened_at DESC, id DESC);
      CREATE INDEX IF NOT EXISTS findings_by_dc ON findings (data_center_id, opened_at DESC);
      CREATE INDEX IF NOT EXISTS findings_by_owner ON findings (owner_organisation_id, opened_at DESC);
      CREATE INDEX IF NOT EXISTS findings_open ON findings (data_center_id) WHERE closed_at IS NULL;
      CREATE TABLE IF NOT EXISTS findings_journal_batches (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        events integer NOT NULL,
        envelopes text NOT NULL
      );
      DO $$ BEGIN
        -- lz4 compresses a batch of JSON envelopes ~4x at a fraction of pglz's cost; a server built without it keeps pglz.
        IF (SELECT attcompression FROM pg_attribute WHERE attrelid = 'findings_journal_batches'::regclass AND attname = 'envelopes') IS DISTINCT FROM 'l' THEN
          ALTER TABLE findings_journal_batches ALTER COLUMN envelopes SET COMPRESSION lz4;
        END IF;
      EXCEPTION WHEN OTHERS THEN NULL;
      END $$;
      CREATE TABLE IF NOT EXISTS findings_evaluations (
        data_center_id text PRIMARY KEY,
        evaluated_at timestamptz NOT NULL
      );
      ALTER TABLE findings_evaluations ADD COLUMN IF NOT EXISTS last_judged jsonb;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE findings_evaluations; DROP TABLE findings_journal_batches; DROP TABLE findings;`);
  }
}

/**
 * Generations written before the journal kept a row per batch had a row-per-event journal (`findings_journal`): its
 * envelopes become batches of 10,000 placed before every existing batch (negative `seq`, in the old order), so `load`
 * folds one kind of journal only. The now-unused `findings_meta` goes too.
 */
export class FindingsJournalInBatches1735689600302 implements MigrationInterface {
  readonly name = 'FindingsJournalInBatches1735689600302';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DO $$ BEGIN
        IF to_regclass('findings_journal') IS NOT NULL THEN
          INSERT INTO findings_journal_batches (seq, events, envelopes) OVERRIDING SYSTEM VALUE
          SELECT chunk - (SELECT count(DISTINCT (seq - 1) / 10000) FROM findings_journal) - 1 - (SELECT COALESCE(-min(seq), 0) FROM findings_journal_batches WHERE seq < 0),
                 count(*), json_agg(envelope ORDER BY seq)::text
            FROM (SELECT seq, envelope, dense_rank() OVER (ORDER BY (seq - 1) / 10000) AS chunk FROM findings_journal) AS journal
           GROUP BY chunk;
          DROP TABLE findings_journal;
        END IF;
      END $$;
      DROP TABLE IF EXISTS findings_meta;
    `);
  }

  async down(): Promise<void> {
    // The row-per-event journal is not brought back: the batches hold the same envelopes in the same order.
  }
}

export const FINDINGS_MIGRATIONS: readonly MigrationInterface[] = [new FindingsTables1735689600301(), new FindingsJournalInBatches1735689600302()];
