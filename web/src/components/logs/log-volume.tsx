'use client';
// How many records match, per step of the window, stacked by severity (errors at the bottom,
// where they are seen first): GET /logs/volume with the page's filters, refetched with the
// window. Dragging across the chart zooms the window to the selection (a fixed from/to in the
// URL), as Kibana's and Grafana's log volume charts do.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { $api } from '../../api/client';
import type { LogVolume as Volume } from '../../api/types';
import { formatCount } from '../../lib/format';
import { type LogFilters, logFilterQuery } from '../../lib/log-search';
import { COUNT_INCREMENTS, stackFromTop } from '../../lib/log-volume';
import { timeRangeParams } from '../../lib/time-range';
import { ProblemView } from '../common/problem-view';
import { Skeleton } from '../common/skeleton';
import { themedAxes, useThemeVersion } from '../common/time-series-chart';
import { useTimeWindow } from '../frame/time-context';
import { useUrlState } from '../frame/url-state';

const HEIGHT = 150;
/** Canvas colours of the severity bands (the log lines' text colours, as fills). */
const COLORS: Record<Volume['series'][number]['severity'], string> = {
  unspecified: '#a3a3a3',
  trace: '#94a3b8',
  debug: '#64748b',
  info: '#0ea5e9',
  warn: '#f59e0b',
  error: '#ef4444',
  fatal: '#991b1b',
};

export function LogVolume({ filters }: { filters: LogFilters }) {
  const { from, to } = useTimeWindow();
  const volume = $api.useQuery('get', '/api/v1/logs/volume', {
    params: { query: { ...logFilterQuery(filters), from, to } },
  });
  // The API's error type is not declared (only 2xx responses are), so it is unknown here.
  const error: unknown = volume.error;
  if (error && !volume.data) return <ProblemView error={error} onRetry={() => void volume.refetch()} />;
  if (!volume.data) return <Skeleton className="m-4 h-[150px]" />;
  return <VolumeChart volume={volume.data} />;
}

function VolumeChart({ volume }: { volume: Volume }) {
  const container = useRef<HTMLDivElement>(null);
  const themeVersion = useThemeVersion();
  const { update } = useUrlState();

  // biome-ignore lint/correctness/useExhaustiveDependencies: themeVersion rebuilds the chart in the new theme's colours
  useEffect(() => {
    const element = container.current;
    if (!element || volume.total === 0) return undefined;
    const stacked = stackFromTop(volume.series.map((s) => s.counts));
    const bars = uPlot.paths.bars?.({ size: [0.8, 40], align: 1 });
    const [timeAxis, countAxis] = themedAxes(formatCount);
    const options: uPlot.Options = {
      width: element.clientWidth || 400,
      height: HEIGHT,
      ms: 1,
      cursor: { drag: { x: true, y: false, setScale: false } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: true, live: true },
      scales: {
        x: { time: true, range: () => [volume.from, volume.to] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [timeAxis ?? {}, { ...countAxis, incrs: COUNT_INCREMENTS, space: 20 }],
      series: [
        {},
        ...volume.series.map((s, i) => ({
          label: s.severity,
          fill: COLORS[s.severity],
          stroke: COLORS[s.severity],
          width: 0,
          paths: bars,
          points: { show: false },
          // The legend shows the band's own count, not the stack's height.
          value: (_u: uPlot, _v: number | null, _series: number, index: number | null) =>
            index === null ? '–' : formatCount(volume.series[i]?.counts[index] ?? 0),
        })),
      ],
      hooks: {
        setSelect: [
          (chart) => {
            const { left, width } = chart.select;
            if (width < 4) return;
            const start = Math.round(chart.posToVal(left, 'x'));
            const end = Math.round(chart.posToVal(left + width, 'x'));
            chart.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            if (end > start) update(timeRangeParams({ kind: 'absolute', from: start, to: end }));
          },
        ],
      },
    };
    const chart = new uPlot(options, [Array.from(volume.timestamps), ...stacked] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [volume, themeVersion, update]);

  const totals = volume.series.map((s) => `${s.severity} ${formatCount(s.counts.reduce((a, b) => a + b, 0))}`);
  return (
    <figure className="min-w-0 border-b border-line px-4 py-3" data-testid="log-volume">
      <figcaption className="mb-1 flex flex-wrap items-baseline gap-x-3 text-xs text-muted">
        <span className="font-medium uppercase tracking-wider">Volume</span>
        <span>
          {formatCount(volume.total)} records{totals.length ? ` · ${totals.join(', ')}` : ''}
        </span>
        {volume.total > 0 && <span className="ml-auto">Drag across the bars to zoom in</span>}
      </figcaption>
      {volume.total > 0 && <div ref={container} className="sb-chart w-full" style={{ minHeight: HEIGHT }} />}
    </figure>
  );
}
