import type { Actor, Instant } from '../shared/values';
import type { DomainEvent, EventEnvelope } from '../events/envelope';
import { EVENT_SCHEMA_VERSIONS } from '../events/schema-versions';
import type { LedgerEventType } from '../events/ledger-events';
import type { Recorded } from '../events/recorded';

/*
 * Wraps DomainEvents into envelopes the way the event store would, deterministically (no clock, no random
 * ids), so tests of deciders, projections and the rulebook can build histories in one line.
 */

/** The actor tests record as, unless they say otherwise. */
export const TEST_ACTOR: Actor = { id: 'test-operator', organisation: 'test-org', role: 'operator' };

export type EnvelopeOverrides = Partial<Omit<EventEnvelope, 'type' | 'data' | 'occurredAt'>>;

const currentVersionOf = (type: string): number => EVENT_SCHEMA_VERSIONS[type as LedgerEventType] ?? 1;

/**
 * One event in an envelope. `occurredAt` is required because every fact is dated; `recordedAt` defaults to
 * it, the event id to `{type}@{occurredAt}` and the schema version to the current one.
 */
export const recordEvent = <E extends DomainEvent>(event: E, occurredAt: Instant, overrides: EnvelopeOverrides = {}): Recorded<E> =>
  ({
    eventId: `${event.type}@${occurredAt}`,
    streamId: 'test-stream',
    version: 1,
    schemaVersion: currentVersionOf(event.type),
    recordedAt: occurredAt,
    actor: TEST_ACTOR,
    correlationId: 'test-correlation',
    causationId: null,
    ...overrides,
    type: event.type,
    data: event.data,
    occurredAt,
  }) as unknown as Recorded<E>;

/**
 * A stream's history from `[occurredAt, event]` pairs, in recording order: versions 1..n and event ids
 * `{streamId}#{version}`. The result is typed with the union of the events given.
 */
export const recordHistory = <const T extends readonly (readonly [Instant, DomainEvent])[]>(
  entries: T,
  streamId = 'test-stream',
): Recorded<T[number][1]>[] =>
  entries.map(([occurredAt, event], index) =>
    recordEvent(event, occurredAt, { streamId, version: index + 1, eventId: `${streamId}#${index + 1}` }),
  ) as Recorded<T[number][1]>[];

/** Envelopes for the events a decider just returned, all dated like the command that produced them. */
export const recordDecided = <E extends DomainEvent>(
  events: readonly E[],
  occurredAt: Instant,
  previous: readonly EventEnvelope[] = [],
  streamId = 'test-stream',
): Recorded<E>[] =>
  events.map((event, index) => {
    const version = previous.length + index + 1;
    return recordEvent(event, occurredAt, { streamId, version, eventId: `${streamId}#${version}` });
  });
