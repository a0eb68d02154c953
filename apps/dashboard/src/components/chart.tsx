import { useEffect, useRef } from 'preact/hooks';
import type { ChartSpec } from '../charts/options';
import { echarts } from '../charts/echarts';

/**
 * An ECharts chart. Its accessible name is the spec's description (ECharts' own aria support writes it on the
 * container), so a screen reader hears the figures the bars show.
 */
export function Chart({ spec, height = 220, testId }: { spec: ChartSpec; height?: number; testId?: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true, label: { description: spec.description } }, textStyle: { fontFamily: 'inherit' }, ...spec.option }, true);
  }, [spec]);

  return <div ref={container} class="chart" role="img" aria-label={spec.description} data-testid={testId} style={{ height: `${height}px` }} />;
}
