import type { Queryable } from '../shared/sql';
import { chipMixTables } from './chip-mix.table';

export interface ChipMixLine {
  readonly modelId: string;
  readonly modelName: string | null;
  readonly vendor: string | null;
  readonly vendorHeadquarters: string | null;
  /** Per the rulebook's definition (vendor HQ in CN by default). */
  readonly origin: 'domestic' | 'foreign' | 'unknown';
  readonly eccnClass: string | null;
  readonly installed: number;
  readonly inStock: number;
  readonly onOrder: number;
  readonly rentedOut: number;
  readonly delivered: number;
  readonly removed: number;
  readonly transferredIn: number;
  readonly transferredOut: number;
  readonly lastEventAt: string;
}

export interface DataCenterFacts {
  readonly dataCenterId: string;
  readonly name: string | null;
  readonly ownerOrganisationId: string | null;
  readonly ownerName: string | null;
  readonly country: string | null;
  readonly region: string | null;
  readonly registeredAt: string | null;
  readonly stateFunded: boolean;
  readonly stateFundedAt: string | null;
  readonly completionPercent: number | null;
  readonly completionReportedAt: string | null;
  readonly totals: {
    readonly installed: number;
    readonly inStock: number;
    readonly onOrder: number;
    readonly rentedOut: number;
    /** Installed chips whose vendor is domestic per the rulebook's definition; the rest (unknown included) count as foreign, as in the fleet mix. */
    readonly domesticInstalled: number;
    readonly foreignInstalled: number;
  };
}

