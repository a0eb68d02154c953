/**
 * Which moment the pages show: the ledger now, updated live, or as it stood on a date (the auditors' as-of API;
 * the time slider sets it). Every page reads this one value, so the slider changes all of them at once.
 */
export type ViewTime = { readonly kind: 'live' } | { readonly kind: 'as-of'; readonly at: string };

export const LIVE: ViewTime = { kind: 'live' };

export function describeViewTime(time: ViewTime): string {
  return time.kind === 'live' ? 'Live' : `As of ${time.at.slice(0, 10)}`;
}
