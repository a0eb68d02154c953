import { ValidationProblem } from '@chip-ledger/http';

/** Cursors are opaque to clients: base64url JSON of the keyset position. */
export const encodeCursor = (position: readonly unknown[]): string => Buffer.from(JSON.stringify(position)).toString('base64url');

export const decodeCursor = <T extends unknown[]>(cursor: string | undefined, shape: readonly ('string')[]): T | undefined => {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === shape.length && value.every((v, i) => typeof v === shape[i])) return value as T;
  } catch {
    // fall through: refused below
  }
  throw new ValidationProblem([{ field: 'cursor', reason: 'cursor is not one this API issued (use nextCursor from a previous page)' }]);
};

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
