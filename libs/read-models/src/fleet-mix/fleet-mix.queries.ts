import type { EntityManager } from 'typeorm';
import { ChipMixCount, ChipMixDataCenter, ChipMixModel, ChipMixOrganisation, ChipMixRental } from '../chip-mix/chip-mix.entities';

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

/** What each dimension groups by and shows, in the entities' property names (TypeORM writes the column names). */
const GROUPING: Record<FleetMixDimension, { key: string; label: string }> = {
  country: { key: 'd.country', label: 'd.country' },
  owner: { key: 'd.ownerOrganisationId', label: 'COALESCE(o.name, d.ownerOrganisationId)' },
  vendor: { key: 'm.vendor', label: "m.vendor || ' (' || m.vendorHeadquarters || ')'" },
  // The catalog's export-control class (3A090.a, 3A090.b, or the catalog's word for neither / unknown).
  class: { key: 'm.eccnClass', label: 'm.eccnClass' },
};

/**
 * A total, as a double: pg hands float8 over as a JS number (exact for integers below 2^53, and chip counts stay far
 * below), where bigint and numeric sums would arrive as text to convert by hand.
 */
const total = (expression: string): string => `SUM(${expression})::float8`;

/**
 * The fleet's totals per dimension value, at `now` (what is rented out then). One GROUP BY in PostgreSQL over at most
 * data centers × models rows: the rows are summed where they are, not loaded as entities to be summed here.
 */
export const fleetMix = async (db: EntityManager, by: FleetMixDimension, scope: { visibleToOrganisation?: string }, now: Date): Promise<FleetMixRow[]> => {
  const g = GROUPING[by];
  const q = db
    .getRepository(ChipMixCount)
    .createQueryBuilder('c')
    .innerJoin(ChipMixDataCenter, 'd', 'd.dataCenterId = c.dataCenterId AND d.ownerOrganisationId IS NOT NULL')
    .leftJoin(ChipMixOrganisation, 'o', 'o.organisationId = d.ownerOrganisationId')
    .leftJoin(ChipMixModel, 'm', 'm.modelId = c.modelId')
    .leftJoin(
      (running) =>
        running
          .from(ChipMixRental, 'r')
          .select('r.dataCenterId', 'dataCenterId')
          .addSelect('r.modelId', 'modelId')
          .addSelect('SUM(r.chipCount)', 'chips')
          .where('r.endedAt IS NULL AND r.periodStart <= :now AND r.periodEnd > :now')
          .groupBy('r.dataCenterId')
          .addGroupBy('r.modelId'),
      'rented',
      'rented."dataCenterId" = c.dataCenterId AND rented."modelId" = c.modelId',
    )
    .select(g.key, 'key')
    .addSelect(g.label, 'label')
    .addSelect('COUNT(DISTINCT c.dataCenterId)::float8', 'dataCenters')
    .addSelect(total('c.installed'), 'installed')
    .addSelect(total('c.inStock'), 'inStock')
    .addSelect(total('GREATEST(c.ordered - c.delivered - c.cancelled, 0)'), 'onOrder')
    .addSelect(total('COALESCE(rented.chips, 0)'), 'rentedOut')
    .addSelect(total('CASE WHEN m.domestic THEN c.installed ELSE 0 END'), 'domesticInstalled')
    .addSelect(total('CASE WHEN m.domestic IS NOT TRUE THEN c.installed ELSE 0 END'), 'foreignInstalled')
    .addSelect(total("CASE WHEN m.eccnClass IN ('3A090.a', '3A090.b') THEN c.installed ELSE 0 END"), 'controlledInstalled')
    .setParameter('now', now.toISOString());
  if (scope.visibleToOrganisation !== undefined) q.where('d.ownerOrganisationId = :visibleTo', { visibleTo: scope.visibleToOrganisation });
  return q.groupBy('1').addGroupBy('2').orderBy('1', 'ASC', 'NULLS LAST').getRawMany<FleetMixRow>();
};
