import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The read-your-writes token shared by the command API (which returns it) and the query API (which waits for it).
 *
 * A write answers the heads of every context store when its append had committed: the highest global position of
 * procurement, rental and audit (`p:1234.r:56.a:7~<signature>`). A read passing it waits until the read models have
 * applied every event of each context up to that position (their watermarks, ADR 0019): the write itself, and every
 * fact recorded before it on any partition or context, which a finding may depend on. Its size does not depend on
 * what the write touched.
 *
 * The earlier form, one `<streamId>@<version>~<signature>` per stream written, is still accepted (deprecated, ADR
 * 0019): it waits for those streams only.
 *
 * Each part is signed for the writer's organisation: waiting is an answer in itself (at once if the read models got
 * that far, after the timeout if not), so an unsigned token would let a viewer probe how far another organisation's
 * streams, or the ledger, have got. The query API waits on a part signed for the caller's organisation; auditors and
 * admins, who see everything anyway, may also pass plain parts.
 */

/** The letter of each context in a ledger token. */
export const LEDGER_TOKEN_CONTEXTS: Readonly<Record<string, string>> = Object.freeze({ p: 'procurement', r: 'rental', a: 'audit' });

/** Longest position the query API accepts, as `?after=` and as `X-Ledger-Position` alike. */
export const MAX_POSITION_LENGTH = 4_000;

/** A write's position: the heads of every context store (context → global position) after it committed. */
export interface LedgerPositionPart {
  readonly kind: 'ledger';
  readonly heads: ReadonlyMap<string, number>;
  /** Null for a plain (unsigned) part. */
  readonly signature: string | null;
}

/** Deprecated: one stream at the version a write left it at. */
export interface StreamPositionPart {
  readonly kind: 'stream';
  readonly streamId: string;
  readonly version: number;
  /** Null for a plain (unsigned) part. */
  readonly signature: string | null;
}

export type PositionPart = LedgerPositionPart | StreamPositionPart;

/** Signs and checks token parts with a key derived from the services' shared JWT secret. */
export class PositionSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own: a token signature can never be mistaken for (or help forge) anything else signed with the secret.
    this.key = createHmac('sha256', secret).update('chip-ledger read-your-writes v1').digest();
  }

  /** The signature of a ledger position for `organisation`. */
  signHeads(organisation: string, heads: ReadonlyMap<string, number>): string {
    // A stream id cannot hold a newline and a version is a number, so this text never equals a stream part's.
    return this.mac(`${organisation}\n@ledger\n${headsText(heads)}`);
  }

  /** The signature of a (deprecated) stream part for `organisation`. */
  sign(organisation: string, streamId: string, version: number): string {
    return this.mac(`${organisation}\n${streamId}\n${version}`);
  }

  verify(organisation: string, part: PositionPart): boolean {
    if (part.signature === null) return false;
    const expected = Buffer.from(part.kind === 'ledger' ? this.signHeads(organisation, part.heads) : this.sign(organisation, part.streamId, part.version));
    const given = Buffer.from(part.signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url').slice(0, 22);
  }
}

/** `p:<n>.r:<n>.a:<n>~<signature>` (unsigned without `sign`); contexts without a letter are left out. */
export function ledgerPositionToken(heads: ReadonlyMap<string, number>, sign?: (heads: ReadonlyMap<string, number>) => string): string {
  return `${headsText(heads)}${sign ? `~${sign(heads)}` : ''}`;
}

/** Deprecated form: '<streamId>@<version>~<signature>' per stream (unsigned without a signer). Kept for tests of the old form. */
export function positionToken(
  streams: readonly { readonly streamId: string; readonly version: number }[],
  sign?: (streamId: string, version: number) => string,
): string | null {
  return streams.length ? streams.map((s) => `${s.streamId}@${s.version}${sign ? `~${sign(s.streamId, s.version)}` : ''}`).join(',') : null;
}

/** Either form, comma-separated parts (tokens of several writes may be joined); null for anything else. */
export function parsePositionToken(token: string): PositionPart[] | null {
  const parsed: PositionPart[] = [];
  for (const raw of token.split(',')) {
    const part = parsePart(raw.trim());
    if (!part) return null;
    parsed.push(part);
  }
  return parsed;
}

/** Formats a part back (the query API hands on the parts a caller may wait on). */
export function formatPositionPart(part: PositionPart): string {
  const signature = part.signature === null ? '' : `~${part.signature}`;
  return part.kind === 'ledger' ? `${headsText(part.heads)}${signature}` : `${part.streamId}@${part.version}${signature}`;
}

/**
 * Several ledger positions as one wait: the highest head per context. (Signatures do not survive this: it is for
 * the side that waits, after the parts were checked.)
 */
export function highestHeads(parts: readonly LedgerPositionPart[]): Map<string, number> {
  const heads = new Map<string, number>();
  for (const part of parts) for (const [context, head] of part.heads) heads.set(context, Math.max(heads.get(context) ?? 0, head));
  return heads;
}

const SIGNATURE = /^[A-Za-z0-9_-]{22}$/;
const LEDGER_BODY = /^[a-z]:\d{1,15}(?:\.[a-z]:\d{1,15})*$/;

function parsePart(text: string): PositionPart | null {
  const tilde = text.lastIndexOf('~');
  const signed = tilde >= 0 && SIGNATURE.test(text.slice(tilde + 1));
  const body = signed ? text.slice(0, tilde) : text;
  const signature = signed ? text.slice(tilde + 1) : null;
  if (LEDGER_BODY.test(body)) {
    const heads = new Map<string, number>();
    for (const entry of body.split('.')) {
      const context = LEDGER_TOKEN_CONTEXTS[entry[0]];
      if (!context || heads.has(context)) return null;
      heads.set(context, Number(entry.slice(2)));
    }
    return { kind: 'ledger', heads, signature };
  }
  const stream = /^(.+)@(\d{1,9})$/.exec(body);
  return stream ? { kind: 'stream', streamId: stream[1], version: Number(stream[2]), signature } : null;
}

/** Contexts in letter order (p, r, a), so one set of heads has one text (what is signed). */
function headsText(heads: ReadonlyMap<string, number>): string {
  return Object.entries(LEDGER_TOKEN_CONTEXTS)
    .filter(([, context]) => heads.has(context))
    .map(([letter, context]) => `${letter}:${heads.get(context)}`)
    .join('.');
}
