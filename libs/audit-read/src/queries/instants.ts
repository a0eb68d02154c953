import { ValidationProblem } from '@chip-ledger/http';
import type { Instant } from '@chip-ledger/domain';

/** An ISO-8601 date or date-time the DTO already checked, as the API writes instants (UTC, milliseconds). */
export const normalise = (value: string): Instant => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value).toISOString();

const optional = (value: string | undefined): Instant | undefined => (value === undefined ? undefined : normalise(value));

/**
 * The two instants of an as-of question, checked against each other and the clock: `knownAt` (default now) cannot be
 * in the future (the ledger cannot have known anything then yet), and `occurredAt` cannot be after `knownAt` (what
 * the world was like after the ledger's knowledge stops is not history). Each refusal names its parameter.
 */
export const bitemporal = (occurredAt: string, knownAt: string | undefined, now: Date): { occurredAt: Instant; knownAt: Instant } => {
  const k = knownAt === undefined ? now.toISOString() : normalise(knownAt);
  const t = normalise(occurredAt);
  if (Date.parse(k) > now.getTime()) throw new ValidationProblem([{ field: 'knownAt', reason: `knownAt must not be in the future (now is ${now.toISOString()})` }]);
  if (Date.parse(t) > Date.parse(k)) throw new ValidationProblem([{ field: 'occurredAt', reason: `occurredAt must not be after knownAt (${k})` }]);
  return { occurredAt: t, knownAt: k };
};

/** A `from`/`to` pair: both normalised, refused when reversed (naming the `from` parameter). */
export const range = (fromName: string, from: string | undefined, toName: string, to: string | undefined): { from?: Instant; to?: Instant } => {
  const f = optional(from);
  const t = optional(to);
  if (f !== undefined && t !== undefined && Date.parse(f) > Date.parse(t)) {
    throw new ValidationProblem([{ field: fromName, reason: `${fromName} (${f}) must not be after ${toName} (${t})` }]);
  }
  return { from: f, to: t };
};
