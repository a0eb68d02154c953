import type { Instant } from '@chip-ledger/domain';
import { evaluate, evaluationPartOf, type EvaluationCache, type EvaluationPart } from '../evaluation/evaluate';
import type { Finding } from '../evaluation/finding';
import type { Rulebook } from '../rulebook/rules';
import type { ComplianceState } from '../state/compliance-state';
import { judgementPlan, type JudgementScope, type PlannedJudgement } from './judgement-plan';

/** A finding open since `openedAt` (epoch ms). */
export interface OpenFinding {
  finding: Finding;
  readonly openedAt: number;
}

/** One stretch of time a finding was open with one severity; `closedAt` null while open. */
export interface TimelineInterval {
  /** Its content when it closed (just before the instant that closed it), or as of the judgement for an open one. */
  readonly finding: Finding;
  readonly openedAt: number;
  readonly closedAt: number | null;
}

/** Where a data center's findings timeline stands: judged through an instant, with what was open then. */
export interface DataCenterTimeline {
  readonly dataCenterId: string;
  /** Every instant up to here has been judged (-Infinity: nothing yet). */
  judgedThrough: number;
  /** Per part, the last instant it was judged at for every model and rental: how new findings of acts are dated. */
  readonly lastJudged: Map<EvaluationPart, number>;
  /** By `findingKey`. */
  readonly open: Map<string, OpenFinding>;
}

/** A finding changes severity by closing one interval and opening another: the key holds both. */
export const findingKey = (f: Pick<Finding, 'findingId' | 'severity'>): string => `${f.findingId}#${f.severity}`;

export const newDataCenterTimeline = (dataCenterId: string): DataCenterTimeline => ({
  dataCenterId,
  judgedThrough: Number.NEGATIVE_INFINITY,
  lastJudged: new Map(),
  open: new Map(),
});

/**
 * A fact arrived that occurred at `from`, at or before what was judged already: the timeline from `from` on is
 * judged again. `openBefore` are the findings that were open just before `from` (what was judged before it stands:
 * no fact of `from` or later was visible to it).
 */
export const rewindDataCenterTimeline = (timeline: DataCenterTimeline, from: number, openBefore: readonly OpenFinding[]): void => {
  timeline.open.clear();
  for (const o of openBefore) timeline.open.set(findingKey(o.finding), o);
  timeline.judgedThrough = from - 1;
  timeline.lastJudged.clear();
  for (const part of ['acts', 'remittance', 'balance', 'cn', 'prc', 'rentals'] as const) timeline.lastJudged.set(part, from - 1);
};

const iso = (ms: number): Instant => new Date(ms).toISOString();

const ALL_PARTS: readonly EvaluationPart[] = ['acts', 'remittance', 'balance', 'cn', 'prc', 'rentals'];
/**
 * Parts whose findings hold from an act (`Finding.occurredAt`) that is not itself a planned instant: a movement's own
 * verdicts, a use drawing on a licence. The other parts' acts are planned instants (an order's lines, a rental's facts,
 * a revenue-share window's end), so their findings are seen where they begin.
 */
const ACT_PARTS: ReadonlySet<EvaluationPart> = new Set(['acts', 'balance']);

/**
 * Judges one data center's timeline from where it stands through `through` (usually now): at every instant of
 * `judgementPlan` in between (each judgement limited to what can change there), then once in full at `through`.
 * The answer is a function of the facts in `state`, whatever order they were folded in and however the judging was
 * cut into calls; it equals judging the data center at every instant (the property tests compare both):
 * - a finding opens at the judged instant it is first seen, or, for a finding of an act that is not itself a planned
 *   instant (a movement's own verdicts, a use drawing on a licence: `Finding.occurredAt`) seen after the act, at the
 *   act's instant, when nothing that could have made it appear was judged in between;
 * - it closes at the first judged instant it is no longer seen, with its content as of just before that instant;
 * - an open finding's content is its content at `through`.
 * Returns every interval this call closed, every open one (whether or not its content changed), and the next instant
 * after `through` at which the data center asks to be judged again with no new fact (time alone, or a fact dated in
 * the future); null when none. `pause` is awaited between judgements (the projection yields to its event loop).
 */
