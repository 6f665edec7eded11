// The service graph and span metrics on /metrics, under the names and labels Tempo's
// metrics-generator uses (servicegraphs and span-metrics processors), so dashboards and alerts
// written for Tempo work against Signalbox unchanged. Each replica counts what it ingested;
// Prometheus sums across replicas, as it does across Tempo generators.
//
// This runs for every ingested span, so the counts live in plain objects found through nested
// maps and are turned into Prometheus samples only when /metrics is scraped: prom-client's own
// Counter and Histogram hash the label set on every inc()/observe(), which cost more than the
// rest of the topology's ingest work together. The samples are handed to the registry through
// the same get() contract prom-client's metrics implement.
//
// Label values come from span data, so the number of label sets is capped: past the cap a new
// series is not created and the observation is counted in
// signalbox_topology_metric_series_dropped_total instead.
import { Counter, type Metric, type Registry } from 'prom-client';
import { type CommittedSpan, SpanKind, StatusCode } from '../telemetry/model.js';
import type { EdgeObservation } from './pairing.js';

/** Tempo's span-metrics default buckets (seconds); used for the service graph histograms too. */
export const LATENCY_BUCKETS_SECONDS = [
  0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384,
];

const KIND_LABELS: Record<number, string> = {
  [SpanKind.UNSPECIFIED]: 'SPAN_KIND_UNSPECIFIED',
  [SpanKind.INTERNAL]: 'SPAN_KIND_INTERNAL',
  [SpanKind.SERVER]: 'SPAN_KIND_SERVER',
  [SpanKind.CLIENT]: 'SPAN_KIND_CLIENT',
  [SpanKind.PRODUCER]: 'SPAN_KIND_PRODUCER',
  [SpanKind.CONSUMER]: 'SPAN_KIND_CONSUMER',
};

const STATUS_LABELS: Record<number, string> = {
  [StatusCode.UNSET]: 'STATUS_CODE_UNSET',
  [StatusCode.OK]: 'STATUS_CODE_OK',
  [StatusCode.ERROR]: 'STATUS_CODE_ERROR',
};

type Labels = Record<string, string>;

/** A Prometheus histogram of one label set: per-bucket counts (not cumulative), sum and count. */
class HistogramSeries {
  readonly counts = new Float64Array(LATENCY_BUCKETS_SECONDS.length + 1);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    // The bounds double from 2 ms: the index is a log2, nudged for float rounding at the edges.
    const bounds = LATENCY_BUCKETS_SECONDS;
    let i = seconds <= bounds[0]! ? 0 : Math.min(bounds.length, Math.ceil(Math.log2(seconds / bounds[0]!)));
    while (i > 0 && seconds <= bounds[i - 1]!) i--;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

interface GraphSeries {
  labels: Labels;
  total: number;
  failed: number;
  server: HistogramSeries;
  client: HistogramSeries;
}

interface SpanSeries {
  labels: Labels;
  calls: number;
  latency: HistogramSeries;
}

interface Sample {
  value: number;
  labels: Labels;
  sharedLabels?: Labels;
  metricName?: string;
}

/**
 * A metric whose samples are computed when the registry collects, in the shape prom-client's
 * own metrics return from get() (le first, then the series' labels, as prom-client prints).
 */
class CollectedMetric {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    private readonly samples: () => Sample[],
  ) {}

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }

  reset(): void {}
}

function histogramSamples(name: string, series: readonly { labels: Labels; histogram: HistogramSeries }[]): Sample[] {
  const out: Sample[] = [];
  for (const { labels, histogram } of series) {
    let cumulative = 0;
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
      cumulative += histogram.counts[i]!;
      out.push({
        value: cumulative,
        labels: { le: String(bound) },
        sharedLabels: labels,
        metricName: `${name}_bucket`,
      });
    });
    out.push({ value: histogram.count, labels: { le: '+Inf' }, sharedLabels: labels, metricName: `${name}_bucket` });
    out.push({ value: histogram.sum, labels: {}, sharedLabels: labels, metricName: `${name}_sum` });
    out.push({ value: histogram.count, labels: {}, sharedLabels: labels, metricName: `${name}_count` });
  }
  return out;
}

export class TempoMetrics {
  /** client → server → connection type → series. */
  private readonly graph = new Map<string, Map<string, Map<string, GraphSeries>>>();
  private readonly graphSeries: GraphSeries[] = [];
  /** service → span name → [kind * 3 + status] → series. */
  private readonly spans = new Map<string, Map<string, SpanSeries[]>>();
  private readonly spanSeries: SpanSeries[] = [];
  private readonly droppedTotal: Counter<'family'>;

