import { createHash } from 'node:crypto';
import { RULEBOOK_V1, ruleById, type Finding, type OpenFinding, type RuleId, type Rulebook, type TimelineInterval } from '@chip-ledger/compliance';
import { iso } from '../shared/sql';

/** A `findings` row: one interval during which a finding was open with one severity. */
export interface FindingRow {
  id: string;
  finding_id: string;
  rule_id: string;
  severity: string;
  certainty: string;
  data_center_id: string;
  owner_organisation_id: string | null;
  model_id: string | null;
  count: number;
  evidence: readonly string[];
  message: string;
  source_citation: string;
  source_url: string;
  occurred_at: string | null;
  acknowledged: boolean;
  opened_at: string;
  closed_at: string | null;
  updated_at: string;
}

/** Stable across rebuilds: the same history gives the same row ids. */
export const rowId = (findingId: string, severity: string, openedAt: string): string =>
  createHash('sha256').update(`${findingId}#${severity}#${openedAt}`).digest('base64url').slice(0, 22);

/** The row of one interval of the timeline, as of `now` (`updated_at`). */
export const rowOf = (interval: TimelineInterval, owner: string | null, now: number): FindingRow => {
  const f = interval.finding;
  const openedAt = iso(interval.openedAt);
  return {
    id: rowId(f.findingId, f.severity, openedAt),
    finding_id: f.findingId,
    rule_id: f.ruleId,
    severity: f.severity,
    certainty: f.certainty,
    data_center_id: f.dataCenterId,
    owner_organisation_id: owner,
    model_id: f.modelId,
    count: f.count,
    evidence: [...f.evidence],
    message: f.message,
    source_citation: f.source.citation,
    source_url: f.source.url,
    occurred_at: f.occurredAt,
    acknowledged: f.acknowledged,
    opened_at: openedAt,
    closed_at: interval.closedAt === null ? null : iso(interval.closedAt),
    updated_at: iso(now),
  };
};

/** Whether a row says something other than `other` does (wall-clock `updated_at` apart). */
export const rowChanged = (row: FindingRow, other: FindingRow | undefined): boolean =>
  other === undefined ||
  row.closed_at !== other.closed_at ||
  row.count !== other.count ||
  row.message !== other.message ||
  row.acknowledged !== other.acknowledged ||
  row.certainty !== other.certainty ||
  row.owner_organisation_id !== other.owner_organisation_id ||
  row.evidence.length !== other.evidence.length ||
  row.evidence.some((e, i) => e !== other.evidence[i]);

/** A stored row as the timeline knows an open finding (to go on judging after a restart or from before a late fact). */
export const openFindingOf = (row: FindingRow, rulebook: Rulebook = RULEBOOK_V1): OpenFinding => {
  const rule = ruleById(rulebook, row.rule_id as RuleId);
  const finding: Finding = {
    findingId: row.finding_id,
    ruleId: row.rule_id as RuleId,
    severity: row.severity as Finding['severity'],
    certainty: row.certainty as Finding['certainty'],
    dataCenterId: row.data_center_id,
    modelId: row.model_id,
    count: row.count,
    evidence: row.evidence,
    source: { citation: row.source_citation, url: row.source_url },
    inForce: rule?.inForce ?? { from: null, to: null },
    occurredAt: row.occurred_at,
    acknowledged: row.acknowledged,
    message: row.message,
  };
  return { finding, openedAt: Date.parse(row.opened_at) };
};
