import type { Actor, Instant } from '@chip-ledger/domain';

/** The contexts whose event stores make up the ledger, in the order that breaks ties between them. */
export const LEDGER_STORES = ['procurement', 'rental', 'audit'] as const;
export type LedgerStore = (typeof LEDGER_STORES)[number];

/**
 * One recorded event as auditors see it: the full envelope with its hash chain, where it is stored (`context`, the
 * event store's schema) and its global position in that store.
 */
export interface LedgerEntry {
  readonly eventId: string;
  readonly context: LedgerStore;
  readonly streamId: string;
  readonly version: number;
  readonly globalPosition: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly actor: Actor;
  readonly occurredAt: Instant;
  readonly recordedAt: Instant;
  readonly prevHash: string;
  readonly hash: string;
  readonly correlationId: string;
  readonly causationId: string | null;
}

const rank = (context: LedgerStore): number => LEDGER_STORES.indexOf(context);

/**
 * The ledger's one global order: when the ledger learned each event (`recordedAt`), then the store, then the store's
 * global position. Each store numbers its own events; `recordedAt` (the database clock of the append) places the
 * stores' events among each other, and an append's events share it, so within a store and an instant the global
 * position decides. Stable: stored events never change, and the triple is unique.
 */
export const ledgerOrder = (a: LedgerEntry, b: LedgerEntry): number =>
  Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || rank(a.context) - rank(b.context) || a.globalPosition - b.globalPosition;

/**
 * The order facts are folded in for an as-of: when they happened (`occurredAt`), ties in the ledger's order, so facts
 * of the same instant are folded in the order they were recorded (for one store, its global position).
 */
export const foldOrder = (a: LedgerEntry, b: LedgerEntry): number => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || ledgerOrder(a, b);

/** The position of an entry in the ledger's order, as a cursor carries it. */
export interface LedgerKey {
  readonly recordedAt: Instant;
  readonly context: LedgerStore;
  readonly globalPosition: number;
}

export const keyOf = (entry: LedgerEntry): LedgerKey => ({ recordedAt: entry.recordedAt, context: entry.context, globalPosition: entry.globalPosition });

export const storeRank = rank;
