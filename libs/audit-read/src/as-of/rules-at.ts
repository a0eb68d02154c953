import { inForceAt, rulebookStatusAt, type Certainty, type InForcePeriod, type Rule, type RuleMilestone, type Rulebook, type RuleSource } from '@chip-ledger/compliance';
import type { Instant } from '@chip-ledger/domain';

/**
 * Rules that are in the rulebook for the timeline's sake but judge nothing: announced, then not enforced. `evaluate`
 * yields no finding under them (see its US-AI-DIFFUSION case).
 */
const NOT_ENFORCED: ReadonlySet<string> = new Set(['US-AI-DIFFUSION']);

export type RuleStatusAt = 'not-yet-in-force' | 'in-force' | 'ended' | 'announced-not-enforced';

/** One rule as an auditor asks about it: "what applied on T, and why was nothing flagged". */
export interface RuleAt {
  readonly ruleId: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly certainty: Certainty;
  readonly source: RuleSource;
  readonly inForce: InForcePeriod;
  readonly milestones: readonly RuleMilestone[];
  /** Where the rule stood at the instant asked about. */
  readonly status: RuleStatusAt;
  /** Whether a fact that occurred at the instant is judged by this rule (false for rules announced but not enforced). */
  readonly judgesFactsAt: boolean;
  /** Whether the rule can yield findings at all. */
  readonly enforced: boolean;
  readonly summary: string;
  /** A sentence for a person: the rule's standing at the instant. */
  readonly explanation: string;
}

/** Every rule of the rulebook with its standing at `at`, in the rulebook's order. */
export const rulesAt = (rulebook: Rulebook, at: Instant): RuleAt[] => {
  const ms = Date.parse(at);
  const sentences = new Map(rulebookStatusAt(rulebook, at).map((s) => [s.ruleId, s]));
  return rulebook.map((rule: Rule) => {
    const enforced = !NOT_ENFORCED.has(rule.id);
    const base = sentences.get(rule.id);
    const inForce = inForceAt(rule, ms);
    const status: RuleStatusAt = !enforced && inForce ? 'announced-not-enforced' : (base?.status ?? (inForce ? 'in-force' : 'ended'));
    return {
      ruleId: rule.id,
      title: rule.title,
      jurisdiction: rule.jurisdiction,
      certainty: rule.certainty,
      source: rule.source,
      inForce: rule.inForce,
      milestones: rule.milestones,
      status,
      judgesFactsAt: enforced && inForce,
      enforced,
      summary: rule.summary,
      explanation:
        status === 'announced-not-enforced'
          ? `${rule.id} was published and its period had begun, but it was not enforced: it yields no findings (${rule.source.citation}).`
          : (base?.sentence ?? ''),
    };
  });
};

/** The rules that judged facts occurring at `at`: the "rules in force" an as-of answer lists. */
export const rulesInForceAt = (rulebook: Rulebook, at: Instant): RuleAt[] => rulesAt(rulebook, at).filter((r) => r.judgesFactsAt);
