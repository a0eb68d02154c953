import { In, type EntityManager } from 'typeorm';
import { LicenceBalance as LicenceRecord, LicenceDataCenter, LicenceRemittance, LicenceUsage } from './licence-balances.entities';

export interface LicenceBalance {
  readonly licenceId: string;
  readonly licenceNumber: string | null;
  readonly exporter: string | null;
  readonly consigneeOrganisationId: string | null;
  readonly destinationCountry: string | null;
  readonly modelIds: readonly string[];
  readonly authorised: number;
  readonly used: number;
  /** Never negative: what may still be shipped. An overdrawn licence shows 0 here and the excess in `overdrawnBy`. */
  readonly remaining: number;
  readonly overdrawnBy: number;
  /** Administrative status, then the balance and validity as of the request. */
  readonly status: 'active' | 'suspended' | 'revoked' | 'expired' | 'not-yet-valid' | 'exhausted' | 'overdrawn' | 'unknown';
  readonly administrativeStatus: string;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly revenueSharePercent: number | null;
  readonly issuedAt: string | null;
  readonly usages: readonly {
    readonly eventId: string;
    readonly kind: string;
    readonly reference: string;
    readonly dataCenterId: string;
    readonly modelId: string;
    readonly quantity: number;
    readonly occurredAt: string;
    /** Balance after this usage (in occurredAt order); negative when it overdrew. */
    readonly balanceAfter: number;
  }[];
  /** amountUsd: exact decimal string with two fraction digits ('1250000.00'). */
  readonly remittances: readonly { readonly eventId: string; readonly reference: string; readonly deliveryIds: readonly string[]; readonly amountUsd: string; readonly occurredAt: string }[];
}

/** Administrative status first, then the balance, then validity, as of `now`. */
const statusOf = (licence: LicenceRecord | null, used: number, authorised: number, now: Date): LicenceBalance['status'] => {
  if (licence === null || licence.licenceNumber === null) return 'unknown';
  if (licence.status !== 'active') return licence.status;
  if (used > authorised) return 'overdrawn';
  if (licence.validTo !== null && now.getTime() >= Date.parse(licence.validTo)) return 'expired';
  if (licence.validFrom !== null && now.getTime() < Date.parse(licence.validFrom)) return 'not-yet-valid';
  return used === authorised ? 'exhausted' : 'active';
};

const balanceOf = (licenceId: string, licence: LicenceRecord | null, usages: readonly LicenceUsage[], remittances: readonly LicenceRemittance[], now: Date): LicenceBalance => {
  const authorised = licence?.authorised ?? 0;
  let balance = authorised;
  const history = usages.map((usage) => ({ ...usage, balanceAfter: (balance -= usage.quantity) }));
  const used = authorised - balance;
  return {
    licenceId,
    licenceNumber: licence?.licenceNumber ?? null,
    exporter: licence?.exporter ?? null,
    consigneeOrganisationId: licence?.consigneeOrganisationId ?? null,
    destinationCountry: licence?.destinationCountry ?? null,
    modelIds: licence?.modelIds ?? [],
    authorised,
    used,
    remaining: Math.max(authorised - used, 0),
    overdrawnBy: Math.max(used - authorised, 0),
    status: statusOf(licence, used, authorised, now),
    administrativeStatus: licence?.status ?? 'unknown',
    validFrom: licence?.validFrom ?? null,
    validTo: licence?.validTo ?? null,
    revenueSharePercent: licence?.revenueSharePercent ?? null,
    issuedAt: licence?.issuedAt ?? null,
    usages: history.map(({ licenceId: _licence, ...usage }) => usage),
    remittances: remittances.map(({ licenceId: _licence, ...remittance }) => remittance),
  };
};

/**
 * The balances of these licences as of `now`, in the order given; a licence neither known nor used is left out. Run
 * in one snapshot (the reader's REPEATABLE READ transaction): a usage is never seen without its commit's remittance,
 * nor a licence amended between the three reads.
 */
export const licenceBalances = async (db: EntityManager, licenceIds: readonly string[], now: Date): Promise<LicenceBalance[]> => {
  if (licenceIds.length === 0) return [];
  const ids = [...licenceIds];
  const [licences, usages, remittances] = await Promise.all([
    db.getRepository(LicenceRecord).findBy({ licenceId: In(ids) }),
    // Only the consignee's own uses draw on a licence (and show in its history): another organisation citing it is a
    // fact compliance flags on that organisation's data center, not a use of this licence (ADR 0018).
    db
      .getRepository(LicenceUsage)
      .createQueryBuilder('u')
      .innerJoin(LicenceRecord, 'l', 'l.licenceId = u.licenceId')
      .innerJoin(LicenceDataCenter, 'd', 'd.dataCenterId = u.dataCenterId AND d.ownerOrganisationId = l.consigneeOrganisationId')
      .where('u.licenceId IN (:...ids)', { ids })
      .orderBy('u.occurredAt')
      .addOrderBy('u.eventId')
      .getMany(),
    db.getRepository(LicenceRemittance).find({ where: { licenceId: In(ids) }, order: { occurredAt: 'ASC', eventId: 'ASC' } }),
  ]);
  return ids.flatMap((id) => {
    const licence = licences.find((l) => l.licenceId === id) ?? null;
    const used = usages.filter((u) => u.licenceId === id);
    if (licence === null && used.length === 0) return [];
    return [balanceOf(id, licence, used, remittances.filter((r) => r.licenceId === id), now)];
  });
};

/** The balance of one licence as of `now`; null when neither the licence nor any usage of it is known. */
export const licenceBalance = async (db: EntityManager, licenceId: string, now: Date): Promise<LicenceBalance | null> =>
  (await licenceBalances(db, [licenceId], now))[0] ?? null;

/** Licences cited by a delivery or transfer into a data center, by licence id. */
export const licenceIdsUsedAt = async (db: EntityManager, dataCenterId: string): Promise<string[]> => {
  const rows = await db
    .getRepository(LicenceUsage)
    .createQueryBuilder('u')
    .select('u.licenceId', 'licenceId')
    .distinct(true)
    .where('u.dataCenterId = :dataCenterId', { dataCenterId })
    .orderBy('u.licenceId')
    .getRawMany<{ licenceId: string }>();
  return rows.map((row) => row.licenceId);
};
