import { isStorableText, ValidationProblem } from '@chip-ledger/http';
import { LEDGER_STORES, type LedgerKey, type LedgerStore } from '../as-of/ledger-entry';

/** A page of history: the items and the opaque cursor of the next page (null on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

const refused = (): ValidationProblem =>
  new ValidationProblem([{ field: 'cursor', reason: 'cursor is not one this API issued (use nextCursor from a previous page of the same query)' }]);

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Cursors are opaque to clients: base64url JSON of the last item's place in the ledger's order, or of a text key. */
export const encodeLedgerCursor = (key: LedgerKey): string => Buffer.from(JSON.stringify([key.recordedAt, key.context, key.globalPosition])).toString('base64url');

const parse = (cursor: string): unknown => {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
};

/** Decodes a history cursor, checking every part before it reaches SQL: a crafted cursor is a 400, never a database error. */
export const decodeLedgerCursor = (cursor: string | undefined): LedgerKey | null => {
  if (cursor === undefined) return null;
  const value = parse(cursor);
  if (!Array.isArray(value) || value.length !== 3) throw refused();
  const [recordedAt, context, globalPosition] = value as unknown[];
  if (typeof recordedAt !== 'string' || !ISO_MS.test(recordedAt) || Number.isNaN(Date.parse(recordedAt))) throw refused();
  if (typeof context !== 'string' || !(LEDGER_STORES as readonly string[]).includes(context)) throw refused();
  if (typeof globalPosition !== 'number' || !Number.isSafeInteger(globalPosition) || globalPosition < 0) throw refused();
  return { recordedAt, context: context as LedgerStore, globalPosition };
};

export const encodeTextCursor = (key: string): string => Buffer.from(JSON.stringify([key])).toString('base64url');

export const decodeTextCursor = (cursor: string | undefined): string | null => {
  if (cursor === undefined) return null;
  const value = parse(cursor);
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'string' || value[0].length > 200 || !isStorableText(value[0])) throw refused();
  return value[0];
};
