import { evaluate, evolveComplianceState, initialComplianceState, type ComplianceState, type LedgerEnvelope, type Rulebook } from '@chip-ledger/compliance';
import { upcastEvent, type Instant } from '@chip-ledger/domain';
import type { UnfoldedEvent } from './fold';
import type { LedgerEntry } from './ledger-entry';

export interface ReplaySummary {
  readonly events: number;
  readonly streams: number;
  readonly dataCenters: number;
  /** Open findings at `findingsAt`, by rule then severity. */
  readonly findingsByRule: Record<string, Record<string, number>>;
  readonly findingsAt: Instant;
  readonly unfolded: readonly UnfoldedEvent[];
}

/**
 * Folds the whole history as it is read (in the ledger's order, as the projector does), counting what it saw; at the
 * end, evaluates compliance over everything folded. An event that cannot be folded (a type or schema version this code
 * does not know) is counted, never guessed: a replay is complete only when there is none.
 */
export class LedgerReplay {
  private state: ComplianceState = initialComplianceState();
  private readonly streams = new Set<string>();
  private readonly dataCenters = new Set<string>();
  private readonly unfolded: UnfoldedEvent[] = [];
  private count = 0;

  add(entry: LedgerEntry | (Omit<LedgerEntry, 'context' | 'globalPosition'> & Partial<Pick<LedgerEntry, 'context' | 'globalPosition'>>)): void {
    this.count++;
    this.streams.add(entry.streamId);
    let envelope: LedgerEnvelope;
    try {
      envelope = upcastEvent(entry) as LedgerEnvelope;
    } catch (error) {
      this.unfolded.push({ eventId: entry.eventId, type: entry.type, reason: (error as Error).message });
      return;
    }
    if (envelope.type === 'DataCenterRegistered') this.dataCenters.add(envelope.data.dataCenterId);
    this.state = evolveComplianceState(this.state, envelope);
  }

  get folded(): number {
    return this.state.seq;
  }

  summary(rulebook: Rulebook, findingsAt: Instant): ReplaySummary {
    const findingsByRule: Record<string, Record<string, number>> = {};
    for (const f of evaluate(this.state, rulebook, findingsAt)) {
      const byRule = (findingsByRule[f.ruleId] ??= {});
      byRule[f.severity] = (byRule[f.severity] ?? 0) + 1;
    }
    return { events: this.count, streams: this.streams.size, dataCenters: this.dataCenters.size, findingsByRule, findingsAt, unfolded: this.unfolded };
  }
}
