import type { StoredEvent } from '../port/event-store.port';
import { eventHash, GENESIS_HASH } from './event-hash';
import { verifyStreamChain } from './verify-chain';

/** A correctly chained stream of n events, built in memory. */
function chain(streamId: string, n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let version = 1; version <= n; version++) {
    const fields = {
      eventId: `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`,
      type: 'ChipsDelivered',
      schemaVersion: 1,
      streamId,
      version,
      occurredAt: '2025-11-05T00:00:00.000Z',
      recordedAt: '2025-11-05T00:00:01.000Z',
      actor: { id: 'u', organisation: 'o', role: 'operator' as const },
      correlationId: 'c',
      causationId: null,
      data: { quantity: version },
    };
    const hash = eventHash(prevHash, fields);
    events.push({ ...fields, prevHash, hash, globalPosition: version * 10 });
    prevHash = hash;
  }
  return events;
}

describe('verifyStreamChain', () => {
  it('accepts an intact stream and reports its head', () => {
    const events = chain('s', 3);
    expect(verifyStreamChain('s', events)).toEqual({ streamId: 's', ok: true, eventsChecked: 3, headVersion: 3, headHash: events[2].hash, break: null });
  });

  it('accepts an empty stream', () => {
    expect(verifyStreamChain('s', [])).toMatchObject({ ok: true, eventsChecked: 0, headVersion: 0, headHash: null });
  });

  it('names an edited event', () => {
    const events = chain('s', 3);
    events[1] = { ...events[1], data: { quantity: 99 } };
    expect(verifyStreamChain('s', events).break).toMatchObject({ kind: 'hash-mismatch', eventId: events[1].eventId, version: 2 });
  });

  it('names the event after a deleted one', () => {
    const events = chain('s', 4);
    events.splice(1, 2);
    const result = verifyStreamChain('s', events);
    expect(result.break).toMatchObject({ kind: 'version-gap', version: 4 });
    expect(result.break?.message).toMatch(/versions 2-3 are missing/);
  });

  it('names an event moved to another version', () => {
    const [a, b, c] = chain('s', 3);
    const result = verifyStreamChain('s', [a, { ...c, version: 2 }, { ...b, version: 3 }]);
    expect(result.break).toMatchObject({ kind: 'reordered', eventId: c.eventId, version: 2 });
  });

  it('names the successor of an event rewritten with a fresh hash', () => {
    const events = chain('s', 3);
    const forged = { ...events[1], data: { quantity: 99 } };
    events[1] = { ...forged, hash: eventHash(forged.prevHash, forged) };
    expect(verifyStreamChain('s', events).break).toMatchObject({ kind: 'prev-hash-mismatch', version: 3 });
  });

  it('names an event whose global position was moved before its predecessor', () => {
    const events = chain('s', 3);
    events[2] = { ...events[2], globalPosition: 5 };
    expect(verifyStreamChain('s', events).break).toMatchObject({ kind: 'reordered', version: 3 });
  });
});
