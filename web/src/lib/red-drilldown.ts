// From a point of a RED chart to the traces behind it: the spans of that service (and
// operation) that started in that step, only the failed ones from the error chart, and only
// those at least as slow as the step's p95 from the latency chart. Grafana's exemplars and
// SigNoz's "view traces" answer the same question: which requests made this spike? The link
// names its own window (the step's); where it is followed, useGlobalHref adds the refresh setting.
import { traceFilterParams } from './trace-search';
import { patchQuery, toHref } from './url';

export type RedChartKind = 'requests' | 'errors' | 'latency';

export interface RedPoint {
  service: string;
  /** The span name, when the chart is one operation's. */
  operation?: string | undefined;
  chart: RedChartKind;
  /** Start of the step, epoch ms. */
  startMs: number;
  stepMs: number;
  /** The step's p95, ms (the latency chart's threshold); null when the step had no requests. */
  p95Ms?: number | null | undefined;
}

/** A duration the trace search takes ("250ms" style), rounded down to the microsecond. */
export function searchDuration(ms: number): string {
  return `${Math.max(0, Math.floor(Math.round(ms * 1e6) / 1000))}us`;
}

/**
 * The latency chart's threshold: a microsecond under the step's p95. The API gives quantiles
 * rounded to the microsecond, which may put the p95 of a step with few spans a fraction above
 * its slowest span (the quantile itself never exceeds it); the slowest span must still match.
 */
export function slowThresholdMs(p95Ms: number): number {
  return Math.max(0, p95Ms - 0.001);
}

/** The trace search for the spans behind one step of a RED chart, over that step alone. */
export function redTracesHref(point: RedPoint): string {
  const slow = point.chart === 'latency' && typeof point.p95Ms === 'number' && point.p95Ms > 0;
  const filters = traceFilterParams({
    service: point.service,
    operation: point.operation ?? '',
    attributes: [],
    minDuration: slow ? searchDuration(slowThresholdMs(point.p95Ms as number)) : '',
    maxDuration: '',
    errorsOnly: point.chart === 'errors',
    limit: 50,
  });
  const params = patchQuery('', {
    ...filters,
    from: new Date(point.startMs).toISOString(),
    to: new Date(point.startMs + point.stepMs).toISOString(),
  });
  return toHref('/traces', params);
}

/** What a click on each chart opens, for the hint under it. */
export const RED_PICK_HINTS: Record<RedChartKind, string> = {
  requests: 'Click a point for its traces',
  errors: 'Click a point for its failed traces',
  latency: 'Click a point for its traces slower than p95',
};
