import { SEVERITIES, type Finding, type Severity } from '../api/types';

export interface FindingsFilter {
  readonly severity: Severity | null;
  readonly ruleId: string | null;
  readonly acknowledgement: 'any' | 'acknowledged' | 'unacknowledged';
  /** Matched against the data center's id and name, the model and the message. */
  readonly text: string;
}

export const NO_FINDINGS_FILTER: FindingsFilter = { severity: null, ruleId: null, acknowledgement: 'any', text: '' };

export function filterFindings(findings: readonly Finding[], filter: FindingsFilter, dataCenterName: (id: string) => string): Finding[] {
  const text = filter.text.trim().toLowerCase();
  return findings.filter(
    (f) =>
      (filter.severity === null || f.severity === filter.severity) &&
      (filter.ruleId === null || f.ruleId === filter.ruleId) &&
      (filter.acknowledgement === 'any' || (filter.acknowledgement === 'acknowledged') === f.acknowledged) &&
      (text === '' || [f.dataCenterId, dataCenterName(f.dataCenterId), f.modelId ?? '', f.message].some((v) => v.toLowerCase().includes(text))),
  );
}

export interface RuleSummary {
  readonly ruleId: string;
  readonly counts: Readonly<Record<Severity, number>>;
  readonly total: number;
  readonly acknowledged: number;
}

const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** One line per rule with its open findings by severity; rules with breaches first, then by volume. */
export function summariseByRule(findings: readonly Finding[]): RuleSummary[] {
  const byRule = new Map<string, { counts: Record<Severity, number>; acknowledged: number }>();
  for (const f of findings) {
    const entry = byRule.get(f.ruleId) ?? { counts: { breach: 0, review: 0, risk: 0 }, acknowledged: 0 };
    entry.counts[f.severity] += 1;
    if (f.acknowledged) entry.acknowledged += 1;
    byRule.set(f.ruleId, entry);
  }
  return [...byRule.entries()]
    .map(([ruleId, e]) => ({ ruleId, counts: e.counts, acknowledged: e.acknowledged, total: e.counts.breach + e.counts.review + e.counts.risk }))
    .sort((a, b) => b.counts.breach - a.counts.breach || b.counts.review - a.counts.review || b.total - a.total || a.ruleId.localeCompare(b.ruleId));
}

/** Worst first (breach, review, risk), then the most recently opened. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.openedAt.localeCompare(a.openedAt) || a.id.localeCompare(b.id));
}