export interface DataCenterFilter {
  readonly country?: string;
  readonly ownerOrganisationId?: string;
  readonly stateFunded?: boolean;
  /** Only these owners (the caller's organisation for viewers and operators); undefined = all. */
  readonly visibleToOrganisation?: string;
  /** Keyset: ids strictly after this one. */
  readonly afterId?: string;
  readonly limit: number;
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const num = (v: unknown): number => Number(v ?? 0);

/** The SQL for one chip-mix line per (data center, model), with on-order and rented-out derived at `now`. */
const linesSql = (schema: string, where: string): string => {
  const t = chipMixTables(schema);
  return `
SELECT c.data_center_id, c.model_id, m.name AS model_name, m.vendor, m.vendor_headquarters, m.domestic, m.eccn_class,
       c.installed, c.in_stock, GREATEST(c.ordered - c.delivered - c.cancelled, 0) AS on_order,
       COALESCE(r.rented_out, 0) AS rented_out, c.delivered, c.removed, c.transferred_in, c.transferred_out, c.last_event_at
  FROM ${t.counts} c
  LEFT JOIN ${t.models} m ON m.model_id = c.model_id
  LEFT JOIN (SELECT data_center_id, model_id, SUM(chip_count) AS rented_out FROM ${t.rentals}
              WHERE ended_at IS NULL AND period_start <= $1 AND period_end > $1 GROUP BY data_center_id, model_id) r
         ON r.data_center_id = c.data_center_id AND r.model_id = c.model_id
 WHERE ${where}`;
};

type LineRow = Record<string, unknown>;
const toLine = (r: LineRow): ChipMixLine => ({
  modelId: String(r['model_id']),
  modelName: (r['model_name'] as string | null) ?? null,
  vendor: (r['vendor'] as string | null) ?? null,
  vendorHeadquarters: (r['vendor_headquarters'] as string | null) ?? null,
  origin: r['domestic'] === null || r['domestic'] === undefined ? 'unknown' : r['domestic'] ? 'domestic' : 'foreign',
  eccnClass: (r['eccn_class'] as string | null) ?? null,
  installed: num(r['installed']),
  inStock: num(r['in_stock']),
  onOrder: num(r['on_order']),
  rentedOut: num(r['rented_out']),
  delivered: num(r['delivered']),
  removed: num(r['removed']),
  transferredIn: num(r['transferred_in']),
  transferredOut: num(r['transferred_out']),
  lastEventAt: iso(r['last_event_at']) ?? '',
});

/** Chip mix of one data center, by model id. */
export const chipMixOf = async (db: Queryable, schema: string, dataCenterId: string, now: Date): Promise<ChipMixLine[]> => {
  const { rows } = await db.query(`${linesSql(schema, 'c.data_center_id = $2')} ORDER BY c.model_id`, [now.toISOString(), dataCenterId]);
  return rows.map(toLine);
};

const factsSql = (schema: string): string => {
  const t = chipMixTables(schema);
  return `
SELECT d.*, o.name AS owner_name,
       COALESCE(s.installed, 0) AS installed, COALESCE(s.in_stock, 0) AS in_stock, COALESCE(s.on_order, 0) AS on_order,
       COALESCE(rr.rented_out, 0) AS rented_out, COALESCE(s.domestic_installed, 0) AS domestic_installed,
       COALESCE(s.foreign_installed, 0) AS foreign_installed
  FROM ${t.dataCenters} d
  LEFT JOIN ${t.organisations} o ON o.organisation_id = d.owner_organisation_id
  LEFT JOIN LATERAL (SELECT SUM(c.installed) AS installed, SUM(c.in_stock) AS in_stock,
                            SUM(GREATEST(c.ordered - c.delivered - c.cancelled, 0)) AS on_order,
                            SUM(CASE WHEN m.domestic THEN c.installed ELSE 0 END) AS domestic_installed,
                            SUM(CASE WHEN m.domestic IS NOT TRUE THEN c.installed ELSE 0 END) AS foreign_installed
                       FROM ${t.counts} c LEFT JOIN ${t.models} m ON m.model_id = c.model_id
                      WHERE c.data_center_id = d.data_center_id) s ON true
  LEFT JOIN LATERAL (SELECT SUM(chip_count) AS rented_out FROM ${t.rentals} r
                      WHERE r.data_center_id = d.data_center_id AND r.ended_at IS NULL AND r.period_start <= $1 AND r.period_end > $1) rr ON true`;
};

const toFacts = (r: LineRow): DataCenterFacts => ({
  dataCenterId: String(r['data_center_id']),
  name: (r['name'] as string | null) ?? null,
  ownerOrganisationId: (r['owner_organisation_id'] as string | null) ?? null,
  ownerName: (r['owner_name'] as string | null) ?? null,
  country: (r['country'] as string | null) ?? null,
  region: (r['region'] as string | null) ?? null,
  registeredAt: iso(r['registered_at']),
  stateFunded: Boolean(r['state_funded']),
  stateFundedAt: iso(r['state_funded_at']),
  completionPercent: r['completion_percent'] === null ? null : Number(r['completion_percent']),
  completionReportedAt: iso(r['completion_reported_at']),
  totals: {
    installed: num(r['installed']),
    inStock: num(r['in_stock']),
    onOrder: num(r['on_order']),
    rentedOut: num(r['rented_out']),
    domesticInstalled: num(r['domestic_installed']),
    foreignInstalled: num(r['foreign_installed']),
  },
});

/** One registered data center's facts and totals; null when unknown (or only known from stock events so far). */
export const dataCenterFacts = async (db: Queryable, schema: string, dataCenterId: string, now: Date): Promise<DataCenterFacts | null> => {
  const { rows } = await db.query(`${factsSql(schema)} WHERE d.data_center_id = $2 AND d.owner_organisation_id IS NOT NULL`, [now.toISOString(), dataCenterId]);
  return rows[0] ? toFacts(rows[0]) : null;
};

/** A page of data centers ordered by id (keyset pagination: stable under concurrent inserts). */
export const listDataCenters = async (db: Queryable, schema: string, filter: DataCenterFilter, now: Date): Promise<DataCenterFacts[]> => {
  const params: unknown[] = [now.toISOString()];
  const where = ['d.owner_organisation_id IS NOT NULL'];
  const bind = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.country !== undefined) where.push(`d.country = ${bind(filter.country)}`);
  if (filter.ownerOrganisationId !== undefined) where.push(`d.owner_organisation_id = ${bind(filter.ownerOrganisationId)}`);
  if (filter.stateFunded !== undefined) where.push(`d.state_funded = ${bind(filter.stateFunded)}`);
  if (filter.visibleToOrganisation !== undefined) where.push(`d.owner_organisation_id = ${bind(filter.visibleToOrganisation)}`);
  if (filter.afterId !== undefined) where.push(`d.data_center_id > ${bind(filter.afterId)}`);
  const { rows } = await db.query(`${factsSql(schema)} WHERE ${where.join(' AND ')} ORDER BY d.data_center_id LIMIT ${bind(filter.limit)}`, params);
  return rows.map(toFacts);
};

/** The owner of a data center, for access checks; null when the data center is unknown. */
export const ownerOf = async (db: Queryable, schema: string, dataCenterId: string): Promise<string | null> => {
  const { rows } = await db.query<{ owner_organisation_id: string | null }>(
    `SELECT owner_organisation_id FROM ${chipMixTables(schema).dataCenters} WHERE data_center_id = $1`,
    [dataCenterId],
  );
  return rows[0]?.owner_organisation_id ?? null;
};
