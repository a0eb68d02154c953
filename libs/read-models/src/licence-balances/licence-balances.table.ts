import { qualified, quoteSchema } from '../shared/sql';

export const licenceTables = (schema: string) => ({
  licences: qualified(schema, 'licence_balances'),
  usages: qualified(schema, 'licence_usages'),
  remittances: qualified(schema, 'licence_remittances'),
  dataCenters: qualified(schema, 'licence_data_centers'),
});

/**
 * `used` is never stored: it is the sum of `licence_usages` whose data center belongs to the licence's consignee
 * (`licence_data_centers`), so a usage that reaches the projection before its licence or its data center's
 * registration (another partition) counts once both have arrived, whatever the order. A usage by anyone else is a
 * fact compliance flags (consignee mismatch), not a draw on the licence (ADR 0018).
 */
export const licenceDdl = (schema: string): string => {
  const t = licenceTables(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)};
CREATE TABLE IF NOT EXISTS ${t.licences} (
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
CREATE TABLE IF NOT EXISTS ${t.usages} (
  event_id text PRIMARY KEY,
  licence_id text NOT NULL,
  kind text NOT NULL,
  reference text NOT NULL,
  data_center_id text NOT NULL,
  model_id text NOT NULL,
  quantity bigint NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS licence_usages_by_licence ON ${t.usages} (licence_id, occurred_at);
CREATE TABLE IF NOT EXISTS ${t.remittances} (
  event_id text PRIMARY KEY,
  licence_id text NOT NULL,
  reference text NOT NULL,
  delivery_ids jsonb NOT NULL,
  amount_usd numeric NOT NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS licence_remittances_by_licence ON ${t.remittances} (licence_id, occurred_at);
CREATE TABLE IF NOT EXISTS ${t.dataCenters} (
  data_center_id text PRIMARY KEY,
  owner_organisation_id text NOT NULL
);
`;
};
