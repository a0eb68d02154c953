import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chip-mix read model's tables, in a generation's schema (the search path points there). IF NOT EXISTS: on a
 * generation created before the engine recorded migrations this first one runs once more, over what is there.
 */
export class ChipMixTables1735689600401 implements MigrationInterface {
  readonly name = 'ChipMixTables1735689600401';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS chip_mix_models (
        model_id text PRIMARY KEY,
        name text NOT NULL,
        vendor text NOT NULL,
        vendor_headquarters text NOT NULL,
        fab_country text,
        us_origin boolean NOT NULL,
        eccn_class text NOT NULL,
        domestic boolean NOT NULL,
        spec jsonb NOT NULL
      );
      CREATE TABLE IF NOT EXISTS chip_mix_organisations (
        organisation_id text PRIMARY KEY,
        name text NOT NULL,
        headquarters_country text NOT NULL,
        ultimate_parent_headquarters_country text NOT NULL
      );
      CREATE TABLE IF NOT EXISTS chip_mix_data_centers (
        data_center_id text PRIMARY KEY,
        name text,
        owner_organisation_id text,
        country text,
        region text,
        registered_at timestamptz,
        state_funded boolean NOT NULL DEFAULT false,
        state_funded_at timestamptz,
        completion_percent numeric,
        completion_reported_at timestamptz
      );
      CREATE INDEX IF NOT EXISTS chip_mix_data_centers_owner ON chip_mix_data_centers (owner_organisation_id, data_center_id);
      CREATE INDEX IF NOT EXISTS chip_mix_data_centers_country ON chip_mix_data_centers (country, data_center_id);
      CREATE TABLE IF NOT EXISTS chip_mix_counts (
        data_center_id text NOT NULL,
        model_id text NOT NULL,
        ordered bigint NOT NULL DEFAULT 0,
        cancelled bigint NOT NULL DEFAULT 0,
        delivered bigint NOT NULL DEFAULT 0,
        installed bigint NOT NULL DEFAULT 0,
        in_stock bigint NOT NULL DEFAULT 0,
        removed bigint NOT NULL DEFAULT 0,
        transferred_in bigint NOT NULL DEFAULT 0,
        transferred_out bigint NOT NULL DEFAULT 0,
        last_event_at timestamptz NOT NULL,
        PRIMARY KEY (data_center_id, model_id)
      );
      CREATE TABLE IF NOT EXISTS chip_mix_rentals (
        rental_id text PRIMARY KEY,
        data_center_id text NOT NULL,
        model_id text NOT NULL,
        chip_count bigint NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        ended_at timestamptz
      );
      CREATE INDEX IF NOT EXISTS chip_mix_rentals_dc ON chip_mix_rentals (data_center_id, model_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE chip_mix_rentals; DROP TABLE chip_mix_counts; DROP TABLE chip_mix_data_centers; DROP TABLE chip_mix_organisations; DROP TABLE chip_mix_models;`);
  }
}

export const CHIP_MIX_MIGRATIONS: readonly MigrationInterface[] = [new ChipMixTables1735689600401()];
