import type { DomainEvent, EventEnvelope } from './envelope';
import type { LedgerEvent } from './ledger-events';

/**
 * The envelope of a recorded event, keeping the link between `type` and `data` for each union member
 * (distributes over unions, so `switch (event.type)` narrows `event.data`).
 */
export type Recorded<E extends DomainEvent> = E extends DomainEvent<infer TType, infer TData> ? EventEnvelope<TType, TData> : never;

/** Any recorded ledger event, at its current schema version. */
export type RecordedLedgerEvent = Recorded<LedgerEvent>;
