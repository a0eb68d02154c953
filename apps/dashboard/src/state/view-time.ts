/**
 * Which moment the pages show: the ledger now, updated live, or the world as it stood at the end of a past day (UTC),
 * read through the auditors' as-of API as the ledger knows it now. The time slider sets it; every page reads this one
 * value, so the slider moves all of them at once.
 */
export type ViewTime = { readonly kind: 'live' } | { readonly kind: 'as-of'; readonly date: string };

export const LIVE: ViewTime = { kind: 'live' };

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isDate = (value: string): boolean => DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** The UTC day of an instant: dates in the ledger are UTC instants, and the rules start at UTC midnight. */
export const dayOf = (instant: Date | string): string => (typeof instant === 'string' ? new Date(instant) : instant).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => dayOf(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));

export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * The `occurredAt` an as-of day asks about: the last millisecond of the day, so "as of 2025-11-05" includes what
 * happened that day (a rule in force from 2025-11-05 judges it). Only past days are asked about: today is live.
 */
export const instantOf = (time: Extract<ViewTime, { kind: 'as-of' }>): string => `${time.date}T23:59:59.999Z`;

/**
 * The view time for a day chosen on the slider: today or later is live (the as-of API refuses instants after what the
 * ledger knows, and live is what today looks like).
 */
export function viewTimeFor(date: string, today: string): ViewTime {
  return date >= today ? LIVE : { kind: 'as-of', date };
}

export function describeViewTime(time: ViewTime): string {
  return time.kind === 'live' ? 'Live' : `As of ${time.date}`;
}
