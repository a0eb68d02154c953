import {
  evolveComplianceState,
  initialComplianceState,
  type ComplianceState,
  type LedgerEnvelope,
} from '@chip-ledger/compliance';
import { upcastEvent, type Instant } from '@chip-ledger/domain';
import { storeRank, type LedgerEntry } from './ledger-entry';

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

/**
 * Folds what the ledger had recorded by `knownAt` of what had happened by `occurredAt` into compliance's state, in
 * `occurredAt` order (ties in the ledger's order, `foldOrder`), with compliance's own `evolveComplianceState`: the fold the
 * findings projection makes, limited to what was known then. Each event is first brought to its type's current
 * schema version; one that cannot be (unknown type or version) is left out and reported, never guessed.
 * Duplicates (the same event read through two selections) are folded once.
 */
interface Keyed {
  readonly entry: LedgerEntry;
  readonly occurred: number;
  readonly recorded: number;
}

/**
 * Entries deduplicated and sorted in fold order, with their instants parsed: computed once per array (the as-of cache
 * hands the same array to every question until something is recorded), so a question only filters and folds.
 */
const prepared = new WeakMap<readonly LedgerEntry[], readonly Keyed[]>();

const prepare = (entries: readonly LedgerEntry[]): readonly Keyed[] => {
  let keyed = prepared.get(entries);
  if (keyed !== undefined) return keyed;
  const seen = new Set<string>();
  const out: (Keyed & { rank: number })[] = [];
  for (const entry of entries) {
    if (seen.has(entry.eventId)) continue;
    seen.add(entry.eventId);
    out.push({ entry, occurred: Date.parse(entry.occurredAt), recorded: Date.parse(entry.recordedAt), rank: storeRank(entry.context) });
  }
  out.sort((a, b) => a.occurred - b.occurred || a.recorded - b.recorded || a.rank - b.rank || a.entry.globalPosition - b.entry.globalPosition);
  keyed = out;
  prepared.set(entries, keyed);
  return keyed;
};

export const foldLedger = (entries: Iterable<LedgerEntry>, at: Bitemporal, initial: ComplianceState = initialComplianceState()): FoldedLedger => {
  const occurredAtMs = Date.parse(at.occurredAt);
  const knownAtMs = Date.parse(at.knownAt);
  const byId = new Map<string, LedgerEntry>();
  const unfolded: UnfoldedEvent[] = [];
  let state = initial;
  for (const { entry, occurred, recorded } of prepare(Array.isArray(entries) ? (entries as readonly LedgerEntry[]) : [...entries])) {
    // In occurredAt order: nothing after the instant asked about can follow.
    if (occurred > occurredAtMs) break;
    if (recorded > knownAtMs) continue;
    byId.set(entry.eventId, entry);
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
