import type { Instant } from '@chip-ledger/domain';
import { evaluate, type EvaluateOptions } from '../evaluation/evaluate';
import type { Finding } from '../evaluation/finding';
import type { Certainty, RuleId, Rulebook, Severity } from '../rulebook/rules';
import { foldComplianceState, initialComplianceState, type ComplianceState, type LedgerEnvelope } from '../state/compliance-state';
import { ComplianceView } from '../state/compliance-view';

const DAY_MS = 86_400_000;
const iso = (ms: number): Instant => new Date(ms).toISOString();

/**
 * Instants at which time alone (no new fact) can change `evaluate`'s answer: rules starting or ending, rule
 * milestones, rentals starting or ending, 90-day remittance windows closing. Sorted, unique.
 */
export const timeChangeInstants = (state: ComplianceState, rulebook: Rulebook, options: EvaluateOptions = {}): Instant[] => {
  const view = new ComplianceView(state, Number.POSITIVE_INFINITY);
  const out = new Set<number>();
  for (const rule of rulebook) {
    if (rule.inForce.from !== null) out.add(Date.parse(rule.inForce.from));
    if (rule.inForce.to !== null) out.add(Date.parse(rule.inForce.to));
    for (const m of rule.milestones) out.add(Date.parse(m.at));
  }
  const dcIds = options.dataCenterId === undefined ? [...state.store.dataCenters.keys()] : [options.dataCenterId];
  const h20 = rulebook.find((r) => r.id === 'US-H20-IS-INFORMED');
  for (const dcId of dcIds) {
    const rec = state.store.dataCenters.get(dcId);
    if (!rec) continue;
    for (const { rentalId } of view.all(rec.rentals)) {
      const r = state.store.rentals.get(rentalId);
      for (const s of view.all(r?.started ?? [])) out.add(s.periodStart).add(s.periodEnd);
      for (const x of view.all(r?.extensions ?? [])) out.add(x.newPeriodEnd);
    }
    if (h20?.id === 'US-H20-IS-INFORMED') {
      for (const moves of rec.stock.values()) {
        for (const m of view.all(moves)) {
          if (m.licenceId !== null && (m.kind === 'delivered' || m.kind === 'transferred-in')) out.add(m.at + h20.parameters.remittanceWindowDays * DAY_MS);
        }
      }
    }
  }
  return [...out].filter(Number.isFinite).sort((a, b) => a - b).map(iso);
};

/** The first instant strictly after `after` at which time alone may change the findings; null if none. */
export const nextTimeChange = (state: ComplianceState, rulebook: Rulebook, after: Instant, options: EvaluateOptions = {}): Instant | null => {
  const t = Date.parse(after);
  return timeChangeInstants(state, rulebook, options).find((x) => Date.parse(x) > t) ?? null;
};

/** One stretch of time during which a finding was open with one severity. */
export interface FindingInterval {
  readonly findingId: string;
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly dataCenterId: string;
  readonly modelId: string | null;
  readonly openedAt: Instant;
  /** null: still open at the last instant the history gives. */
  readonly closedAt: Instant | null;
  readonly countAtOpen: number;
  /** The count when last seen open (counts can change without closing the finding). */
  readonly lastCount: number;
  readonly evidence: readonly string[];
  readonly message: string;
}

/**
 * For one data center, when each finding was open, judged with everything the history records (a fact recorded
 * late still counts at its occurredAt). Evaluated at every fact's occurredAt and at every instant where time
 * alone changes the answer; a change of severity closes one interval and opens the next.
 */
export const findingTimeline = (
  envelopes: readonly LedgerEnvelope[],
  rulebook: Rulebook,
  dataCenterId: string,
  initial: ComplianceState = initialComplianceState(),
): FindingInterval[] => {
  const state = foldComplianceState(envelopes, initial);
  const instants = [...new Set([...envelopes.map((e) => Date.parse(e.occurredAt)), ...timeChangeInstants(state, rulebook, { dataCenterId }).map((x) => Date.parse(x))])]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const open = new Map<string, { finding: Finding; openedAt: number; countAtOpen: number }>();
  const done: FindingInterval[] = [];
  const close = (key: string, at: number | null): void => {
    const o = open.get(key);
    if (!o) return;
    open.delete(key);
    done.push({
      findingId: o.finding.findingId,
      ruleId: o.finding.ruleId,
      severity: o.finding.severity,
      certainty: o.finding.certainty,
      dataCenterId: o.finding.dataCenterId,
      modelId: o.finding.modelId,
      openedAt: iso(o.openedAt),
      closedAt: at === null ? null : iso(at),
      countAtOpen: o.countAtOpen,
      lastCount: o.finding.count,
      evidence: o.finding.evidence,
      message: o.finding.message,
    });
  };
  for (const t of instants) {
    const now = new Map(evaluate(state, rulebook, iso(t), { dataCenterId }).map((f) => [`${f.findingId}#${f.severity}`, f]));
    for (const key of [...open.keys()]) if (!now.has(key)) close(key, t);
    for (const [key, f] of now) {
      const o = open.get(key);
      if (o) o.finding = f;
      else open.set(key, { finding: f, openedAt: t, countAtOpen: f.count });
    }
  }
  for (const key of [...open.keys()]) close(key, null);
  return done.sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt) || (a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0));
};

/** "As of T" on a timeline: the intervals open at T. */
export const openAt = (timeline: readonly FindingInterval[], at: Instant): FindingInterval[] => {
  const t = Date.parse(at);
  return timeline.filter((i) => Date.parse(i.openedAt) <= t && (i.closedAt === null || t < Date.parse(i.closedAt)));
};

export type RuleStatus = 'not-yet-in-force' | 'in-force' | 'ended';

/** Where each rule stood at an instant, with a sentence: why an as-of query flagged nothing under it. */
export const rulebookStatusAt = (rulebook: Rulebook, at: Instant): { ruleId: RuleId; status: RuleStatus; sentence: string }[] => {
  const t = Date.parse(at);
  return rulebook.map((r) => {
    const from = r.inForce.from === null ? null : Date.parse(r.inForce.from);
    const to = r.inForce.to === null ? null : Date.parse(r.inForce.to);
    const status: RuleStatus = from !== null && t < from ? 'not-yet-in-force' : to !== null && t >= to ? 'ended' : 'in-force';
    const period = `${r.inForce.from?.slice(0, 10) ?? 'always'}${r.inForce.to ? ` until ${r.inForce.to.slice(0, 10)}` : ''}`;
    const note = r.id === 'US-AI-DIFFUSION' ? ' It yields no findings: rescinded before its compliance date.' : '';
    const sentence =
      status === 'in-force'
        ? `${r.id} (${r.certainty}, ${r.source.citation}) is in force (${period}).${note}`
        : status === 'ended'
          ? `${r.id} ended on ${r.inForce.to?.slice(0, 10)}; facts from ${period} are still judged by it.${note}`
          : `${r.id} is not yet in force (from ${r.inForce.from?.slice(0, 10)}).${note}`;
    return { ruleId: r.id, status, sentence };
  });
};
