import { createHash } from 'node:crypto';
import { RULEBOOK_V1, ruleById, type Finding, type OpenFinding, type RuleId, type Rulebook, type TimelineInterval } from '@chip-ledger/compliance';
import { iso } from '../shared/time';

/** A `findings` row (the `FindingRecord` entity's shape): one interval during which a finding was open with one severity. */
export interface FindingRow {
  id: string;
  findingId: string;
  ruleId: string;
  severity: string;
  certainty: string;
  dataCenterId: string;
  ownerOrganisationId: string | null;
  modelId: string | null;
  count: number;
  evidence: readonly string[];
  message: string;
  sourceCitation: string;
  sourceUrl: string;
  occurredAt: string | null;
  acknowledged: boolean;
  openedAt: string;
  closedAt: string | null;
  updatedAt: string;
}

/** Stable across rebuilds: the same history gives the same row ids. */
export const rowId = (findingId: string, severity: string, openedAt: string): string =>
  createHash('sha256').update(`${findingId}#${severity}#${openedAt}`).digest('base64url').slice(0, 22);

/** The row of one interval of the timeline, as of `now` (`updatedAt`). */
export const rowOf = (interval: TimelineInterval, owner: string | null, now: number): FindingRow => {
  const f = interval.finding;
  const openedAt = iso(interval.openedAt);
  return {
    id: rowId(f.findingId, f.severity, openedAt),
    findingId: f.findingId,
    ruleId: f.ruleId,
    severity: f.severity,
    certainty: f.certainty,
    dataCenterId: f.dataCenterId,
    ownerOrganisationId: owner,
    modelId: f.modelId,
    count: f.count,
    evidence: [...f.evidence],
    message: f.message,
    sourceCitation: f.source.citation,
    sourceUrl: f.source.url,
    occurredAt: f.occurredAt,
    acknowledged: f.acknowledged,
    openedAt,
    closedAt: interval.closedAt === null ? null : iso(interval.closedAt),
    updatedAt: iso(now),
  };
};

/** Whether a row says something other than `other` does (wall-clock `updatedAt` apart). */
export const rowChanged = (row: FindingRow, other: FindingRow | undefined): boolean =>
  other === undefined ||
  row.closedAt !== other.closedAt ||
  row.count !== other.count ||
  row.message !== other.message ||
  row.acknowledged !== other.acknowledged ||
  row.certainty !== other.certainty ||
  row.ownerOrganisationId !== other.ownerOrganisationId ||
  row.evidence.length !== other.evidence.length ||
  row.evidence.some((e, i) => e !== other.evidence[i]);

/** A stored row as the timeline knows an open finding (to go on judging after a restart or from before a late fact). */
export const openFindingOf = (row: FindingRow, rulebook: Rulebook = RULEBOOK_V1): OpenFinding => {
  const rule = ruleById(rulebook, row.ruleId as RuleId);
  const finding: Finding = {
    findingId: row.findingId,
    ruleId: row.ruleId as RuleId,
    severity: row.severity as Finding['severity'],
    certainty: row.certainty as Finding['certainty'],
    dataCenterId: row.dataCenterId,
    modelId: row.modelId,
    count: row.count,
    evidence: row.evidence,
    source: { citation: row.sourceCitation, url: row.sourceUrl },
    inForce: rule?.inForce ?? { from: null, to: null },
    occurredAt: row.occurredAt,
    acknowledged: row.acknowledged,
    message: row.message,
  };
  return { finding, openedAt: Date.parse(row.openedAt) };
};
