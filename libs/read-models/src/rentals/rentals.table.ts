import { qualified, quoteSchema } from '../shared/sql';

export const rentalTables = (schema: string) => ({
  rentals: qualified(schema, 'rentals'),
  providers: qualified(schema, 'rental_providers'),
});

/** Rentals, plus which organisation owns each provider data center (joined when read, whatever order they arrived in). */
export const rentalDdl = (schema: string): string => {
  const t = rentalTables(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)};
CREATE TABLE IF NOT EXISTS ${t.rentals} (
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
CREATE INDEX IF NOT EXISTS rentals_by_tenant ON ${t.rentals} (tenant_organisation_id, rental_id);
CREATE INDEX IF NOT EXISTS rentals_by_provider ON ${t.rentals} (provider_data_center_id, rental_id);
CREATE TABLE IF NOT EXISTS ${t.providers} (
  data_center_id text PRIMARY KEY,
  owner_organisation_id text NOT NULL
);
`;
};
