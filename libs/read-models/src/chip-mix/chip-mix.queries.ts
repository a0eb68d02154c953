import { In, IsNull, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { ChipMixCount, ChipMixDataCenter, ChipMixModel, ChipMixOrganisation, ChipMixRental } from './chip-mix.entities';

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

export interface RegisteredOrganisation {
  readonly organisationId: string;
  readonly name: string;
}

/** A count row with its catalog model, when the catalog has it (joined, not stored on the count). */
type CountWithModel = ChipMixCount & { model?: ChipMixModel | null };
/** A data center with its owner organisation, when known. */
type DataCenterWithOwner = ChipMixDataCenter & { owner?: ChipMixOrganisation | null };

/** Counts with their models: one data center's, or those of several. */
const countsOf = (db: EntityManager, dataCenterIds: readonly string[]): Promise<CountWithModel[]> =>
  db
    .getRepository(ChipMixCount)
    .createQueryBuilder('c')
    .leftJoinAndMapOne('c.model', ChipMixModel, 'm', 'm.modelId = c.modelId')
    .where('c.dataCenterId IN (:...ids)', { ids: [...dataCenterIds] })
    .orderBy('c.dataCenterId')
    .addOrderBy('c.modelId')
    .getMany();

/** Rentals of these data centers' chips running at `now` (not ended, within their period): what is rented out. */
const rentalsRunning = (db: EntityManager, dataCenterIds: readonly string[], now: Date): Promise<ChipMixRental[]> =>
  db.getRepository(ChipMixRental).findBy({
    dataCenterId: In([...dataCenterIds]),
    endedAt: IsNull(),
    periodStart: LessThanOrEqual(now.toISOString()),
    periodEnd: MoreThan(now.toISOString()),
  });

const sum = <T>(items: readonly T[], value: (item: T) => number): number => items.reduce((total, item) => total + value(item), 0);
/** On order: ordered, neither delivered nor cancelled (never negative: a delivery may not cite an order). */
const onOrder = (count: ChipMixCount): number => Math.max(count.ordered - count.delivered - count.cancelled, 0);

const lineOf = (count: CountWithModel, rentedOut: number): ChipMixLine => {
  const { dataCenterId: _dataCenterId, ordered: _ordered, cancelled: _cancelled, model, ...line } = count;
  return {
    ...line,
    modelName: model?.name ?? null,
    vendor: model?.vendor ?? null,
    vendorHeadquarters: model?.vendorHeadquarters ?? null,
    origin: model ? (model.domestic ? 'domestic' : 'foreign') : 'unknown',
    eccnClass: model?.eccnClass ?? null,
    onOrder: onOrder(count),
    rentedOut,
  };
};

const totalsOf = (counts: readonly CountWithModel[], rentals: readonly ChipMixRental[]): DataCenterFacts['totals'] => ({
  installed: sum(counts, (c) => c.installed),
  inStock: sum(counts, (c) => c.inStock),
  onOrder: sum(counts, onOrder),
  rentedOut: sum(rentals, (r) => r.chipCount),
  domesticInstalled: sum(counts, (c) => (c.model?.domestic === true ? c.installed : 0)),
  foreignInstalled: sum(counts, (c) => (c.model?.domestic === true ? 0 : c.installed)),
});

/** Chip mix of one data center, by model id. */
export const chipMixOf = async (db: EntityManager, dataCenterId: string, now: Date): Promise<ChipMixLine[]> => {
  const [counts, rentals] = await Promise.all([countsOf(db, [dataCenterId]), rentalsRunning(db, [dataCenterId], now)]);
  return counts.map((count) => lineOf(count, sum(rentals.filter((r) => r.modelId === count.modelId), (r) => r.chipCount)));
};

/** Registered data centers (an owner known), with their owner's name and their totals at `now`. */
const dataCenters = async (db: EntityManager, filter: Omit<DataCenterFilter, 'limit'> & { readonly dataCenterId?: string; readonly limit?: number }, now: Date): Promise<DataCenterFacts[]> => {
  const q = db
    .getRepository(ChipMixDataCenter)
    .createQueryBuilder('d')
    .leftJoinAndMapOne('d.owner', ChipMixOrganisation, 'o', 'o.organisationId = d.ownerOrganisationId')
    .where('d.ownerOrganisationId IS NOT NULL');
  if (filter.dataCenterId !== undefined) q.andWhere('d.dataCenterId = :dataCenterId', { dataCenterId: filter.dataCenterId });
  if (filter.country !== undefined) q.andWhere('d.country = :country', { country: filter.country });
  if (filter.ownerOrganisationId !== undefined) q.andWhere('d.ownerOrganisationId = :owner', { owner: filter.ownerOrganisationId });
  if (filter.stateFunded !== undefined) q.andWhere('d.stateFunded = :stateFunded', { stateFunded: filter.stateFunded });
  if (filter.visibleToOrganisation !== undefined) q.andWhere('d.ownerOrganisationId = :visibleTo', { visibleTo: filter.visibleToOrganisation });
  if (filter.afterId !== undefined) q.andWhere('d.dataCenterId > :afterId', { afterId: filter.afterId });
  q.orderBy('d.dataCenterId');
  if (filter.limit !== undefined) q.limit(filter.limit);
  const found: DataCenterWithOwner[] = await q.getMany();
  if (found.length === 0) return [];
  const ids = found.map((d) => d.dataCenterId);
  const [counts, rentals] = await Promise.all([countsOf(db, ids), rentalsRunning(db, ids, now)]);
  return found.map(({ owner, ...dataCenter }) => ({
    ...dataCenter,
    ownerName: owner?.name ?? null,
    totals: totalsOf(
      counts.filter((c) => c.dataCenterId === dataCenter.dataCenterId),
      rentals.filter((r) => r.dataCenterId === dataCenter.dataCenterId),
    ),
  }));
};

/** One registered data center's facts and totals; null when unknown (or only known from stock events so far). */
export const dataCenterFacts = async (db: EntityManager, dataCenterId: string, now: Date): Promise<DataCenterFacts | null> =>
  (await dataCenters(db, { dataCenterId }, now))[0] ?? null;

/** A page of data centers ordered by id (keyset pagination: stable under concurrent inserts). */
export const listDataCenters = (db: EntityManager, filter: DataCenterFilter, now: Date): Promise<DataCenterFacts[]> => dataCenters(db, filter, now);

/** The owner of a data center, for access checks; null when the data center is unknown. */
export const ownerOf = async (db: EntityManager, dataCenterId: string): Promise<string | null> =>
  (await db.getRepository(ChipMixDataCenter).findOne({ where: { dataCenterId }, select: { dataCenterId: true, ownerOrganisationId: true } }))?.ownerOrganisationId ?? null;

/** Every registered organisation, by name (the development sign-in offers them). */
export const registeredOrganisations = async (db: EntityManager): Promise<RegisteredOrganisation[]> =>
  (await db.getRepository(ChipMixOrganisation).find({ select: { organisationId: true, name: true }, order: { name: 'ASC', organisationId: 'ASC' } })).map(({ organisationId, name }) => ({ organisationId, name }));
