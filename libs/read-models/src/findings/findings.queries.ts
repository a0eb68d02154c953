import type { Queryable } from '../shared/sql';
import { findingsTables } from './findings.table';

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

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const toView = (r: Record<string, unknown>): FindingView => ({
  id: String(r['id']),
  findingId: String(r['finding_id']),
  ruleId: String(r['rule_id']),
  severity: String(r['severity']) as FindingView['severity'],
  certainty: String(r['certainty']) as FindingView['certainty'],
  status: r['closed_at'] === null ? 'open' : 'closed',
  dataCenterId: String(r['data_center_id']),
  ownerOrganisationId: (r['owner_organisation_id'] as string | null) ?? null,
  modelId: (r['model_id'] as string | null) ?? null,
  count: Number(r['count']),
  evidence: r['evidence'] as string[],
  message: String(r['message']),
  source: { citation: String(r['source_citation']), url: String(r['source_url']) },
  occurredAt: iso(r['occurred_at']),
  acknowledged: Boolean(r['acknowledged']),
  openedAt: iso(r['opened_at']) ?? '',
  closedAt: iso(r['closed_at']),
  updatedAt: iso(r['updated_at']) ?? '',
});

/** Newest first (by opened_at, then id), keyset-paginated. */
export const listFindings = async (db: Queryable, schema: string, filter: FindingFilter): Promise<FindingView[]> => {
  const params: unknown[] = [];
  const bind = (v: unknown): string => `$${params.push(v)}`;
  const where: string[] = ['true'];
  if (filter.status === 'open') where.push('closed_at IS NULL');
  if (filter.status === 'closed') where.push('closed_at IS NOT NULL');
  if (filter.severity !== undefined) where.push(`severity = ${bind(filter.severity)}`);
  if (filter.ruleId !== undefined) where.push(`rule_id = ${bind(filter.ruleId)}`);
  if (filter.dataCenterId !== undefined) where.push(`data_center_id = ${bind(filter.dataCenterId)}`);
  if (filter.certainty !== undefined) where.push(`certainty = ${bind(filter.certainty)}`);
  if (filter.visibleToOrganisation !== undefined) where.push(`owner_organisation_id = ${bind(filter.visibleToOrganisation)}`);
  if (filter.after !== undefined) where.push(`(opened_at, id) < (${bind(filter.after.openedAt)}::timestamptz, ${bind(filter.after.id)})`);
  const { rows } = await db.query(
    `SELECT * FROM ${findingsTables(schema).findings} WHERE ${where.join(' AND ')} ORDER BY opened_at DESC, id DESC LIMIT ${bind(filter.limit)}`,
    params,
  );
  return rows.map(toView);
};

export const findingById = async (db: Queryable, schema: string, id: string): Promise<FindingView | null> => {
  const { rows } = await db.query(`SELECT * FROM ${findingsTables(schema).findings} WHERE id = $1`, [id]);
  return rows[0] ? toView(rows[0]) : null;
};

/** Open findings of one data center (for its detail page). */
export const openFindingsOf = async (db: Queryable, schema: string, dataCenterId: string): Promise<FindingView[]> => {
  const { rows } = await db.query(
    `SELECT * FROM ${findingsTables(schema).findings} WHERE data_center_id = $1 AND closed_at IS NULL ORDER BY opened_at DESC, id DESC`,
    [dataCenterId],
  );
  return rows.map(toView);
};
