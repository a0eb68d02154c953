import type { Actor, Instant } from '../shared/values';

/**
 * The one envelope every event travels in, in the store, on Kafka and in exports.
 * `occurredAt` is when the fact happened in the world (rules judge on it);
 * `recordedAt` is when the ledger learned it ("what did the ledger know at T" filters on it).
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly eventId: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly streamId: string;
  /** 1-based position of the event in its stream. */
  readonly version: number;
  readonly occurredAt: Instant;
  readonly recordedAt: Instant;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: TData;
}

/** An event as a decider emits it: just the fact. The application layer wraps it in an envelope. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}
