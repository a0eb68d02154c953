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

/** Installed chips by vendor, each bar coloured by whether the vendor counts as domestic. */
export function vendorChart(rows: readonly FleetMixRow[]): ChartSpec {
  const data = rows.filter((r) => r.installed > 0).sort((a, b) => b.installed - a.installed);
  return {
    description: data.length ? `Installed chips by vendor: ${listed(data.map((r) => [r.label ?? 'unknown', r.installed]))}.` : 'No chips installed.',
    option: {
      ...baseBar,
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: data.map((r) => r.label ?? 'unknown') },
      series: [
        {
          type: 'bar',
          name: 'Installed',
          data: data.map((r) => ({ value: r.installed, itemStyle: { color: r.domesticInstalled > 0 && r.foreignInstalled === 0 ? PALETTE.domestic : PALETTE.foreign } })),
          barMaxWidth: 22,
        },
      ],
    },
  };
}

/** Domestic against foreign installed chips (foreign includes vendors the catalog cannot place). */
export function originChart(rows: readonly FleetMixRow[]): ChartSpec {
  const domestic = rows.reduce((n, r) => n + r.domesticInstalled, 0);
  const foreign = rows.reduce((n, r) => n + r.foreignInstalled, 0);
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

/** Installed chips by US export-control class. */
export function classChart(rows: readonly FleetMixRow[]): ChartSpec {
  const data = rows.filter((r) => r.installed > 0);
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
