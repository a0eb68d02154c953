import { upcastEvent, type EventEnvelope } from '@chip-ledger/domain';
import { decodeEventMessage, decodeWatermarkMarker, eventOrigin, isMarkerMessage } from '@chip-ledger/messaging';
import type { KafkaMessage } from 'kafkajs';
import type { ProjectedEvent } from '../projection.port';

export type MessageSource = ProjectedEvent['source'];
export type EventOrigin = ProjectedEvent['origin'];

/**
 * A message as a driver hands it to the engine: an event ready to apply, or why it cannot be one. `raw` is the
 * message's bytes (or text) as received, kept for a dead letter should the event's apply fail: as bytes, a view
 * into the fetched response, so a catch-up batch of 100,000 events does not hold (and the garbage collector copy)
 * 100,000 strings that are almost never read. `payloadText` turns it into the dead letter's text.
 */
export type IncomingMessage =
  | { readonly kind: 'event'; readonly event: ProjectedEvent; readonly raw: Buffer | string | null }
  | { readonly kind: 'invalid'; readonly source: MessageSource; readonly error: string; readonly payload: string | null; readonly eventId: string | null }
  /**
   * A watermark marker (ADR 0019): not an event. It moves its partition's offset and watermark (every event of
   * `context` up to `completeThrough` on this partition is before it) and is never applied, deduplicated or dead-lettered.
   */
  | { readonly kind: 'marker'; readonly source: MessageSource; readonly context: string; readonly completeThrough: number; readonly partitions: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Upcast = (envelope: EventEnvelope) => EventEnvelope;

export const sourceOf = (message: IncomingMessage): MessageSource => (message.kind === 'event' ? message.event.source : message.source);

export const payloadText = (raw: Buffer | string | null): string | null => (raw === null ? null : typeof raw === 'string' ? raw : raw.toString('utf8'));

/**
 * Decodes and upcasts; a payload that fails either is turned into an `invalid` message, never thrown.
 * `owned`: the envelope is this message's own (freshly parsed), so its position is set on it instead of on a copy.
 */
export function toIncomingMessage(
  envelope: () => EventEnvelope,
  source: MessageSource,
  raw: Buffer | string | null,
  upcast: Upcast = upcastEvent,
  owned = false,
  origin: EventOrigin = null,
): IncomingMessage {
  let decoded: EventEnvelope | null = null;
  try {
    decoded = envelope();
    // The dedupe table keys on uuid: a malformed id would fail the whole batch's transaction forever.
    if (!UUID.test(decoded.eventId)) throw new Error(`eventId ${JSON.stringify(decoded.eventId)} is not a UUID`);
    if (decoded.version < 1 || decoded.version > 2_147_483_647) throw new Error(`version ${decoded.version} is out of range`);
    // So is a stream id PostgreSQL's text cannot hold (U+0000): the dedupe insert would fail the batch for ever.
    if (decoded.streamId.includes('\u0000')) throw new Error(`streamId ${JSON.stringify(decoded.streamId)} contains U+0000`);
    const current = upcast(decoded);
    if (owned || current !== decoded) {
      // Ours (parsed for this message, or built by the upcast): no copy of every envelope of a batch.
      (current as { source?: MessageSource }).source = source;
      (current as { origin?: EventOrigin }).origin = origin;
      return { kind: 'event', event: current as ProjectedEvent, raw };
    }
    return { kind: 'event', event: { ...current, source, origin }, raw };
  } catch (error) {
    return { kind: 'invalid', source, error: describeError(error), payload: payloadText(raw), eventId: decoded?.eventId ?? null };
  }
}

export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage, upcast?: Upcast): IncomingMessage {
  const source = { topic, partition, offset: message.offset };
  if (isMarkerMessage(message)) {
    try {
      return { kind: 'marker', source, ...decodeWatermarkMarker(message) };
    } catch (error) {
      // Not a marker we know: kept as a dead letter for someone to look at, never applied.
      return { kind: 'invalid', source, error: describeError(error), payload: payloadText(message.value), eventId: null };
    }
  }
  return toIncomingMessage(() => decodeEventMessage(message), source, message.value, upcast, true, eventOrigin(message));
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
