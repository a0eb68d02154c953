import { eventHash, GENESIS_HASH, type StoredEvent } from '@chip-ledger/event-store';
import { decodeEventMessage, decodeWatermarkMarker, encodeEventMessage, encodeWatermarkMarker, eventOrigin, InvalidEventMessageError, isMarkerMessage, withContext } from './event-message';

const fields = {
  eventId: '6f1c8a52-0b9e-4c47-9d0e-2f4f4d1b7a10',
  type: 'ChipsPurchased',
  schemaVersion: 2,
  streamId: 'purchase-order-po1',
  version: 1,
  occurredAt: '2025-11-05T00:00:00.000Z',
  recordedAt: '2025-11-05T09:30:00.123Z',
  actor: { id: 'u', organisation: 'o', role: 'operator' as const },
  correlationId: 'c',
  causationId: null,
  data: { quantity: 512 },
};
const stored: StoredEvent = { ...fields, prevHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, fields), globalPosition: 42 };

describe('event messages', () => {
  it('are keyed by stream, stamped with recordedAt and carry id, type and versions in headers', () => {
    const message = encodeEventMessage(stored);
    expect(message.key).toBe('purchase-order-po1');
    expect(message.timestamp).toBe(String(Date.parse('2025-11-05T09:30:00.123Z')));
    expect(message.headers).toEqual({
      'event-id': stored.eventId,
      'event-type': 'ChipsPurchased',
      'schema-version': '2',
      'stream-version': '1',
      'content-type': 'application/json',
      'global-position': '42',
    });
  });

  it("say where they were recorded once the context's publisher names it (the projections' origin)", () => {
    expect(eventOrigin(encodeEventMessage(stored))).toBeNull();
    expect(eventOrigin(withContext(encodeEventMessage(stored), 'procurement'))).toEqual({ context: 'procurement', position: 42 });
    const { globalPosition: _, ...chained } = stored;
    expect(eventOrigin(withContext(encodeEventMessage(chained), 'procurement'))).toBeNull();
  });

  it('carry the envelope and its hash chain, so the chain can be verified from Kafka alone', () => {
    const decoded = decodeEventMessage({ value: Buffer.from(String(encodeEventMessage(stored).value)) });
    const { globalPosition: _, ...chained } = stored;
    expect(decoded).toEqual(chained);
    expect(eventHash(decoded.prevHash, decoded)).toBe(decoded.hash);
  });

  it('are checked before a handler sees them', () => {
    expect(() => decodeEventMessage({ value: null })).toThrow(InvalidEventMessageError);
    expect(() => decodeEventMessage({ value: 'not json' })).toThrow(/not JSON/);
    expect(() => decodeEventMessage({ value: JSON.stringify({ ...stored, version: '1' }) })).toThrow(/integers/);
    expect(() => decodeEventMessage({ value: JSON.stringify({ ...stored, actor: { id: 'u' } }) })).toThrow(/actor/);
  });
});

describe('watermark markers', () => {
  const marker = { context: 'rental', completeThrough: 1_234, partitions: 6 };

  it('go to the partition they name, keyless, and decode back', () => {
    const message = encodeWatermarkMarker(marker, 4);
    expect(message).toMatchObject({ partition: 4, key: null });
    expect(isMarkerMessage(message)).toBe(true);
    expect(decodeWatermarkMarker({ value: String(message.value), headers: message.headers })).toEqual(marker);
  });

  it('are never taken for events', () => {
    const message = encodeWatermarkMarker(marker, 0);
    expect(isMarkerMessage(encodeEventMessage(stored))).toBe(false);
    expect(() => decodeEventMessage({ value: String(message.value), headers: message.headers })).toThrow(InvalidEventMessageError);
  });

  it('refuse a marker they do not understand', () => {
    const { headers } = encodeWatermarkMarker(marker, 0);
    expect(() => decodeWatermarkMarker({ value: '{"context":"rental"}', headers })).toThrow(/required/);
    expect(() => decodeWatermarkMarker({ value: JSON.stringify(marker), headers: { 'ledger-marker': 'something-else' } })).toThrow(/Unknown marker/);
  });
});
