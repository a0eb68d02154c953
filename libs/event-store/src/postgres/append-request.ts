import type { Actor } from '@chip-ledger/domain';
import { canonicalJson } from '../hash-chain/canonical-json';
import { InvalidAppendError } from '../port/event-store.errors';
import type { AppendRequest, NewEvent } from '../port/event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event normalised to exactly what will be stored (and hashed): lower-case id, ISO-ms time, canonical JSON. */
export interface NormalisedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly actorJson: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: unknown;
  readonly dataJson: string;
}

export interface NormalisedRequest {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly NormalisedEvent[];
}

/**
 * Validates an append and normalises what the database would otherwise normalise on the way in
 * (uuid case, timestamp precision, JSON formatting): the hash is computed before the insert and must
 * still match the row when it is read back.
 */
export function normaliseAppend(requests: readonly AppendRequest[]): NormalisedRequest[] {
  if (!Array.isArray(requests) || requests.length === 0) throw new InvalidAppendError('An append needs at least one stream');
  const seen = new Set<string>();
  const eventIds = new Set<string>();
  return requests.map((request) => {
    const { streamId, expectedVersion, events } = request;
    if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppendError('streamId must be a non-empty string');
    if (seen.has(streamId)) throw new InvalidAppendError(`Stream ${streamId} appears twice in one append; put its events in one request`);
    seen.add(streamId);
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new InvalidAppendError(`expectedVersion of ${streamId} must be an integer >= 0, got ${String(expectedVersion)}`);
    }
    if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`No events for stream ${streamId}`);
    return {
      streamId,
      expectedVersion,
      events: events.map((event) => {
        const normalised = normaliseEvent(streamId, event);
        if (eventIds.has(normalised.eventId)) throw new InvalidAppendError(`Event id ${normalised.eventId} appears twice in one append`);
        eventIds.add(normalised.eventId);
        return normalised;
      }),
    };
  });
}

function normaliseEvent(streamId: string, event: NewEvent): NormalisedEvent {
  const where = `event ${String(event.eventId)} of ${streamId}`;
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) throw new InvalidAppendError(`eventId of ${where} must be a UUID`);
  if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`type of ${where} must be a non-empty string`);
  if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) throw new InvalidAppendError(`schemaVersion of ${where} must be an integer >= 1`);
  const occurred = typeof event.occurredAt === 'string' ? new Date(event.occurredAt) : new Date(Number.NaN);
  // Years 1-9999: ISO strings outside that range ('+010000-…') would not read back from PostgreSQL as written.
  if (Number.isNaN(occurred.getTime()) || occurred.getUTCFullYear() < 1 || occurred.getUTCFullYear() > 9999) {
    throw new InvalidAppendError(`occurredAt of ${where} must be an ISO-8601 instant between years 1 and 9999`);
  }
  const actor = event.actor;
  if (!actor || typeof actor.id !== 'string' || typeof actor.organisation !== 'string' || typeof actor.role !== 'string') {
    throw new InvalidAppendError(`actor of ${where} must have id, organisation and role`);
  }
  if (typeof event.correlationId !== 'string' || event.correlationId.length === 0) throw new InvalidAppendError(`correlationId of ${where} must be a non-empty string`);
  if (event.causationId !== null && typeof event.causationId !== 'string') throw new InvalidAppendError(`causationId of ${where} must be a string or null`);
  return {
    eventId: event.eventId.toLowerCase(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: occurred.toISOString(),
    actor,
    actorJson: toJson(actor, `actor of ${where}`),
    correlationId: event.correlationId,
    causationId: event.causationId,
    data: event.data,
    dataJson: toJson(event.data, `data of ${where}`),
  };
}

/**
 * An escaped U+0000 or lone surrogate in JSON text (JSON.stringify escapes exactly those, never a surrogate
 * pair), preceded by an even number of backslashes so the `\u` is an escape and not escaped text.
 */
const UNSTORABLE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

function toJson(value: unknown, what: string): string {
  let json: string;
  try {
    json = canonicalJson(value);
  } catch (error) {
    throw new InvalidAppendError(`${what} is not storable JSON: ${(error as Error).message}`);
  }
  // jsonb refuses both; checked here so one such command cannot fail a whole group-commit statement.
  if (json.includes('\\u') && UNSTORABLE_ESCAPE.test(json)) {
    throw new InvalidAppendError(`${what} is not storable JSON: a string contains U+0000 or an unpaired UTF-16 surrogate`);
  }
  return json;
}
