import type { ChipGroups, LedgerEvent } from '../api/types';
import { dayOf } from '../state/view-time';

/** The facts that change which chips are on a site (installed or in stock); an installation only moves them within it. */
export const CHIP_MOVEMENT_TYPES = ['ChipsDelivered', 'ChipsRemoved', 'ChipsTransferredIn', 'ChipsTransferredOut'] as const;

/** More points than this are thinned out evenly (the first and the last kept): one as-of question per point. */
export const MAX_POINTS = 60;

/**
 * The days to ask the as-of API about for a data center's chip mix over time: its registration, every day a chip
 * movement occurred (the mix is constant between them, so these give the exact steps), and today. Sorted, distinct,
 * none before the registration.
 */
export function sampleDays(registeredAt: string, movements: readonly Pick<LedgerEvent, 'occurredAt'>[], today: string, max = MAX_POINTS): string[] {
  const registered = dayOf(registeredAt);
  const days = [...new Set([registered, ...movements.map((m) => dayOf(m.occurredAt)), today])].filter((d) => d >= registered && d <= today).sort();
  if (days.length <= max) return days;
  const step = (days.length - 1) / (max - 1);
  return [...new Set(Array.from({ length: max }, (_, i) => days[Math.round(i * step)]))];
}

/** One sample: the day and the chips on site then, grouped. */
export interface MixSample {
  readonly day: string;
  readonly chips: ChipGroups;
}

export interface MixSeries {
  readonly key: string;
  /** [day, count] for every sample, zeros included, so the stack stays aligned. */
  readonly points: readonly [string, number][];
}

/** Stacked-area series for one grouping (`byOrigin` or `byClass`), in the given key order, unknown keys after them. */
export function seriesOf(samples: readonly MixSample[], group: 'byOrigin' | 'byClass', order: readonly string[]): MixSeries[] {
  const seen = new Set(samples.flatMap((s) => Object.keys(s.chips[group])));
  const keys = [...order.filter((k) => seen.has(k)), ...[...seen].filter((k) => !order.includes(k)).sort()];
  return keys.map((key) => ({ key, points: samples.map((s) => [s.day, s.chips[group][key] ?? 0] as [string, number]) }));
}

/** Runs `work` over `items` with at most `limit` at a time, results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

