import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { FindingRecord } from './findings.entities';

export interface FindingView {
  /** Row id: one interval during which the finding was open with one severity. */
  readonly id: string;
  /** Compliance's deterministic id (`ruleId/dataCenterId/modelId/discriminator`), shared by reopened intervals. */
  readonly findingId: string;
  readonly ruleId: string;
  readonly severity: 'breach' | 'review' | 'risk';
  readonly certainty: 'regulation' | 'licence-condition' | 'guidance' | 'reported-guidance';
  readonly status: 'open' | 'closed';
  readonly dataCenterId: string;
  readonly ownerOrganisationId: string | null;
  readonly modelId: string | null;
  readonly count: number;
  readonly evidence: readonly string[];
  readonly message: string;
  readonly source: { readonly citation: string; readonly url: string };
  readonly occurredAt: string | null;
  readonly acknowledged: boolean;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly updatedAt: string;
}

export interface FindingFilter {
  readonly status?: 'open' | 'closed';
  readonly severity?: string;
  readonly ruleId?: string;
  readonly dataCenterId?: string;
  readonly certainty?: string;
  readonly visibleToOrganisation?: string;
  /** Keyset: rows strictly after (openedAt, id) in (opened_at DESC, id DESC) order. */
  readonly after?: { readonly openedAt: string; readonly id: string };
  readonly limit: number;
}

/** The API's view of a stored interval: its status from `closedAt`, its source as one object. */
const viewOf = ({ sourceCitation, sourceUrl, ...record }: FindingRecord): FindingView => ({
  ...record,
  severity: record.severity as FindingView['severity'],
  certainty: record.certainty as FindingView['certainty'],
  status: record.closedAt === null ? 'open' : 'closed',
  source: { citation: sourceCitation, url: sourceUrl },
});

/** Newest first: by opened_at, then id (the keyset the cursor carries). */
const newestFirst = (q: SelectQueryBuilder<FindingRecord>): SelectQueryBuilder<FindingRecord> => q.orderBy('f.openedAt', 'DESC').addOrderBy('f.id', 'DESC');

/** Newest first (by opened_at, then id), keyset-paginated. */
export const listFindings = async (db: EntityManager, filter: FindingFilter): Promise<FindingView[]> => {
  const q = db.getRepository(FindingRecord).createQueryBuilder('f');
  if (filter.status === 'open') q.andWhere('f.closedAt IS NULL');
  if (filter.status === 'closed') q.andWhere('f.closedAt IS NOT NULL');
  if (filter.severity !== undefined) q.andWhere('f.severity = :severity', { severity: filter.severity });
  if (filter.ruleId !== undefined) q.andWhere('f.ruleId = :ruleId', { ruleId: filter.ruleId });
  if (filter.dataCenterId !== undefined) q.andWhere('f.dataCenterId = :dataCenterId', { dataCenterId: filter.dataCenterId });
  if (filter.certainty !== undefined) q.andWhere('f.certainty = :certainty', { certainty: filter.certainty });
  if (filter.visibleToOrganisation !== undefined) q.andWhere('f.ownerOrganisationId = :owner', { owner: filter.visibleToOrganisation });
  if (filter.after !== undefined) q.andWhere('(f.openedAt, f.id) < (CAST(:afterOpenedAt AS timestamptz), :afterId)', { afterOpenedAt: filter.after.openedAt, afterId: filter.after.id });
  return (await newestFirst(q).limit(filter.limit).getMany()).map(viewOf);
};

export const findingById = async (db: EntityManager, id: string): Promise<FindingView | null> => {
  const record = await db.getRepository(FindingRecord).findOneBy({ id });
  return record === null ? null : viewOf(record);
};

/** Open findings of one data center (for its detail page). */
export const openFindingsOf = async (db: EntityManager, dataCenterId: string): Promise<FindingView[]> => {
  const q = db.getRepository(FindingRecord).createQueryBuilder('f').where('f.dataCenterId = :dataCenterId AND f.closedAt IS NULL', { dataCenterId });
  return (await newestFirst(q).getMany()).map(viewOf);
};
