import type { Projection, ProjectedEvent, ProjectionChange } from '@chip-ledger/projection';
import type { PoolClient } from 'pg';
import { asLedger } from '../shared/events';
import { asJsonRows } from '../shared/sql';
import { LicenceBatch } from './licence-balances.evolve';
import { licenceDdl, licenceTables } from './licence-balances.table';

export const LICENCE_BALANCES = 'licence-balances';

/**
 * Export licences as trade-compliance systems show them: authorised, used (deliveries and transfers-in citing
 * the licence into a data center of its consignee draw it down), remaining, status, usage history and remittances.
 */
export class LicenceBalancesProjection implements Projection {
  readonly name = LICENCE_BALANCES;

  async migrate(client: PoolClient, schema: string): Promise<void> {
    await client.query(licenceDdl(schema));
  }

  async apply(client: PoolClient, schema: string, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const batch = new LicenceBatch();
    for (const e of events) batch.add(asLedger(e));
    const t = licenceTables(schema);
    if (batch.owners.length > 0) {
      await client.query(
        `INSERT INTO ${t.dataCenters} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(data_center_id text, owner_organisation_id text)
         ON CONFLICT (data_center_id) DO UPDATE SET owner_organisation_id = excluded.owner_organisation_id`,
        [asJsonRows(batch.owners)],
      );
    }
    if (batch.touched.size === 0) return [];
    if (batch.licences.size > 0) {
      const rows = asJsonRows([...batch.licences.values()]);
      const x = `jsonb_to_recordset($1::jsonb) AS x(licence_id text, licence_number text, exporter text, consignee_organisation_id text,
                destination_country text, model_ids jsonb, authorised bigint, valid_from timestamptz, valid_to timestamptz,
                revenue_share_percent numeric, revenue_share_set boolean, status text, status_reason text, issued_at timestamptz, updated_at timestamptz)`;
      // Rows first, then one UPDATE that overwrites only what the batch said (a patch is partial).
      await client.query(`INSERT INTO ${t.licences} (licence_id, updated_at) SELECT licence_id, updated_at FROM ${x} ON CONFLICT (licence_id) DO NOTHING`, [rows]);
      await client.query(
        `UPDATE ${t.licences} AS l SET
           licence_number = COALESCE(x.licence_number, l.licence_number),
           exporter = COALESCE(x.exporter, l.exporter),
           consignee_organisation_id = COALESCE(x.consignee_organisation_id, l.consignee_organisation_id),
           destination_country = COALESCE(x.destination_country, l.destination_country),
           model_ids = COALESCE(x.model_ids, l.model_ids),
           authorised = COALESCE(x.authorised, l.authorised),
           valid_from = COALESCE(x.valid_from, l.valid_from),
           valid_to = COALESCE(x.valid_to, l.valid_to),
           revenue_share_percent = CASE WHEN x.revenue_share_set THEN x.revenue_share_percent ELSE l.revenue_share_percent END,
           status = COALESCE(x.status, l.status),
           status_reason = COALESCE(x.status_reason, l.status_reason),
           issued_at = COALESCE(x.issued_at, l.issued_at),
           updated_at = x.updated_at
         FROM ${x} WHERE l.licence_id = x.licence_id`,
        [rows],
      );
    }
    if (batch.usages.length > 0) {
      await client.query(
        `INSERT INTO ${t.usages} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(event_id text, licence_id text, kind text, reference text,
           data_center_id text, model_id text, quantity bigint, occurred_at timestamptz) ON CONFLICT (event_id) DO NOTHING`,
        [asJsonRows(batch.usages)],
      );
    }
    if (batch.remittances.length > 0) {
      await client.query(
        `INSERT INTO ${t.remittances} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(event_id text, licence_id text, reference text,
           delivery_ids jsonb, amount_usd numeric, occurred_at timestamptz) ON CONFLICT (event_id) DO NOTHING`,
        [asJsonRows(batch.remittances)],
      );
    }
    const consignees = await client.query<{ licence_id: string; consignee_organisation_id: string | null }>(
      `SELECT licence_id, consignee_organisation_id FROM ${t.licences} WHERE licence_id = ANY($1::text[])`,
      [[...batch.touched]],
    );
    const consigneeOf = new Map(consignees.rows.map((r) => [r.licence_id, r.consignee_organisation_id]));
    return [...batch.touched].map((licenceId) => ({
      projection: LICENCE_BALANCES,
      kind: 'licence.changed',
      dataCenterId: null,
      organisationId: consigneeOf.get(licenceId) ?? null,
      payload: { licenceId },
    }));
  }
}
