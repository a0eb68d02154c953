import { InvalidArgumentError } from 'commander';

/** commander argument parsers: a bad value is a one-line error and exit 2. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
};

export const nonNegative = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || value.trim() === '') throw new InvalidArgumentError('must be a number, 0 or more');
  return n;
};

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** An ISO-8601 date or date-time with a zone, as the API takes it. */
export const instant = (value: string): string => {
  if (!ISO.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO-8601 date or date-time (e.g. 2025-11-05 or 2025-11-05T12:00:00Z)');
  return value;
};

/** Repeated or comma-separated values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];
