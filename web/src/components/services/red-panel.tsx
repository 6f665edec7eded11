'use client';
// Rate, error rate and latency charts for one RED series (a service or one of its operations).
// A click on a point opens the trace search for the spans behind it (see red-drilldown.ts).
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import type { RedSeries } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { RED_PICK_HINTS, type RedChartKind, redTracesHref } from '../../lib/red-drilldown';
import { type ChartSeries, TimeSeriesChart } from '../common/time-series-chart';
import { RED_COLORS } from './red-colors';

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
  const params = useSearchParams();
  const rate = useMemo<ChartSeries[]>(
    () => [{ label: 'req/s', values: series.rate, color: RED_COLORS.rate }],
    [series],
  );
  const errors = useMemo<ChartSeries[]>(
    () => [{ label: 'errors', values: series.error_rate, color: RED_COLORS.errors }],
    [series],
  );
  const latency = useMemo<ChartSeries[]>(
    () => [
      { label: 'p50', values: series.p50_ms, color: RED_COLORS.p50 },
      { label: 'p95', values: series.p95_ms, color: RED_COLORS.p95 },
      { label: 'p99', values: series.p99_ms, color: RED_COLORS.p99 },
    ],
    [series],
  );
  const picker = (chart: RedChartKind) => (index: number) => {
    const startMs = timestamps[index];
    // A step with no requests has no traces to show.
    if (service === undefined || startMs === undefined || !series.requests[index]) return;
    const point = { service, operation, chart, startMs, stepMs, p95Ms: series.p95_ms[index] };
    router.push(redTracesHref(point, params.toString()));
  };
  return (
    <div className="grid grid-cols-3 gap-4">
      <TimeSeriesChart
        title="Requests"
        timestamps={timestamps}
        series={rate}
        format={formatRate}
        onPick={service === undefined ? undefined : picker('requests')}
        pickHint={RED_PICK_HINTS.requests}
      />
      <TimeSeriesChart
        title="Error rate"
        timestamps={timestamps}
        series={errors}
        format={formatPercent}
        onPick={service === undefined ? undefined : picker('errors')}
        pickHint={RED_PICK_HINTS.errors}
      />
      <TimeSeriesChart
        title="Latency"
        timestamps={timestamps}
        series={latency}
        format={formatDuration}
        onPick={service === undefined ? undefined : picker('latency')}
        pickHint={RED_PICK_HINTS.latency}
      />
    </div>
  );
}
