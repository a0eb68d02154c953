import { isStorableText, ValidationProblem } from '@chip-ledger/http';

/** Cursors are opaque to clients: base64url JSON of the keyset position. */
export const encodeCursor = (position: readonly unknown[]): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** What each element of a cursor must be: any id-like text, or an instant (ISO-8601, as the API writes them). */
type CursorPart = 'string' | 'instant';

const refused = () => new ValidationProblem([{ field: 'cursor', reason: 'cursor is not one this API issued (use nextCursor from a previous page)' }]);

/**
 * Decodes a cursor, checking every element before it reaches SQL: a crafted cursor is a 400, never a database
 * error (an instant PostgreSQL cannot parse, text it cannot store).
 */
export const decodeCursor = <T extends unknown[]>(cursor: string | undefined, shape: readonly CursorPart[]): T | undefined => {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(value) || value.length !== shape.length) throw refused();
  const fits = value.every((part, i) => {
    if (typeof part !== 'string' || part.length > 200 || !isStorableText(part)) return false;
    return shape[i] === 'string' || (ISO_INSTANT.test(part) && !Number.isNaN(Date.parse(part)));
  });
  if (!fits) throw refused();
  return value as T;
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `?cursor=` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Fetches limit + 1 rows to know whether another page exists. */
export const pageOf = <T>(rows: readonly T[], limit: number, positionOf: (last: T) => readonly unknown[]): Page<T> => {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit && items.length > 0 ? encodeCursor(positionOf(items[items.length - 1])) : null };
};
