import type { ChainedEvent, StoredEvent } from '@chip-ledger/event-store';
import type { IHeaders, Message } from 'kafkajs';

/** Header names on every event message, so consumers can route and filter without parsing the value. */
export const EVENT_HEADERS = {
  eventId: 'event-id',
  type: 'event-type',
  schemaVersion: 'schema-version',
  streamVersion: 'stream-version',
  contentType: 'content-type',
  /** The context whose store recorded it (procurement, rental, audit): with `global-position`, where it is in that store. */
  context: 'ledger-context',
  /** The event's global position in its context's store (ADR 0019). */
  globalPosition: 'global-position',
} as const;

/** On a watermark marker (never on an event): what it is. Consumers skip such messages as events. */
export const MARKER_HEADER = 'ledger-marker';
const WATERMARK_MARKER = 'complete-through';

/**
 * A watermark marker (ADR 0019): the relay of `context` had published, and Kafka acknowledged, every event of that
 * context's store up to global position `completeThrough` before it sent this to every one of the topic's
 * `partitions`. So once a consumer has read the marker on a partition, it has read every event of that partition
 * up to that position.
 */
export interface WatermarkMarker {
  readonly context: string;
  readonly completeThrough: number;
  readonly partitions: number;
}

/** The marker for one partition (key-less: it is no stream's; the value says it for readers that ignore headers). */
export function encodeWatermarkMarker(marker: WatermarkMarker, partition: number): Message {
  return {
    partition,
    key: null,
    value: JSON.stringify({ marker: WATERMARK_MARKER, ...marker }),
    headers: { [MARKER_HEADER]: WATERMARK_MARKER, [EVENT_HEADERS.contentType]: 'application/json' },
  };
}

/** The message, naming the context whose store recorded its event. */
export function withContext(message: Message, context: string | undefined): Message {
  return context === undefined ? message : { ...message, headers: { ...message.headers, [EVENT_HEADERS.context]: context } };
}

/** Whether a message is a marker rather than an event: every reader of the topics must skip it as an event. */
export function isMarkerMessage(message: { headers?: IHeaders }): boolean {
  return message.headers?.[MARKER_HEADER] !== undefined;
}

/** A marker's content; throws InvalidEventMessageError when it is not a well-formed watermark marker. */
export function decodeWatermarkMarker(message: { value: Buffer | string | null; headers?: IHeaders }): WatermarkMarker {
  const kind = String(message.headers?.[MARKER_HEADER] ?? '');
  if (kind !== WATERMARK_MARKER) throw new InvalidEventMessageError(`Unknown marker ${JSON.stringify(kind)}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(String(message.value)) as Record<string, unknown>;
  } catch {
    throw new InvalidEventMessageError('Marker value is not JSON');
  }
  const { context, completeThrough, partitions } = parsed ?? {};
  if (typeof context !== 'string' || !Number.isSafeInteger(completeThrough) || (completeThrough as number) < 0 || !Number.isSafeInteger(partitions) || (partitions as number) < 1) {
    throw new InvalidEventMessageError('Marker: context, completeThrough and partitions are required');
  }
  return { context, completeThrough: completeThrough as number, partitions: partitions as number };
}

/** Where an event message's event is in its context's store, from its headers; null when it does not say. */
export function eventOrigin(message: { headers?: IHeaders }): { readonly context: string; readonly position: number } | null {
  const context = message.headers?.[EVENT_HEADERS.context];
  const position = Number(String(message.headers?.[EVENT_HEADERS.globalPosition] ?? ''));
  if (context === undefined || !Number.isSafeInteger(position) || position < 1) return null;
  return { context: String(context), position };
}

/**
 * An event as a Kafka message: key = stream id (one stream, one partition, in order), value = the JSON
 * envelope with its hash chain (an auditor can verify the chain from Kafka alone), timestamp = recordedAt.
 * A stored event also carries its global position; the publisher of a context's store adds the context's name
 * (`withContext`), and the two say where the event was recorded.
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
      ...('globalPosition' in event ? { [EVENT_HEADERS.globalPosition]: String(event.globalPosition) } : {}),
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
  if (isMarkerMessage(message)) throw new InvalidEventMessageError('A marker, not an event: skip it (isMarkerMessage)');
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
