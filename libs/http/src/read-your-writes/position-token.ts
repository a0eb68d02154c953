import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The read-your-writes token shared by the command API (which returns it) and the query API (which waits
 * for it): every stream a write touched at its new version. Stream versions, unlike global positions, mean
 * the same thing whether a projection reads Kafka or the PostgreSQL log.
 *
 * Each part is signed for the writer's organisation (`<streamId>@<version>~<signature>`): waiting on a stream is
 * an answer in itself (at once if it has that many events, after the timeout if not), so an unsigned token
 * would let a viewer probe another organisation's streams. The query API accepts a part signed for the caller's
 * organisation; auditors and admins, who see everything anyway, may also pass plain `<streamId>@<version>`.
 */

export interface PositionPart {
  readonly streamId: string;
  readonly version: number;
  /** Null for a plain (unsigned) part. */
  readonly signature: string | null;
}

/** Signs and checks token parts with a key derived from the services' shared JWT secret. */
export class PositionSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own: a token signature can never be mistaken for (or help forge) anything else signed with the secret.
    this.key = createHmac('sha256', secret).update('chip-ledger read-your-writes v1').digest();
  }

  sign(organisation: string, streamId: string, version: number): string {
    return createHmac('sha256', this.key).update(`${organisation}\n${streamId}\n${version}`).digest('base64url').slice(0, 22);
  }

  verify(organisation: string, part: PositionPart): boolean {
    if (part.signature === null) return false;
    const expected = Buffer.from(this.sign(organisation, part.streamId, part.version));
    const given = Buffer.from(part.signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** '<streamId>@<version>~<signature>' per stream written (unsigned without a signer). */
export function positionToken(
  streams: readonly { readonly streamId: string; readonly version: number }[],
  sign?: (streamId: string, version: number) => string,
): string | null {
  return streams.length ? streams.map((s) => `${s.streamId}@${s.version}${sign ? `~${sign(s.streamId, s.version)}` : ''}`).join(',') : null;
}

/** The inverse of positionToken; null for a malformed token. */
export function parsePositionToken(token: string): PositionPart[] | null {
  const parsed: PositionPart[] = [];
  for (const part of token.split(',')) {
    const match = /^(.+)@(\d{1,9})(?:~([A-Za-z0-9_-]{22}))?$/.exec(part.trim());
    if (!match) return null;
    parsed.push({ streamId: match[1], version: Number(match[2]), signature: match[3] ?? null });
  }
  return parsed;
}