export async function judgeDataCenterTimeline(
  state: ComplianceState,
  rulebook: Rulebook,
  timeline: DataCenterTimeline,
  through: number,
  options: { readonly cache?: EvaluationCache; readonly pause?: () => Promise<void> } = {},
): Promise<{ readonly intervals: TimelineInterval[]; readonly next: number | null }> {
  const dataCenterId = timeline.dataCenterId;
  const closed: TimelineInterval[] = [];
  const judge = (at: number, scope: JudgementScope | null, found: readonly Finding[]): void => {
    const present = new Map(found.map((f) => [findingKey(f), f]));
    const vanished = [...timeline.open].filter(([key, o]) => inScope(o.finding, scope) && !present.has(key));
    if (vanished.length > 0) {
      const before = new Map(
        evaluate(state, rulebook, iso(at - 1), { dataCenterId, ...restriction(scopeOf(vanished.map(([, o]) => o.finding)), false) }).map((f) => [findingKey(f), f]),
      );
      for (const [key, o] of vanished) {
        timeline.open.delete(key);
        closed.push({ finding: before.get(key) ?? o.finding, openedAt: o.openedAt, closedAt: at });
      }
    }
    for (const [key, f] of present) {
      const o = timeline.open.get(key);
      if (o) {
        o.finding = f;
        continue;
      }
      const part = evaluationPartOf(f);
      const act = f.occurredAt === null || !ACT_PARTS.has(part) ? null : Date.parse(f.occurredAt);
      const since = timeline.lastJudged.get(part) ?? Number.NEGATIVE_INFINITY;
      timeline.open.set(key, { finding: f, openedAt: act !== null && act > since && act <= at ? act : at });
    }
    for (const part of scope?.parts ?? ['acts', 'remittance', 'balance', 'cn', 'prc', 'rentals']) {
      const narrowed = ((part === 'cn' || part === 'prc') && scope?.modelIds) || (part === 'rentals' && scope?.rentalIds);
      if (!narrowed) timeline.lastJudged.set(part as EvaluationPart, at);
    }
  };

  /**
   * A finding of an act holds from the act on, so it need not be judged at the act: the next judgement of its part
   * finds it and dates it by the act. Unless that judgement is the one that ends it (a catalog correction, another
   * site's earlier use of the licence): so before a step that can end findings of acts, those parts are judged just
   * before it, where whatever acts occurred since they were last judged still hold.
   */
  const judgeActsBefore = (at: number, scope: JudgementScope | null): void => {
    const parts = [...(scope?.parts ?? ALL_PARTS)].filter((p) => ACT_PARTS.has(p) && (timeline.lastJudged.get(p) ?? Number.NEGATIVE_INFINITY) < at - 1);
    if (parts.length === 0) return;
    const before: JudgementScope = { parts: new Set(parts), modelIds: null, rentalIds: scope?.rentalIds ?? null };
    judge(at - 1, before, evaluate(state, rulebook, iso(at - 1), { dataCenterId, ...restriction(before, false) }));
  };

  // One plan to the end of time: what lies beyond `through` is when to come back.
  const plan: readonly PlannedJudgement[] = judgementPlan(state, rulebook, dataCenterId, timeline.judgedThrough, Number.POSITIVE_INFINITY);
  let next: number | null = null;
  let stepAtThrough: PlannedJudgement | null = null;
  for (const step of plan) {
    if (step.at > through) {
      next = step.at;
      break;
    }
    await options.pause?.();
    if (step.at === through) {
      stepAtThrough = step;
      continue;
    }
    judgeActsBefore(step.at, step);
    judge(step.at, step, evaluate(state, rulebook, iso(step.at), { dataCenterId, ...restriction(step, false) }));
  }
  if (through > timeline.judgedThrough) {
    await options.pause?.();
    if (stepAtThrough !== null) judgeActsBefore(through, null);
    judge(through, null, evaluate(state, rulebook, iso(through), { dataCenterId, cache: options.cache }));
    timeline.judgedThrough = through;
  }
  return { intervals: [...closed, ...[...timeline.open.values()].map((o) => ({ finding: o.finding, openedAt: o.openedAt, closedAt: null }))], next };
}

/** The findings a judgement of `scope` answers for (null: every finding). */
const inScope = (f: Finding, scope: JudgementScope | null): boolean => {
  if (scope === null) return true;
  const part = evaluationPartOf(f);
  if (!scope.parts.has(part)) return false;
  if ((part === 'cn' || part === 'prc') && scope.modelIds !== null) return f.modelId !== null && scope.modelIds.has(f.modelId);
  if (part === 'rentals' && scope.rentalIds !== null) return scope.rentalIds.has(rentalOf(f));
  return true;
};

/** `rental:<id>` findings name their rental last (`findingIdOf`). */
const rentalOf = (f: Finding): string => f.findingId.slice(f.findingId.lastIndexOf('rental:') + 'rental:'.length);

/**
 * The narrowest judgement holding the given findings (to read their content just before they closed): their parts,
 * their models for the per-model parts and their rentals for `rentals` (`evaluate` narrows only those parts by them).
 */
const scopeOf = (findings: readonly Finding[]): JudgementScope => {
  const scope = { parts: new Set<EvaluationPart>(), modelIds: new Set<string>(), rentalIds: new Set<string>() };
  for (const f of findings) {
    const part = evaluationPartOf(f);
    scope.parts.add(part);
    if ((part === 'cn' || part === 'prc') && f.modelId !== null) scope.modelIds.add(f.modelId);
    if (part === 'rentals') scope.rentalIds.add(rentalOf(f));
  }
  return scope;
};

const restriction = (scope: JudgementScope, full: boolean) =>
  full
    ? {}
    : {
        parts: scope.parts,
        ...(scope.modelIds === null ? {} : { modelIds: scope.modelIds }),
        ...(scope.rentalIds === null ? {} : { rentalIds: scope.rentalIds }),
      };
