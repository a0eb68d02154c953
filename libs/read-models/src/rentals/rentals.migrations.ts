import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rentals read model's tables, in a generation's schema (the search path points there). IF NOT EXISTS: on a
 * generation created before the engine recorded migrations this first one runs once more, over what is there.
 */
export class RentalsTables1735689600601 implements MigrationInterface {
  readonly name = 'RentalsTables1735689600601';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS rentals (
        rental_id text PRIMARY KEY,
        provider_data_center_id text,
        tenant_organisation_id text,
        model_id text,
        chip_count bigint,
        purpose text,
        period_start timestamptz,
        period_end timestamptz,
        started_at timestamptz,
        extensions integer NOT NULL DEFAULT 0,
        ended_at timestamptz,
        end_reason text,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS rentals_by_tenant ON rentals (tenant_organisation_id, rental_id);
      CREATE INDEX IF NOT EXISTS rentals_by_provider ON rentals (provider_data_center_id, rental_id);
      CREATE TABLE IF NOT EXISTS rental_providers (
        data_center_id text PRIMARY KEY,
        owner_organisation_id text NOT NULL
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE rental_providers; DROP TABLE rentals;`);
  }
}

export const RENTALS_MIGRATIONS: readonly MigrationInterface[] = [new RentalsTables1735689600601()];
