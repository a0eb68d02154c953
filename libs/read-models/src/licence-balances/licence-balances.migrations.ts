import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The licence balances read model's tables, in a generation's schema (the search path points there). IF NOT EXISTS:
 * on a generation created before the engine recorded migrations this first one runs once more, over what is there.
 */
export class LicenceBalancesTables1735689600501 implements MigrationInterface {
  readonly name = 'LicenceBalancesTables1735689600501';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS licence_balances (
        licence_id text PRIMARY KEY,
        licence_number text,
        exporter text,
        consignee_organisation_id text,
        destination_country text,
        model_ids jsonb,
        authorised bigint,
        valid_from timestamptz,
        valid_to timestamptz,
        revenue_share_percent numeric,
        status text NOT NULL DEFAULT 'active',
        status_reason text,
        issued_at timestamptz,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE IF NOT EXISTS licence_usages (
        event_id text PRIMARY KEY,
        licence_id text NOT NULL,
        kind text NOT NULL,
        reference text NOT NULL,
        data_center_id text NOT NULL,
        model_id text NOT NULL,
        quantity bigint NOT NULL,
        occurred_at timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS licence_usages_by_licence ON licence_usages (licence_id, occurred_at);
      CREATE TABLE IF NOT EXISTS licence_remittances (
        event_id text PRIMARY KEY,
        licence_id text NOT NULL,
        reference text NOT NULL,
        delivery_ids jsonb NOT NULL,
        amount_usd numeric NOT NULL,
        occurred_at timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS licence_remittances_by_licence ON licence_remittances (licence_id, occurred_at);
      CREATE TABLE IF NOT EXISTS licence_data_centers (
        data_center_id text PRIMARY KEY,
        owner_organisation_id text NOT NULL
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE licence_data_centers; DROP TABLE licence_remittances; DROP TABLE licence_usages; DROP TABLE licence_balances;`);
  }
}

export const LICENCE_BALANCES_MIGRATIONS: readonly MigrationInterface[] = [new LicenceBalancesTables1735689600501()];
