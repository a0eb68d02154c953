import type { EntityManager } from 'typeorm';
import { RentalProvider, RentalRecord } from './rentals.entities';

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

/** A rental with its provider data center's owner, when known (joined, not stored on the rental). */
type RentalWithProvider = RentalRecord & { provider?: RentalProvider | null };

/** As of `now`: ended once its end is recorded and reached, else by its period. */
const statusAt = (rental: Pick<RentalRecord, 'endedAt' | 'periodStart' | 'periodEnd'>, now: string): RentalView['status'] => {
  const at = Date.parse(now);
  if (rental.endedAt !== null && Date.parse(rental.endedAt) <= at) return 'ended';
  if (rental.periodStart !== null && Date.parse(rental.periodStart) > at) return 'scheduled';
  if (rental.periodEnd !== null && Date.parse(rental.periodEnd) <= at) return 'expired';
  return 'active';
};

const viewOf = ({ provider, startedAt: _started, updatedAt: _updated, ...rental }: RentalWithProvider, now: string): RentalView => ({
  ...rental,
  providerOrganisationId: provider?.ownerOrganisationId ?? null,
  chipCount: rental.chipCount ?? 0,
  purpose: rental.purpose as RentalView['purpose'],
  status: statusAt(rental, now),
});

/** Started rentals by id (keyset), with their status at `now`. */
export const listRentals = async (db: EntityManager, filter: RentalFilter, now: Date): Promise<RentalView[]> => {
  const q = db
    .getRepository(RentalRecord)
    .createQueryBuilder('r')
    .leftJoinAndMapOne('r.provider', RentalProvider, 'p', 'p.dataCenterId = r.providerDataCenterId')
    .where('r.startedAt IS NOT NULL');
  if (filter.tenantOrganisationId !== undefined) q.andWhere('r.tenantOrganisationId = :tenant', { tenant: filter.tenantOrganisationId });
  if (filter.providerDataCenterId !== undefined) q.andWhere('r.providerDataCenterId = :provider', { provider: filter.providerDataCenterId });
  if (filter.visibleToOrganisation !== undefined) q.andWhere('(r.tenantOrganisationId = :org OR p.ownerOrganisationId = :org)', { org: filter.visibleToOrganisation });
  if (filter.afterId !== undefined) q.andWhere('r.rentalId > :afterId', { afterId: filter.afterId });
  const rentals: RentalWithProvider[] = await q.orderBy('r.rentalId').limit(filter.limit).getMany();
  return rentals.map((rental) => viewOf(rental, now.toISOString()));
};
