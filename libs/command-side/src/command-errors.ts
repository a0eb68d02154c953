/**
 * The operator dated the fact later than now (beyond a little clock skew). Refused before anything is loaded or
 * written; the domain never reads a clock, so this check is the executor's. Like the event store's errors it
 * carries a stable `code` and is recognised by name at the edge (HTTP answers 422, `libs/http`'s error mapping).
 */
export class OccurredAtInFutureError extends Error {
  override readonly name = 'OccurredAtInFutureError';
  readonly code = 'OCCURRED_AT.IN_FUTURE';
  readonly field = 'occurredAt';

  constructor(
    readonly occurredAt: string,
    readonly now: string,
  ) {
    super(`occurredAt ${occurredAt} is later than now (${now}).`);
  }
}