  constructor(
    registry: Registry,
    private readonly maxSeries: number,
  ) {
    const graph = this.graphSeries;
    const spans = this.spanSeries;
    const metrics = [
      new CollectedMetric(
        'traces_service_graph_request_total',
        'Total count of requests between two nodes',
        'counter',
        () => graph.map((s) => ({ value: s.total, labels: s.labels })),
      ),
      new CollectedMetric(
        'traces_service_graph_request_failed_total',
        'Total count of failed requests between two nodes',
        'counter',
        () => graph.map((s) => ({ value: s.failed, labels: s.labels })),
      ),
      new CollectedMetric(
        'traces_service_graph_request_server_seconds',
        'Time for a request between two nodes as seen from the server',
        'histogram',
        () =>
          histogramSamples(
            'traces_service_graph_request_server_seconds',
            graph.filter((s) => s.server.count > 0).map((s) => ({ labels: s.labels, histogram: s.server })),
          ),
      ),
      new CollectedMetric(
        'traces_service_graph_request_client_seconds',
        'Time for a request between two nodes as seen from the client',
        'histogram',
        () =>
          histogramSamples(
            'traces_service_graph_request_client_seconds',
            graph.filter((s) => s.client.count > 0).map((s) => ({ labels: s.labels, histogram: s.client })),
          ),
      ),
      new CollectedMetric('traces_spanmetrics_calls_total', 'Total count of the spans', 'counter', () =>
        spans.map((s) => ({ value: s.calls, labels: s.labels })),
      ),
      new CollectedMetric('traces_spanmetrics_latency', 'Duration of the spans in seconds', 'histogram', () =>
        histogramSamples(
          'traces_spanmetrics_latency',
          spans.map((s) => ({ labels: s.labels, histogram: s.latency })),
        ),
      ),
    ];
    // The registry only calls get() (and reset()); its TypeScript type names prom-client's classes.
    for (const metric of metrics) registry.registerMetric(metric as unknown as Metric);
    this.droppedTotal = new Counter({
      name: 'signalbox_topology_metric_series_dropped_total',
      help: 'Observations not exported on /metrics because the series cap was reached',
      labelNames: ['family'],
      registers: [registry],
    });
  }

  observeEdge(edge: EdgeObservation): void {
    const series = this.graphSeriesFor(edge.source, edge.target, edge.connectionType);
    if (!series) return;
    series.total++;
    if (edge.failed) series.failed++;
    if (edge.serverMicros !== null) series.server.observe(edge.serverMicros / 1e6);
    if (edge.clientMicros !== null) series.client.observe(edge.clientMicros / 1e6);
  }

  observeSpan(span: CommittedSpan): void {
    const slot = span.kind * 3 + span.statusCode;
    const series = this.spans.get(span.service)?.get(span.name)?.[slot] ?? this.newSpanSeries(span, slot);
    if (!series) return;
    series.calls++;
    series.latency.observe(Number(span.durationNs) / 1e9);
  }

  private newSpanSeries(span: CommittedSpan, slot: number): SpanSeries | undefined {
    // The cap is checked before any map grows: unbounded span names must not grow memory.
    if (this.spanSeries.length >= this.maxSeries) {
      this.droppedTotal.inc({ family: 'traces_spanmetrics' });
      return undefined;
    }
    let byName = this.spans.get(span.service);
    if (!byName) {
      byName = new Map();
      this.spans.set(span.service, byName);
    }
    let slots = byName.get(span.name);
    if (!slots) {
      slots = [];
      byName.set(span.name, slots);
    }
    const series: SpanSeries = {
      labels: {
        service: span.service,
        span_name: span.name,
        span_kind: KIND_LABELS[span.kind] ?? 'SPAN_KIND_UNSPECIFIED',
        status_code: STATUS_LABELS[span.statusCode] ?? 'STATUS_CODE_UNSET',
      },
      calls: 0,
      latency: new HistogramSeries(),
    };
    slots[slot] = series;
    this.spanSeries.push(series);
    return series;
  }

  private graphSeriesFor(client: string, server: string, connectionType: string): GraphSeries | undefined {
    const found = this.graph.get(client)?.get(server)?.get(connectionType);
    if (found) return found;
    if (this.graphSeries.length >= this.maxSeries) {
      this.droppedTotal.inc({ family: 'traces_service_graph' });
      return undefined;
    }
    let byServer = this.graph.get(client);
    if (!byServer) {
      byServer = new Map();
      this.graph.set(client, byServer);
    }
    let byType = byServer.get(server);
    if (!byType) {
      byType = new Map();
      byServer.set(server, byType);
    }
    const series: GraphSeries = {
      labels: { client, server, connection_type: connectionType },
      total: 0,
      failed: 0,
      server: new HistogramSeries(),
      client: new HistogramSeries(),
    };
    byType.set(connectionType, series);
    this.graphSeries.push(series);
    return series;
  }
}
