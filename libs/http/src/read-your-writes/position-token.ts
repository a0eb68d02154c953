/*
 * The read-your-writes token shared by the command API (which returns it) and the query API (which waits
 * for it): every stream a write touched at its new version. Stream versions, unlike global positions, mean
 * the same thing whether a projection reads Kafka or the PostgreSQL log.
 */

/** '<streamId>@<version>' per stream written: what a projection can check it has applied, wherever it reads from. */
export function positionToken(streams: readonly { readonly streamId: string; readonly version: number }[]): string | null {
  return streams.length ? streams.map((s) => `${s.streamId}@${s.version}`).join(',') : null;
}

/** The inverse of positionToken; null for a malformed token. */
export function parsePositionToken(token: string): { streamId: string; version: number }[] | null {
  const parsed: { streamId: string; version: number }[] = [];
  for (const part of token.split(',')) {
    const match = /^(.+)@(\d{1,9})$/.exec(part.trim());
    if (!match) return null;
    parsed.push({ streamId: match[1], version: Number(match[2]) });
  }
  return parsed;
}
