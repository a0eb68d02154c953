import type { Instant } from '@chip-ledger/domain';
import type { Certainty, InForcePeriod, RuleId, RuleSource, Severity } from '../rulebook/rules';

/** One thing a rule has to say about a data center at an instant. */
export interface Finding {
  /** Deterministic: `ruleId/dataCenterId/modelId/discriminator` (e.g. the delivery id). */
  readonly findingId: string;
  readonly ruleId: RuleId;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly dataCenterId: string;
  readonly modelId: string | null;
  readonly count: number;
  /** Ids of the events that make the finding, oldest first. */
  readonly evidence: readonly string[];
  readonly source: RuleSource;
  readonly inForce: InForcePeriod;
  /** When the judged act occurred (a delivery, a transfer, an order); null for standing conditions. */
  readonly occurredAt: Instant | null;
  /** An auditor recorded FindingAcknowledged for this finding id (acknowledging does not close it). */
  readonly acknowledged: boolean;
  readonly message: string;
}

export const findingIdOf = (ruleId: RuleId, dataCenterId: string, modelId: string | null, discriminator: string): string =>
  `${ruleId}/${dataCenterId}/${modelId ?? '-'}/${discriminator}`;
