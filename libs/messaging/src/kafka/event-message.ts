import type { ChainedEvent, StoredEvent } from '@chip-ledger/event-store';
import type { IHeaders, Message } from 'kafkajs';

/** Header names on every event message, so consumers can route and filter without parsing the value. */
export const EVENT_HEADERS = {
  eventId: 'event-id',
  type: 'event-type',
  schemaVersion: 'schema-version',
  streamVersion: 'stream-version',
  contentType: 'content-type',
} as const;

/**
 * An event as a Kafka message: key = stream id (one stream, one partition, in order), value = the JSON
 * envelope with its hash chain (an auditor can verify the chain from Kafka alone), timestamp = recordedAt.
 */
export function encodeEventMessage(event: StoredEvent | ChainedEvent): Message {
  const value: ChainedEvent = {
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
    prevHash: event.prevHash,
    hash: event.hash,
  };
  return {
    key: event.streamId,
    value: JSON.stringify(value),
    timestamp: String(Date.parse(event.recordedAt)),
    headers: {
      [EVENT_HEADERS.eventId]: event.eventId,
      [EVENT_HEADERS.type]: event.type,
      [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion),
      [EVENT_HEADERS.streamVersion]: String(event.version),
      [EVENT_HEADERS.contentType]: 'application/json',
    },
  };
}

/** A Kafka payload that is not an event envelope; a consumer should dead-letter it, not crash on it. */
export class InvalidEventMessageError extends Error {
  readonly code = 'MESSAGING.INVALID_EVENT_MESSAGE';
}

const STRING_FIELDS = ['eventId', 'type', 'streamId', 'occurredAt', 'recordedAt', 'correlationId', 'prevHash', 'hash'] as const;

/** Parses and checks the shape of an event message's value before any handler sees it. */
export function decodeEventMessage(message: { value: Buffer | string | null; headers?: IHeaders }): ChainedEvent {
  if (message.value === null) throw new InvalidEventMessageError('Event message without a value');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString());
  } catch {
    throw new InvalidEventMessageError('Event message value is not JSON');
  }
  const event = parsed as Record<string, unknown>;
  if (typeof event !== 'object' || event === null) throw new InvalidEventMessageError('Event message value is not an object');
  for (const field of STRING_FIELDS) {
    if (typeof event[field] !== 'string') throw new InvalidEventMessageError(`Event message: ${field} must be a string`);
  }
  if (!Number.isInteger(event['schemaVersion']) || !Number.isInteger(event['version'])) {
    throw new InvalidEventMessageError('Event message: schemaVersion and version must be integers');
  }
  const actor = event['actor'] as Record<string, unknown> | null;
  if (typeof actor !== 'object' || actor === null || typeof actor['id'] !== 'string' || typeof actor['organisation'] !== 'string' || typeof actor['role'] !== 'string') {
    throw new InvalidEventMessageError('Event message: actor must have id, organisation and role');
  }
  if (event['causationId'] !== null && typeof event['causationId'] !== 'string') throw new InvalidEventMessageError('Event message: causationId must be a string or null');
  if (!('data' in event)) throw new InvalidEventMessageError('Event message: data is missing');
  return parsed as ChainedEvent;
}
