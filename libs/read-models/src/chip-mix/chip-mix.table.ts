import { qualified, quoteSchema } from '../shared/sql';

/** Table names of the chip-mix read model (prefixed: several read models may share a generation's schema). */
export const CHIP_MIX_TABLES = {
  models: 'chip_mix_models',
  organisations: 'chip_mix_organisations',
  dataCenters: 'chip_mix_data_centers',
  counts: 'chip_mix_counts',
  rentals: 'chip_mix_rentals',
} as const;

export const chipMixTables = (schema: string) => ({
  models: qualified(schema, CHIP_MIX_TABLES.models),
  organisations: qualified(schema, CHIP_MIX_TABLES.organisations),
  dataCenters: qualified(schema, CHIP_MIX_TABLES.dataCenters),
  counts: qualified(schema, CHIP_MIX_TABLES.counts),
  rentals: qualified(schema, CHIP_MIX_TABLES.rentals),
});

/** Idempotent DDL. Counts are raw running totals; derived figures (on order, rented out) are computed when read. */
export const chipMixDdl = (schema: string): string => {
  const t = chipMixTables(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)};
CREATE TABLE IF NOT EXISTS ${t.models} (
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
CREATE TABLE IF NOT EXISTS ${t.organisations} (
  organisation_id text PRIMARY KEY,
  name text NOT NULL,
  headquarters_country text NOT NULL,
  ultimate_parent_headquarters_country text NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t.dataCenters} (
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
CREATE INDEX IF NOT EXISTS ${CHIP_MIX_TABLES.dataCenters}_owner ON ${t.dataCenters} (owner_organisation_id, data_center_id);
CREATE INDEX IF NOT EXISTS ${CHIP_MIX_TABLES.dataCenters}_country ON ${t.dataCenters} (country, data_center_id);
CREATE TABLE IF NOT EXISTS ${t.counts} (
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
CREATE TABLE IF NOT EXISTS ${t.rentals} (
  rental_id text PRIMARY KEY,
  data_center_id text NOT NULL,
  model_id text NOT NULL,
  chip_count bigint NOT NULL,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX IF NOT EXISTS ${CHIP_MIX_TABLES.rentals}_dc ON ${t.rentals} (data_center_id, model_id);
`;
};
