import { addDays, daysBetween, dayOf, describeViewTime, instantOf, isDate, LIVE, viewTimeFor } from './view-time';

describe('view time', () => {
  it('asks about the last millisecond of an as-of day, so the facts and rules of that day count', () => {
    expect(instantOf({ kind: 'as-of', date: '2025-11-04' })).toBe('2025-11-04T23:59:59.999Z');
    expect(describeViewTime({ kind: 'as-of', date: '2025-11-04' })).toBe('As of 2025-11-04');
    expect(describeViewTime(LIVE)).toBe('Live');
  });

  it('is live for today and later: the as-of API refuses instants past what the ledger knows', () => {
    expect(viewTimeFor('2026-12-05', '2026-12-05')).toEqual(LIVE);
    expect(viewTimeFor('2027-01-01', '2026-12-05')).toEqual(LIVE);
    expect(viewTimeFor('2026-12-04', '2026-12-05')).toEqual({ kind: 'as-of', date: '2026-12-04' });
  });

  it('counts days in UTC, across month ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2025-11-01', '2025-12-01')).toBe(30);
    expect(dayOf('2025-11-04T23:59:59.999Z')).toBe('2025-11-04');
  });

  it('takes only real calendar dates', () => {
    expect(isDate('2025-11-04')).toBe(true);
    expect(isDate('2025-02-30')).toBe(false);
    expect(isDate('2025-11-4')).toBe(false);
    expect(isDate('')).toBe(false);
  });
});
