import { createHash } from 'node:crypto';
import type { Finding } from '@chip-ledger/compliance';
import { iso } from '../shared/sql';

/** A `findings` row as kept in memory for open findings and written with one upsert per batch. */
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

/** An open finding is identified by compliance's finding id and its severity: a change of severity is a new interval. */
export const openKey = (f: Pick<Finding, 'findingId' | 'severity'>): string => `${f.findingId}#${f.severity}`;

/** Stable across rebuilds: the same history gives the same row ids. */
export const rowId = (findingId: string, severity: string, openedAt: string): string =>
  createHash('sha256').update(`${findingId}#${severity}#${openedAt}`).digest('base64url').slice(0, 22);

export interface Transitions {
  readonly opened: FindingRow[];
  readonly updated: FindingRow[];
  readonly closed: FindingRow[];
}

export interface DiffTimes {
  /** When a newly seen finding opened. */
  readonly openedAt: (f: Finding) => number;
  /** When a finding no longer seen closed (never before it opened). */
  readonly closedAt: number;
  readonly now: number;
}

const sameContent = (row: FindingRow, f: Finding): boolean =>
  row.count === f.count &&
  row.message === f.message &&
  row.acknowledged === f.acknowledged &&
  row.certainty === f.certainty &&
  row.evidence.length === f.evidence.length &&
  row.evidence.every((e, i) => e === f.evidence[i]);

/**
 * Compares what is open for one data center with what compliance says now, mutating `open` to match.
 * Pure apart from that map: the projection decides the instants.
 */
export const diffFindings = (
  open: Map<string, FindingRow>,
  current: readonly Finding[],
  owner: string | null,
  times: DiffTimes,
): Transitions => {
  const out: Transitions = { opened: [], updated: [], closed: [] };
  const seen = new Set<string>();
  const updatedAt = iso(times.now);
  for (const f of current) {
    const key = openKey(f);
    seen.add(key);
    const row = open.get(key);
    if (row === undefined) {
      const openedAt = iso(times.openedAt(f));
      const fresh: FindingRow = {
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
        closed_at: null,
        updated_at: updatedAt,
      };
      open.set(key, fresh);
      out.opened.push(fresh);
    } else if (!sameContent(row, f) || row.owner_organisation_id !== owner) {
      Object.assign(row, {
        count: f.count,
        message: f.message,
        acknowledged: f.acknowledged,
        certainty: f.certainty,
        evidence: [...f.evidence],
        owner_organisation_id: owner,
        updated_at: updatedAt,
      });
      out.updated.push(row);
    }
  }
  for (const [key, row] of open) {
    if (seen.has(key)) continue;
    open.delete(key);
    const closedAt = Math.max(times.closedAt, Date.parse(row.opened_at));
    const closed = { ...row, closed_at: iso(closedAt), updated_at: updatedAt };
    out.closed.push(closed);
  }
  return out;
};
