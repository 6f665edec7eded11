'use client';
// Rate, error rate and latency charts for one RED series (a service or one of its operations).
import { useMemo } from 'react';
import type { RedSeries } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { type ChartSeries, TimeSeriesChart } from '../common/time-series-chart';
import { RED_COLORS } from './red-colors';

export function RedCharts({ timestamps, series }: { timestamps: readonly number[]; series: RedSeries }) {
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
  return (
    <div className="grid grid-cols-3 gap-4">
      <TimeSeriesChart title="Requests" timestamps={timestamps} series={rate} format={formatRate} />
      <TimeSeriesChart title="Error rate" timestamps={timestamps} series={errors} format={formatPercent} />
      <TimeSeriesChart title="Latency" timestamps={timestamps} series={latency} format={formatDuration} />
    </div>
  );
}
