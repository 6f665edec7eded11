'use client';
// Time-series chart (RED rate, errors, latency) on uPlot: small, fast, canvas-drawn. Colours
// come from the theme's CSS variables, and the chart is rebuilt when the theme changes.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { valueAxisWidth } from '../../lib/chart-axis';

export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  color: string;
}

/** Changes when the theme (light, dark) changes: charts rebuild in the new theme's colours. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return version;
}

/**
 * uPlot's `size` callback for the value axis: as wide as its labels (see chart-axis.ts). uPlot
 * calls it again once the labels are known; after the second cycle the last width stands, so
 * the layout converges.
 */
function axisSize(chart: uPlot, labels: string[] | null, axisIndex: number, cycle: number): number {
  const axis = chart.axes[axisIndex] as uPlot.Axis & { _size?: number };
  if (cycle > 1 && axis._size !== undefined) return axis._size;
  // After init uPlot holds the font as [css font, size], scaled by the device pixel ratio.
  chart.ctx.font = (axis.font as unknown as [string])[0];
  const measure = (label: string) => chart.ctx.measureText(label).width / devicePixelRatio;
  const ticks = (axis.ticks as { size?: number } | undefined)?.size ?? 10;
  return valueAxisWidth(labels, measure, ticks, axis.gap ?? 5);
}

/** A time axis and a value axis as wide as its labels, in the theme's colours (read now). */
export function themedAxes(format: (value: number) => string): uPlot.Axis[] {
  const css = getComputedStyle(document.documentElement);
  const muted = css.getPropertyValue('--sb-muted').trim();
  const line = css.getPropertyValue('--sb-line').trim();
  const axis = {
    stroke: muted,
    grid: { stroke: line, width: 1 },
    ticks: { stroke: line, width: 1 },
    font: '11px ui-sans-serif, system-ui, sans-serif',
  };
  return [axis, { ...axis, size: axisSize, values: (_u, values) => values.map((v) => format(v)) }];
}

export function TimeSeriesChart({
  title,
  timestamps,
  series,
  format,
  height = 160,
  yMax,
  onPick,
  pickHint,
}: {
  title: string;
  timestamps: readonly number[];
  series: readonly ChartSeries[];
  format: (value: number) => string;
  height?: number;
  /** Fixed top of the y scale, e.g. 1 for ratios. */
  yMax?: number;
  /** Called with the index of the step under the cursor when the plot is clicked. */
  onPick?: ((index: number) => void) | undefined;
  /** Says what a click opens (shown under the chart with onPick). */
  pickHint?: string | undefined;
}) {
  const container = useRef<HTMLDivElement>(null);
  const themeVersion = useThemeVersion();
  // The latest callback, read at click time: a new function each render must not rebuild the chart.
  const pick = useRef(onPick);
  pick.current = onPick;
  const pickable = onPick !== undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: themeVersion rebuilds the chart in the new theme's colours
  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const options: uPlot.Options = {
      width: element.clientWidth || 400,
      height,
      ms: 1,
      // No drag to zoom here; and uPlot must not swallow a click it takes for the end of a drag
      // (it does when the pointer moved between press and release, so a click could do nothing).
      cursor: { drag: { x: false, y: false, click: () => {} } },
      legend: { show: true, live: true },
      scales: { y: { range: (_u, _min, max) => [0, yMax ?? (max > 0 ? max * 1.1 : 1)] } },
      axes: themedAxes(format),
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: `${s.color}18`,
          spanGaps: false,
          // A series with few points would be invisible as a line alone.
          points: { show: s.values.filter((v) => v !== null).length < 12, size: 5 },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
        })),
      ],
    };
    const data = [Array.from(timestamps), ...series.map((s) => Array.from(s.values))] as uPlot.AlignedData;
    const chart = new uPlot(options, data, element);
    // The step under the pointer, from the click's own position: uPlot's cursor works from a
    // box it measured earlier, which is off once the page around the chart has moved.
    const click = (event: MouseEvent) => {
      const index = chart.posToIdx(event.clientX - chart.over.getBoundingClientRect().left);
      if (index >= 0 && index < timestamps.length) pick.current?.(index);
    };
    if (pickable) {
      chart.over.addEventListener('click', click);
      chart.over.style.cursor = 'pointer';
    }
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.over.removeEventListener('click', click);
      chart.destroy();
    };
  }, [timestamps, series, format, height, yMax, pickable, themeVersion]);

  const latest = series
    .map((s) => {
      const last = [...s.values].reverse().find((v) => v !== null);
      return `${s.label} ${last === undefined || last === null ? 'no data' : format(last)}`;
    })
    .join(', ');
  return (
    <figure className="relative min-w-0">
      <figcaption className="mb-1 text-xs font-medium uppercase tracking-wider text-muted">{title}</figcaption>
      <p className="sr-only">Latest: {latest}</p>
      <div ref={container} className="sb-chart w-full" style={{ minHeight: height }} />
      {pickable && pickHint && <p className="mt-1 text-xs text-muted">{pickHint}</p>}
    </figure>
  );
}
