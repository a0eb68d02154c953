/** Base of the store's errors; `code` is stable so adapters (HTTP, CLI) map errors without `instanceof`. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream moved on since the caller read it (HTTP 409). Nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`Stream ${streamId} is at version ${currentVersion}, not at the expected version ${expectedVersion}`);
  }
}

/** The idempotency key was already used for a different request (HTTP 422). Nothing was written. */
export class IdempotencyConflictError extends EventStoreError {
  readonly code = 'EVENT_STORE.IDEMPOTENCY_CONFLICT';
  constructor(
    readonly scope: string,
    readonly key: string,
  ) {
    super(`Idempotency key ${key} (scope ${scope}) was already used with a different request`);
  }
}

/** An event id is already stored (a caller reused an id instead of the idempotency key). Nothing was written. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'EVENT_STORE.DUPLICATE_EVENT_ID';
  constructor(readonly eventId: string | null) {
    super(eventId ? `Event ${eventId} is already stored` : 'An event id of this append is already stored');
  }
}

/**
 * A lock the append needs (its stream's next version, its idempotency key) stayed held by another transaction
 * past the store's lock timeout (HTTP 503: retry, with the same idempotency key). Nothing was written.
 */
export class StoreBusyError extends EventStoreError {
  readonly code = 'EVENT_STORE.BUSY';
}

/** The append request itself is malformed (a programming error in the caller, not a user error). */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_APPEND';
}
