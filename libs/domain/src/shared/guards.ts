import { DomainError } from './domain-error';
import { EARLIEST_INSTANT, INSTANT_LIMIT, isInstantInRange, MAX_CHIPS_PER_FACT } from './bounds';
import { compareInstants, isInstant } from './instant';
import { formatUsdCents, MAX_USD_AMOUNT, usdCents, type UsdAmount } from './money';
import type { Instant } from './values';

/*
 * Small checks shared by every decider. Each throws a DomainError naming the command field, so a decider
 * reads as a list of rules.
 */

/** A non-blank string. */
export const requireText = (value: unknown, field: string): void => {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DomainError('VALUE.REQUIRED', `${field} is required`, { field });
  }
};

/** An integer from 1 to MAX_CHIPS_PER_FACT: chips are counted whole, and a fact about zero chips is no fact. */
export const requirePositiveInteger = (value: unknown, field: string): void => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new DomainError('QUANTITY.NOT_POSITIVE_INTEGER', `${field} must be a positive integer, got ${String(value)}`, {
      field,
      details: { value },
    });
  }
  if (value > MAX_CHIPS_PER_FACT) {
    throw new DomainError('QUANTITY.TOO_LARGE', `${field} must be at most ${MAX_CHIPS_PER_FACT}, got ${value}`, { field, details: { value, max: MAX_CHIPS_PER_FACT } });
  }
};

/** An ISO-8601 date-time with a zone, from EARLIEST_INSTANT (inclusive) to INSTANT_LIMIT (exclusive). */
export const requireInstant = (value: unknown, field: string): void => {
  if (!isInstant(value)) {
    throw new DomainError('INSTANT.INVALID', `${field} must be an ISO-8601 date-time with a time zone, got ${String(value)}`, {
      field,
      details: { value },
    });
  }
  if (!isInstantInRange(value)) {
    throw new DomainError('INSTANT.OUT_OF_RANGE', `${field} must be from ${EARLIEST_INSTANT} to before ${INSTANT_LIMIT}, got ${value}`, {
      field,
      details: { value, earliest: EARLIEST_INSTANT, before: INSTANT_LIMIT },
    });
  }
};

/** A positive USD amount (decimal string, two fraction digits at most, up to MAX_USD_AMOUNT), in its canonical form. */
export const requireUsdAmount = (value: unknown, field: string): UsdAmount => {
  const cents = usdCents(value);
  if (cents === null) {
    throw new DomainError('AMOUNT.INVALID', `${field} must be a decimal string of US dollars with at most two fraction digits, up to ${MAX_USD_AMOUNT}, got ${String(value)}`, {
      field,
      details: { value: String(value) },
    });
  }
  if (cents === 0n) throw new DomainError('AMOUNT.NOT_POSITIVE', `${field} must be a positive amount, got ${String(value)}`, { field });
  return formatUsdCents(cents);
};

/** ISO 3166-1 alpha-2, upper case: the form the rulebook's country groups use. */
export const requireCountry = (value: unknown, field: string): void => {
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value)) {
    throw new DomainError('COUNTRY.INVALID', `${field} must be an upper-case ISO 3166-1 alpha-2 code, got ${String(value)}`, {
      field,
      details: { value },
    });
  }
};

/** `end` strictly after `start` (periods are half-open: a zero-length period is empty). */
export const requirePeriod = (start: Instant, end: Instant, endField: string): void => {
  if (compareInstants(end, start) <= 0) {
    throw new DomainError('PERIOD.INVALID', `${endField} (${end}) must be after the start (${start})`, {
      field: endField,
      details: { start, end },
    });
  }
};

/** A fact may not predate the one it depends on in the same stream (ended before it started, ...). */
export const requireNotBefore = (occurredAt: Instant, earliest: Instant, what: string, field = 'occurredAt', conflictingEventId?: string): void => {
  if (compareInstants(occurredAt, earliest) < 0) {
    throw new DomainError('OCCURRED_AT.OUT_OF_ORDER', `${field} (${occurredAt}) is before ${what} (${earliest}${conflictingEventId ? `, event ${conflictingEventId}` : ''})`, {
      field,
      details: { occurredAt, earliest, ...(conflictingEventId ? { conflictingEventId } : {}) },
    });
  }
};

/** Compile-time exhaustiveness for discriminated unions; at run time, a clear error for a malformed input. */
export const assertNever = (value: never, what: string): never => {
  throw new Error(`Unknown ${what}: ${JSON.stringify((value as { type?: unknown } | null)?.type ?? value)}`);
};

/** One of a closed set of values (enums arrive as plain JSON strings, so the type alone proves nothing). */
export const requireOneOf = <T extends string>(value: unknown, allowed: readonly T[], field: string): void => {
  if (!allowed.includes(value as T)) {
    throw new DomainError('VALUE.NOT_ALLOWED', `${field} must be one of ${allowed.join(', ')}, got ${String(value)}`, {
      field,
      details: { value, allowed },
    });
  }
};
