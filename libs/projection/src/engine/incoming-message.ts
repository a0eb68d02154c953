import { upcastEvent, type EventEnvelope } from '@chip-ledger/domain';
import { decodeEventMessage } from '@chip-ledger/messaging';
import type { KafkaMessage } from 'kafkajs';
import type { ProjectedEvent } from '../projection.port';

export type MessageSource = ProjectedEvent['source'];

/** A message as a driver hands it to the engine: an event ready to apply, or why it cannot be one. */
export type IncomingMessage =
  | { readonly kind: 'event'; readonly event: ProjectedEvent; readonly payload: string | null }
  | { readonly kind: 'invalid'; readonly source: MessageSource; readonly error: string; readonly payload: string | null; readonly eventId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Upcast = (envelope: EventEnvelope) => EventEnvelope;

export const sourceOf = (message: IncomingMessage): MessageSource => (message.kind === 'event' ? message.event.source : message.source);

/** Decodes and upcasts; a payload that fails either is turned into an `invalid` message, never thrown. */
export function toIncomingMessage(envelope: () => EventEnvelope, source: MessageSource, payload: string | null, upcast: Upcast = upcastEvent): IncomingMessage {
  let decoded: EventEnvelope | null = null;
  try {
    decoded = envelope();
    // The dedupe table keys on uuid: a malformed id would fail the whole batch's transaction forever.
    if (!UUID.test(decoded.eventId)) throw new Error(`eventId ${JSON.stringify(decoded.eventId)} is not a UUID`);
    if (decoded.version < 1 || decoded.version > 2_147_483_647) throw new Error(`version ${decoded.version} is out of range`);
    // So is a stream id PostgreSQL's text cannot hold (U+0000): the dedupe insert would fail the batch for ever.
    if (decoded.streamId.includes('\u0000')) throw new Error(`streamId ${JSON.stringify(decoded.streamId)} contains U+0000`);
    return { kind: 'event', event: { ...upcast(decoded), source }, payload };
  } catch (error) {
    return { kind: 'invalid', source, error: describeError(error), payload, eventId: decoded?.eventId ?? null };
  }
}

export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage, upcast?: Upcast): IncomingMessage {
  const payload = message.value === null ? null : message.value.toString('utf8');
  // The value is turned into text once: kept for a dead letter, and parsed.
  return toIncomingMessage(() => decodeEventMessage({ value: payload }), { topic, partition, offset: message.offset }, payload, upcast);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
