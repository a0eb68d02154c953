import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { eventHash, eventHashParts, GENESIS_HASH, joinEventHashParts, type HashableEvent } from './event-hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('encodes like JSON.stringify otherwise: escapes, dates, omitted undefined members', () => {
    expect(canonicalJson({ s: 'é "q"\n', at: new Date('2025-11-05T00:00:00Z'), gone: undefined, list: [undefined] })).toBe(
      '{"at":"2025-11-05T00:00:00.000Z","list":[null],"s":"é \\"q\\"\\n"}',
    );
  });

  it('gives the same text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('refuses values JSON would silently change', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/\$\.n is NaN/);
    expect(() => canonicalJson({ n: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});

describe('eventHash', () => {
  const event: HashableEvent = {
    eventId: '6f1c8a52-0b9e-4c47-9d0e-2f4f4d1b7a10',
    type: 'ChipsPurchased',
    schemaVersion: 1,
    streamId: 'purchase-order-po-1',
    version: 1,
    occurredAt: '2025-11-05T00:00:00.000Z',
    recordedAt: '2025-11-05T09:30:00.123Z',
    actor: { id: 'u-1', organisation: 'org-1', role: 'operator' },
    correlationId: 'c-1',
    causationId: null,
    data: { quantity: 512, model: 'H20', notes: 'é "q"' },
  };

  it('is SHA-256 over the canonical JSON of prevHash and the envelope (a fixed vector for other implementations)', () => {
    // sha256('{"actor":{"id":"u-1","organisation":"org-1","role":"operator"},"causationId":null,"correlationId":"c-1",
    //   "data":{"model":"H20","notes":"é \"q\"","quantity":512},"eventId":"6f1c8a52-…","occurredAt":"2025-11-05T00:00:00.000Z",
    //   "prevHash":"000…000","recordedAt":"2025-11-05T09:30:00.123Z","schemaVersion":1,"streamId":"purchase-order-po-1",
    //   "type":"ChipsPurchased","version":1}')
    expect(eventHash(GENESIS_HASH, event)).toBe('ff2525755d94c986f4fb1e5d62e74a68cd581472a83324fc9a5a8a81ed13bd30');
  });

  it('ignores fields outside the envelope, so a stored event or a Kafka message can be passed as is', () => {
    expect(eventHash(GENESIS_HASH, { ...event, globalPosition: 7, hash: 'x' } as HashableEvent)).toBe(eventHash(GENESIS_HASH, event));
  });

  it('changes with the previous hash and with any field', () => {
    const base = eventHash(GENESIS_HASH, event);
    expect(eventHash('1'.repeat(64), event)).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...event, version: 2 })).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...event, data: { quantity: 511, model: 'H20', notes: 'é "q"' } })).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...event, recordedAt: '2025-11-05T09:30:00.124Z' })).not.toBe(base);
  });
});

describe('eventHashParts', () => {
  const arbitraryEvent = fc.record({
    eventId: fc.uuid(),
    type: fc.string({ minLength: 1 }),
    schemaVersion: fc.integer({ min: 1, max: 1000 }),
    streamId: fc.string({ minLength: 1 }),
    version: fc.integer({ min: 1, max: 1_000_000 }),
    occurredAt: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    actor: fc.record({ id: fc.string(), organisation: fc.string(), role: fc.constantFrom('operator' as const, 'admin' as const) }),
    correlationId: fc.string({ minLength: 1 }),
    causationId: fc.option(fc.string(), { nil: null }),
    data: fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown),
  });

  it('reassemble into exactly the encoding eventHash hashes, for any event', () => {
    fc.assert(
      fc.property(arbitraryEvent, fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex')), fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }), (event, prevHash, at) => {
        const recordedAt = at.toISOString();
        const joined = joinEventHashParts(eventHashParts(event), prevHash, recordedAt);
        expect(joined).toBe(canonicalJson({ ...event, prevHash, recordedAt }));
        expect(createHash('sha256').update(joined, 'utf8').digest('hex')).toBe(eventHash(prevHash, { ...event, recordedAt }));
      }),
      { numRuns: 300 },
    );
  });
});
