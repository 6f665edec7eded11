// The server's own Prometheus metrics. One registry per server instance (never the global
// default) so tests can run several servers in one process. Modules receive the metric objects
// they update; gauges that mirror in-memory state read it when scraped.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly storeOperationSeconds: Histogram<'operation' | 'outcome'>;
  readonly checksTotal: Counter<'type'>;
  readonly checksFailedTotal: Counter<'type'>;
  readonly checkDurationSeconds: Histogram<'type'>;
  readonly instances: Gauge<'status'>;
  readonly httpRequestSeconds: Histogram<'server' | 'route' | 'method' | 'status_class'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    storeOperationSeconds: new Histogram({
      name: 'signalbox_store_operation_seconds',
      help: 'Latency of store queries by operation',
      labelNames: ['operation', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    checksTotal: new Counter({
      name: 'signalbox_checks_total',
      help: 'Health check probes run',
      labelNames: ['type'],
      registers,
    }),
    checksFailedTotal: new Counter({
      name: 'signalbox_checks_failed_total',
      help: 'Health check probes that did not pass',
      labelNames: ['type'],
      registers,
    }),
    checkDurationSeconds: new Histogram({
      name: 'signalbox_check_duration_seconds',
      help: 'Duration of health check probes',
      labelNames: ['type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    instances: new Gauge({
      name: 'signalbox_instances',
      help: 'Registered instances in the live view by status',
      labelNames: ['status'],
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: 'signalbox_http_request_seconds',
      help: 'Latency of requests served by the API and OTLP ports',
      labelNames: ['server', 'route', 'method', 'status_class'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}
