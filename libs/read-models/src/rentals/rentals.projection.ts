import type { Projection, ProjectedEvent, ProjectionChange } from '@chip-ledger/projection';
import type { PoolClient } from 'pg';
import { asLedger } from '../shared/events';
import { asJsonRows } from '../shared/sql';
import { rentalDdl, rentalTables } from './rentals.table';

export const RENTALS = 'rentals';

export const RENTAL_EVENTS = ['DataCenterRegistered', 'RentalStarted', 'RentalExtended', 'RentalEnded'] as const;

interface RentalPatch {
  rental_id: string;
  provider_data_center_id: string | null;
  tenant_organisation_id: string | null;
  model_id: string | null;
  chip_count: number | null;
  purpose: string | null;
  period_start: string | null;
  period_end: string | null;
  started_at: string | null;
  extensions: number;
  ended_at: string | null;
  end_reason: string | null;
  updated_at: string;
}

/** Capacity rentals by tenant and by provider data center. */
export class RentalsProjection implements Projection {
  readonly name = RENTALS;

  async migrate(client: PoolClient, schema: string): Promise<void> {
    await client.query(rentalDdl(schema));
  }

  async apply(client: PoolClient, schema: string, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const providers = new Map<string, { data_center_id: string; owner_organisation_id: string }>();
    const patches = new Map<string, RentalPatch>();
    const patch = (rentalId: string, at: string): RentalPatch => {
      let p = patches.get(rentalId);
      if (!p) {
        p = {
          rental_id: rentalId,
          provider_data_center_id: null,
          tenant_organisation_id: null,
          model_id: null,
          chip_count: null,
          purpose: null,
          period_start: null,
          period_end: null,
          started_at: null,
          extensions: 0,
          ended_at: null,
          end_reason: null,
          updated_at: at,
        };
        patches.set(rentalId, p);
      }
      p.updated_at = at;
      return p;
    };
    for (const event of events) {
      const e = asLedger(event);
      switch (e.type) {
        case 'DataCenterRegistered':
          providers.set(e.data.dataCenterId, { data_center_id: e.data.dataCenterId, owner_organisation_id: e.data.ownerOrganisationId });
          break;
        case 'RentalStarted':
          Object.assign(patch(e.data.rentalId, e.recordedAt), {
            provider_data_center_id: e.data.providerDataCenterId,
            tenant_organisation_id: e.data.tenantOrganisationId,
            model_id: e.data.modelId,
            chip_count: e.data.chipCount,
            purpose: e.data.purpose,
            period_start: e.data.periodStart,
            period_end: e.data.periodEnd,
            started_at: e.occurredAt,
          });
          break;
        case 'RentalExtended': {
          const p = patch(e.data.rentalId, e.recordedAt);
          p.period_end = e.data.newPeriodEnd;
          p.extensions += 1;
          break;
        }
        case 'RentalEnded': {
          const p = patch(e.data.rentalId, e.recordedAt);
          p.ended_at = e.occurredAt;
          p.end_reason = e.data.reason;
          break;
        }
        default:
          break;
      }
    }
    const t = rentalTables(schema);
    if (providers.size > 0) {
      await client.query(
        `INSERT INTO ${t.providers} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(data_center_id text, owner_organisation_id text)
         ON CONFLICT (data_center_id) DO UPDATE SET owner_organisation_id = excluded.owner_organisation_id`,
        [asJsonRows([...providers.values()])],
      );
    }
    if (patches.size === 0) return [];
    const x = `jsonb_to_recordset($1::jsonb) AS x(rental_id text, provider_data_center_id text, tenant_organisation_id text, model_id text,
      chip_count bigint, purpose text, period_start timestamptz, period_end timestamptz, started_at timestamptz, extensions integer,
      ended_at timestamptz, end_reason text, updated_at timestamptz)`;
    const rows = asJsonRows([...patches.values()]);
    await client.query(`INSERT INTO ${t.rentals} (rental_id, updated_at) SELECT rental_id, updated_at FROM ${x} ON CONFLICT (rental_id) DO NOTHING`, [rows]);
    const changed = await client.query<{ rental_id: string; provider_data_center_id: string | null; tenant_organisation_id: string | null; owner_organisation_id: string | null; ended_at: Date | null }>(
      `WITH u AS (
         UPDATE ${t.rentals} AS r SET
           provider_data_center_id = COALESCE(x.provider_data_center_id, r.provider_data_center_id),
           tenant_organisation_id = COALESCE(x.tenant_organisation_id, r.tenant_organisation_id),
           model_id = COALESCE(x.model_id, r.model_id),
           chip_count = COALESCE(x.chip_count, r.chip_count),
           purpose = COALESCE(x.purpose, r.purpose),
           period_start = COALESCE(x.period_start, r.period_start),
           period_end = COALESCE(x.period_end, r.period_end),
           started_at = COALESCE(x.started_at, r.started_at),
           extensions = r.extensions + x.extensions,
           ended_at = COALESCE(r.ended_at, x.ended_at),
           end_reason = COALESCE(x.end_reason, r.end_reason),
           updated_at = x.updated_at
         FROM ${x} WHERE r.rental_id = x.rental_id
         RETURNING r.rental_id, r.provider_data_center_id, r.tenant_organisation_id, r.ended_at)
       SELECT u.*, p.owner_organisation_id FROM u LEFT JOIN ${t.providers} p ON p.data_center_id = u.provider_data_center_id`,
      [rows],
    );
    return changed.rows.map((r) => ({
      projection: RENTALS,
      kind: r.ended_at === null ? 'rental.changed' : 'rental.ended',
      dataCenterId: r.provider_data_center_id,
      organisationId: r.owner_organisation_id,
      payload: { rentalId: r.rental_id, tenantOrganisationId: r.tenant_organisation_id },
    }));
  }
}
