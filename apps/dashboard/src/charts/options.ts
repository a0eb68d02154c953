import type { ChipMixLine, FleetMixRow } from '../api/types';
import { ECCN_CLASS_LABELS, formatCount } from '../format';
import type { ChartOption } from './echarts';
import { PALETTE } from './palette';

/** A chart and the sentence that says what it shows (its accessible name, and the text for those who cannot see it). */
export interface ChartSpec {
  readonly option: ChartOption;
  readonly description: string;
}

const listed = (parts: readonly [string, number][]): string => parts.map(([label, n]) => `${label} ${formatCount(n)}`).join(', ');

const baseBar = { grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true }, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } } };

/** One bar of the vendor chart: installed chips of a vendor, and where the vendor counts as from (null: not told). */
export interface VendorBar {
  readonly label: string;
  readonly installed: number;
  readonly origin: 'domestic' | 'foreign' | null;
}

/** The live fleet mix by vendor as bars: a vendor with only domestic chips installed is domestic. */
export const vendorBars = (rows: readonly FleetMixRow[]): VendorBar[] =>
  rows.map((r) => ({ label: r.label ?? 'unknown', installed: r.installed, origin: r.domesticInstalled > 0 && r.foreignInstalled === 0 ? 'domestic' : 'foreign' }));

/** Installed chips by vendor, each bar coloured by whether the vendor counts as domestic (when that is known). */
export function vendorChart(bars: readonly VendorBar[]): ChartSpec {
  const data = bars.filter((r) => r.installed > 0).sort((a, b) => b.installed - a.installed);
  return {
    description: data.length ? `Installed chips by vendor: ${listed(data.map((r) => [r.label, r.installed]))}.` : 'No chips installed.',
    option: {
      ...baseBar,
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: data.map((r) => r.label) },
      series: [
        {
          type: 'bar',
          name: 'Installed',
          data: data.map((r) => ({ value: r.installed, itemStyle: { color: r.origin === 'domestic' ? PALETTE.domestic : r.origin === 'foreign' ? PALETTE.foreign : PALETTE.neutral } })),
          barMaxWidth: 22,
        },
      ],
    },
  };
}

/** Domestic against foreign installed chips (foreign includes vendors the catalog cannot place). */
export function originChart({ domestic, foreign }: { domestic: number; foreign: number }): ChartSpec {
  return {
    description: domestic + foreign > 0 ? `Installed chips by origin: domestic (Chinese vendors) ${formatCount(domestic)}, foreign ${formatCount(foreign)}.` : 'No chips installed.',
    option: {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['50%', '44%'],
          label: { formatter: (p: { percent?: number }) => `${Math.round(p.percent ?? 0)} %` },
          data: [
            { name: 'Domestic', value: domestic, itemStyle: { color: PALETTE.domestic } },
            { name: 'Foreign', value: foreign, itemStyle: { color: PALETTE.foreign } },
          ],
        },
      ],
    },
  };
}

/** Installed chips by US export-control class (`key`: the class as the API writes it). */
export function classChart(bars: readonly { key: string | null; installed: number }[]): ChartSpec {
  const data = bars.filter((r) => r.installed > 0);
  const label = (key: string | null) => ECCN_CLASS_LABELS[key ?? ''] ?? key ?? 'unknown';
  return {
    description: data.length ? `Installed chips by export-control class: ${listed(data.map((r) => [label(r.key), r.installed]))}.` : 'No chips installed.',
    option: {
      ...baseBar,
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: data.map((r) => label(r.key)) },
      series: [{ type: 'bar', name: 'Installed', data: data.map((r) => ({ value: r.installed, itemStyle: { color: PALETTE.classes[r.key ?? ''] ?? PALETTE.unknown } })), barMaxWidth: 22 }],
    },
  };
}

/** One data center's chips by model: installed, in stock and on order, stacked. */
export function chipMixChart(lines: readonly ChipMixLine[]): ChartSpec {
  const data = lines.filter((l) => l.installed + l.inStock + l.onOrder > 0);
  const name = (l: ChipMixLine) => l.modelName ?? l.modelId;
  const series = (key: 'installed' | 'inStock' | 'onOrder', label: string, color: string) => ({
    type: 'bar',
    stack: 'chips',
    name: label,
    data: data.map((l) => l[key]),
    itemStyle: { color },
    barMaxWidth: 22,
  });
  return {
    description: data.length
      ? `Chips by model: ${data.map((l) => `${name(l)} ${formatCount(l.installed)} installed, ${formatCount(l.inStock)} in stock, ${formatCount(l.onOrder)} on order`).join('; ')}.`
      : 'No chips recorded at this data center.',
    option: {
      ...baseBar,
      grid: { ...baseBar.grid, bottom: 32 },
      legend: { bottom: 0 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: data.map(name) },
      series: [series('installed', 'Installed', PALETTE.installed), series('inStock', 'In stock', PALETTE.inStock), series('onOrder', 'On order', PALETTE.onOrder)],
    },
  };
}

/** A stacked step area of chips over time, one series per key; `markDay` draws the day the view is on. */
export function mixOverTimeChart(
  what: string,
  series: readonly { key: string; points: readonly [string, number][] }[],
  label: (key: string) => string,
  color: (key: string, index: number) => string,
  markDay: string | null,
): ChartSpec {
  const days = series[0]?.points.map(([day]) => day) ?? [];
  const steps = days.map((day, i) => `${day}: ${series.map((s) => `${label(s.key)} ${formatCount(s.points[i][1])}`).join(', ')}`);
  return {
    description: days.length ? `${what}, at each change: ${steps.join('; ')}.` : `${what}: nothing recorded.`,
    option: {
      grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s, i) => ({
        type: 'line',
        name: label(s.key),
        stack: 'chips',
        step: 'end',
        symbol: 'none',
        areaStyle: { opacity: 0.85 },
        lineStyle: { width: 1 },
        itemStyle: { color: color(s.key, i) },
        data: s.points.map(([day, n]) => [day, n]),
        ...(i === 0 && markDay
          ? { markLine: { symbol: 'none', silent: true, label: { formatter: markDay, position: 'end' }, lineStyle: { color: '#1d2430', type: 'dashed' }, data: [{ xAxis: markDay }] } }
          : {}),
      })),
    },
  };
}
