import type { Queryable } from '../shared/sql';
import { rentalTables } from './rentals.table';

export interface RentalView {
  readonly rentalId: string;
  readonly providerDataCenterId: string | null;
  readonly providerOrganisationId: string | null;
  readonly tenantOrganisationId: string | null;
  readonly modelId: string | null;
  readonly chipCount: number;
  readonly purpose: 'training' | 'inference' | null;
  readonly periodStart: string | null;
  readonly periodEnd: string | null;
  /** As of the request: ended (RentalEnded recorded), scheduled, active, or expired (period over, no end recorded). */
  readonly status: 'scheduled' | 'active' | 'expired' | 'ended';
  readonly extensions: number;
  readonly endedAt: string | null;
  readonly endReason: string | null;
}

export interface RentalFilter {
  readonly tenantOrganisationId?: string;
  readonly providerDataCenterId?: string;
  /** Viewers and operators: rentals where their organisation is the tenant or owns the provider data center. */
  readonly visibleToOrganisation?: string;
  readonly afterId?: string;
  readonly limit: number;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export const listRentals = async (db: Queryable, schema: string, filter: RentalFilter, now: Date): Promise<RentalView[]> => {
  const t = rentalTables(schema);
  const params: unknown[] = [now.toISOString()];
  const bind = (v: unknown): string => `$${params.push(v)}`;
  const where = ['r.started_at IS NOT NULL'];
  if (filter.tenantOrganisationId !== undefined) where.push(`r.tenant_organisation_id = ${bind(filter.tenantOrganisationId)}`);
  if (filter.providerDataCenterId !== undefined) where.push(`r.provider_data_center_id = ${bind(filter.providerDataCenterId)}`);
  if (filter.visibleToOrganisation !== undefined) {
    const org = bind(filter.visibleToOrganisation);
    where.push(`(r.tenant_organisation_id = ${org} OR p.owner_organisation_id = ${org})`);
  }
  if (filter.afterId !== undefined) where.push(`r.rental_id > ${bind(filter.afterId)}`);
  const { rows } = await db.query(
    `SELECT r.*, p.owner_organisation_id,
            CASE WHEN r.ended_at IS NOT NULL AND r.ended_at <= $1 THEN 'ended'
                 WHEN r.period_start > $1 THEN 'scheduled'
                 WHEN r.period_end <= $1 THEN 'expired'
                 ELSE 'active' END AS status
       FROM ${t.rentals} r LEFT JOIN ${t.providers} p ON p.data_center_id = r.provider_data_center_id
      WHERE ${where.join(' AND ')} ORDER BY r.rental_id LIMIT ${bind(filter.limit)}`,
    params,
  );
  return rows.map((r: Record<string, unknown>) => ({
    rentalId: String(r['rental_id']),
    providerDataCenterId: (r['provider_data_center_id'] as string | null) ?? null,
    providerOrganisationId: (r['owner_organisation_id'] as string | null) ?? null,
    tenantOrganisationId: (r['tenant_organisation_id'] as string | null) ?? null,
    modelId: (r['model_id'] as string | null) ?? null,
    chipCount: Number(r['chip_count'] ?? 0),
    purpose: (r['purpose'] as RentalView['purpose']) ?? null,
    periodStart: iso(r['period_start']),
    periodEnd: iso(r['period_end']),
    status: r['status'] as RentalView['status'],
    extensions: Number(r['extensions']),
    endedAt: iso(r['ended_at']),
    endReason: (r['end_reason'] as string | null) ?? null,
  }));
};
