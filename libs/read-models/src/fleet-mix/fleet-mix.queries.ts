import { chipMixTables } from '../chip-mix/chip-mix.table';
import type { Queryable } from '../shared/sql';

/*
 * Fleet mix is not a projection of its own: it is an aggregate over the chip-mix tables, computed when asked
 * (GROUP BY over at most data centers × models rows). One fewer projection to rebuild, and never out of step
 * with the chip mix it sums.
 */

export const FLEET_MIX_DIMENSIONS = ['country', 'owner', 'vendor', 'class'] as const;
export type FleetMixDimension = (typeof FLEET_MIX_DIMENSIONS)[number];

export interface FleetMixRow {
  readonly key: string | null;
  readonly label: string | null;
  readonly dataCenters: number;
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
  readonly domesticInstalled: number;
  readonly foreignInstalled: number;
  readonly controlledInstalled: number;
}

const GROUPING: Record<FleetMixDimension, { key: string; label: string }> = {
  country: { key: 'd.country', label: 'd.country' },
  owner: { key: 'd.owner_organisation_id', label: 'COALESCE(o.name, d.owner_organisation_id)' },
  vendor: { key: 'm.vendor', label: "m.vendor || ' (' || m.vendor_headquarters || ')'" },
  // The catalog's export-control class (3A090.a, 3A090.b, or the catalog's word for neither / unknown).
  class: { key: 'm.eccn_class', label: 'm.eccn_class' },
};

export const fleetMix = async (
  db: Queryable,
  schema: string,
  by: FleetMixDimension,
  scope: { visibleToOrganisation?: string },
  now: Date,
): Promise<FleetMixRow[]> => {
  const t = chipMixTables(schema);
  const g = GROUPING[by];
  const params: unknown[] = [now.toISOString()];
  const scoped = scope.visibleToOrganisation === undefined ? '' : `AND d.owner_organisation_id = $${params.push(scope.visibleToOrganisation)}`;
  const { rows } = await db.query(
    `SELECT ${g.key} AS key, ${g.label} AS label,
            COUNT(DISTINCT c.data_center_id) AS data_centers,
            SUM(c.installed) AS installed, SUM(c.in_stock) AS in_stock,
            SUM(GREATEST(c.ordered - c.delivered - c.cancelled, 0)) AS on_order,
            SUM(COALESCE(r.rented_out, 0)) AS rented_out,
            SUM(CASE WHEN m.domestic THEN c.installed ELSE 0 END) AS domestic_installed,
            SUM(CASE WHEN m.domestic IS NOT TRUE THEN c.installed ELSE 0 END) AS foreign_installed,
            SUM(CASE WHEN m.eccn_class IN ('3A090.a', '3A090.b') THEN c.installed ELSE 0 END) AS controlled_installed
       FROM ${t.counts} c
       JOIN ${t.dataCenters} d ON d.data_center_id = c.data_center_id AND d.owner_organisation_id IS NOT NULL
       LEFT JOIN ${t.organisations} o ON o.organisation_id = d.owner_organisation_id
       LEFT JOIN ${t.models} m ON m.model_id = c.model_id
       LEFT JOIN (SELECT data_center_id, model_id, SUM(chip_count) AS rented_out FROM ${t.rentals}
                   WHERE ended_at IS NULL AND period_start <= $1 AND period_end > $1 GROUP BY data_center_id, model_id) r
              ON r.data_center_id = c.data_center_id AND r.model_id = c.model_id
      WHERE true ${scoped}
      GROUP BY 1, 2
      ORDER BY 1 NULLS LAST`,
    params,
  );
  return rows.map((r: Record<string, unknown>) => ({
    key: (r['key'] as string | null) ?? null,
    label: (r['label'] as string | null) ?? null,
    dataCenters: Number(r['data_centers']),
    installed: Number(r['installed']),
    inStock: Number(r['in_stock']),
    onOrder: Number(r['on_order']),
    rentedOut: Number(r['rented_out']),
    domesticInstalled: Number(r['domestic_installed']),
    foreignInstalled: Number(r['foreign_installed']),
    controlledInstalled: Number(r['controlled_installed']),
  }));
};
