import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the cockpit draws, to keep the chunk small.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Series {
  /** What the line counts (a measure of the counters): passed back when a point is picked. */
  measure: string;
  name: string;
  points: { day: string; value: number }[];
}

/**
 * A line per measure, day by day; ECharts used directly, resized with its box. A click on a
 * point picks it (the tickets of that measure on that day).
 */
export function TrendChart({ series, height = 260, onPick }: { series: Series[]; height?: number; onPick?: (measure: string, day: string, name: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const current = useRef({ series, onPick });
  useEffect(() => {
    current.current = { series, onPick };
  }, [series, onPick]);

  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current);
    chart.current = instance;
    instance.on('click', (params) => {
      const { series: lines, onPick: pick } = current.current;
      const line = typeof params.seriesIndex === 'number' ? lines[params.seriesIndex] : undefined;
      const point = line?.points[params.dataIndex];
      if (line && point) pick?.(line.measure, point.day, line.name);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        // No entry animation: the cockpit redraws every 30 s and should not replay it each time.
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: series[0]?.points.map((p) => p.day.slice(5)) ?? [] },
        yAxis: { type: 'value', minInterval: 1 },
        series: series.map((s) => ({
          name: s.name,
          type: 'line',
          smooth: true,
          // Every point shown and easy to hit: each opens its tickets.
          showAllSymbol: true,
          symbolSize: 7,
          emphasis: { scale: 1.6 },
          data: s.points.map((p) => p.value),
        })),
      },
      { notMerge: true },
    );
  }, [series]);

  return <div ref={box} style={{ width: '100%', height }} data-testid="trend-chart" />;
}
