import {
  evolveComplianceState,
  initialComplianceState,
  type ComplianceState,
  type LedgerEnvelope,
} from '@chip-ledger/compliance';
import { upcastEvent, type Instant } from '@chip-ledger/domain';
import { foldOrder, type LedgerEntry } from './ledger-entry';

/** The two instants of a bitemporal question: the world at `occurredAt`, as the ledger had recorded it by `knownAt`. */
export interface Bitemporal {
  readonly occurredAt: Instant;
  readonly knownAt: Instant;
}

/** An event the fold could not take (a type or schema version this code does not know), and why. */
export interface UnfoldedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly reason: string;
}

export interface FoldedLedger {
  readonly state: ComplianceState;
  /** The events folded, by id (to cite them as evidence). */
  readonly events: ReadonlyMap<string, LedgerEntry>;
  readonly unfolded: readonly UnfoldedEvent[];
}

/** Whether the ledger, as it stood at `knownAt`, held the entry, and the entry had happened by `occurredAt`. */
export const isVisible = (entry: LedgerEntry, at: { occurredAtMs: number; knownAtMs: number }): boolean =>
  Date.parse(entry.recordedAt) <= at.knownAtMs && Date.parse(entry.occurredAt) <= at.occurredAtMs;

/**
 * Folds what the ledger had recorded by `knownAt` of what had happened by `occurredAt` into compliance's state, in
 * `occurredAt` order (ties in the ledger's order), with compliance's own `evolveComplianceState`: the fold the
 * findings projection makes, limited to what was known then. Each event is first brought to its type's current
 * schema version; one that cannot be (unknown type or version) is left out and reported, never guessed.
 * Duplicates (the same event read through two selections) are folded once.
 */
export const foldLedger = (entries: Iterable<LedgerEntry>, at: Bitemporal, initial: ComplianceState = initialComplianceState()): FoldedLedger => {
  const limits = { occurredAtMs: Date.parse(at.occurredAt), knownAtMs: Date.parse(at.knownAt) };
  const byId = new Map<string, LedgerEntry>();
  for (const entry of entries) if (isVisible(entry, limits) && !byId.has(entry.eventId)) byId.set(entry.eventId, entry);
  const ordered = [...byId.values()].sort(foldOrder);
  const unfolded: UnfoldedEvent[] = [];
  let state = initial;
  for (const entry of ordered) {
    let envelope: LedgerEnvelope;
    try {
      envelope = upcastEvent(entry) as LedgerEnvelope;
    } catch (error) {
      unfolded.push({ eventId: entry.eventId, type: entry.type, reason: (error as Error).message });
      continue;
    }
    state = evolveComplianceState(state, envelope);
  }
  return { state, events: byId, unfolded };
};
