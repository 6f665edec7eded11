'use client';
// Rate, error rate and latency charts for one RED series (a service or one of its operations).
// A click on a point opens the trace search for the spans behind it (see red-drilldown.ts).
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import type { RedSeries } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { RED_PICK_HINTS, type RedChartKind, redTracesHref } from '../../lib/red-drilldown';
import { type ChartSeries, TimeSeriesChart } from '../common/time-series-chart';
import { useGlobalHref } from '../frame/url-state';
import { RED_COLORS } from './red-colors';

type Format = (value: number) => string;

export function RedCharts({
  timestamps,
  stepMs,
  series,
  service,
  operation,
}: {
  timestamps: readonly number[];
  stepMs: number;
  series: RedSeries;
  /** The service whose traces a click on a point opens; none: the charts are not clickable. */
  service?: string | undefined;
  /** The span name when the series is one operation's. */
  operation?: string | undefined;
}) {
  const router = useRouter();
  const href = useGlobalHref();
  const charts = useMemo<{ kind: RedChartKind; title: string; series: ChartSeries[]; format: Format }[]>(
    () => [
      {
        kind: 'requests',
        title: 'Requests',
        series: [{ label: 'req/s', values: series.rate, color: RED_COLORS.rate }],
        format: formatRate,
      },
      {
        kind: 'errors',
        title: 'Error rate',
        series: [{ label: 'errors', values: series.error_rate, color: RED_COLORS.errors }],
        format: formatPercent,
      },
      {
        kind: 'latency',
        title: 'Latency',
        series: [
          { label: 'p50', values: series.p50_ms, color: RED_COLORS.p50 },
          { label: 'p95', values: series.p95_ms, color: RED_COLORS.p95 },
          { label: 'p99', values: series.p99_ms, color: RED_COLORS.p99 },
        ],
        format: formatDuration,
      },
    ],
    [series],
  );
  const picker = (chart: RedChartKind) => (index: number) => {
    const startMs = timestamps[index];
    // A step with no requests has no traces to show.
    if (service === undefined || startMs === undefined || !series.requests[index]) return;
    const point = { service, operation, chart, startMs, stepMs, p95Ms: series.p95_ms[index] };
    router.push(href(redTracesHref(point)));
  };
  return (
    <div className="grid grid-cols-3 gap-4">
      {charts.map((chart) => (
        <TimeSeriesChart
          key={chart.kind}
          title={chart.title}
          timestamps={timestamps}
          series={chart.series}
          format={chart.format}
          onPick={service === undefined ? undefined : picker(chart.kind)}
          pickHint={RED_PICK_HINTS[chart.kind]}
        />
      ))}
    </div>
  );
}
