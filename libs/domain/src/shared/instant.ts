import type { Instant } from './values';

// ISO-8601 date-time with an explicit zone: comparisons must not depend on the machine's time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True when `value` is an ISO-8601 date-time with a zone (`Z` or `±hh:mm`) that denotes a real instant. */
export const isInstant = (value: unknown): value is Instant =>
  typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));

/**
 * Orders two instants (negative, zero, positive). Parses rather than comparing strings so that
 * '2025-01-01T00:00:00Z' and '2025-01-01T00:00:00.000Z' are equal. Pure: reads no clock.
 */
export const compareInstants = (a: Instant, b: Instant): number => Date.parse(a) - Date.parse(b);

export const isBefore = (a: Instant, b: Instant): boolean => compareInstants(a, b) < 0;
