import { SEED_MODEL_IDS } from '@chip-ledger/domain';
import { evaluate } from '../evaluation/evaluate';
import type { Finding } from '../evaluation/finding';
import { RULEBOOK_V1, type RuleId, type Rulebook } from '../rulebook/rules';
import { foldComplianceState } from '../state/compliance-state';
import { at, type Scenario } from '../testing/scenario';

export const M = SEED_MODEL_IDS;

/** Findings as of `when`, optionally only one rule's. */
export const findingsAt = (s: Scenario, when: string, ruleId?: RuleId, rulebook: Rulebook = RULEBOOK_V1): Finding[] =>
  evaluate(foldComplianceState(s.envelopes), rulebook, at(when)).filter((f) => ruleId === undefined || f.ruleId === ruleId);

/** A compact view of findings for assertions. */
export const brief = (fs: readonly Finding[]) => fs.map((f) => ({ ruleId: f.ruleId, severity: f.severity, dataCenterId: f.dataCenterId, modelId: f.modelId, count: f.count }));
