import { createHash } from 'node:crypto';
import type { Actor } from '@chip-ledger/domain';
import { canonicalJson } from './canonical-json';

/** `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields the hash covers: the whole envelope. */
export interface HashableEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: unknown;
}

/**
 * SHA-256 (lower-case hex) of the UTF-8 canonical JSON of
 * `{actor, causationId, correlationId, data, eventId, occurredAt, prevHash, recordedAt, schemaVersion, streamId, type, version}`.
 * Only these fields are read, so a stored event or a Kafka message can be passed as is.
 * Times are ISO-8601 UTC with milliseconds (`2025-11-05T00:00:00.000Z`), event ids lower case, as stored.
 */
export function eventHash(prevHash: string, event: HashableEvent): string {
  const encoded = canonicalJson({
    prevHash,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    version: event.version,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    data: event.data,
  });
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

/** The canonical encoding split around the two values only the database knows when an event is appended. */
export interface EventHashParts {
  /** Ends with `"prevHash":"`. */
  readonly prefix: string;
  /** Starts after `"recordedAt":"<instant>",`. */
  readonly suffix: string;
}

/**
 * Splits the canonical encoding `eventHash` hashes so PostgreSQL can finish it in the append statement:
 * `prefix + prevHash + '","recordedAt":"' + recordedAt + '",' + suffix` is exactly that encoding (the keys
 * before `prevHash` sort before it, `recordedAt` follows it, the rest come after).
 */
export function eventHashParts(event: Omit<HashableEvent, 'recordedAt'>): EventHashParts {
  const head = canonicalJson({
    actor: event.actor,
    causationId: event.causationId,
    correlationId: event.correlationId,
    data: event.data,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
  });
  const tail = canonicalJson({ schemaVersion: event.schemaVersion, streamId: event.streamId, type: event.type, version: event.version });
  return { prefix: `${head.slice(0, -1)},"prevHash":"`, suffix: tail.slice(1) };
}

/** Reassembles the parts (what the append statement does in SQL); for tests and other implementations. */
export function joinEventHashParts(parts: EventHashParts, prevHash: string, recordedAt: string): string {
  return `${parts.prefix}${prevHash}","recordedAt":"${recordedAt}",${parts.suffix}`;
}
