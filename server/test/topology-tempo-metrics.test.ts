import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { SpanKind } from '../src/telemetry/model.js';
import type { EdgeObservation } from '../src/topology/pairing.js';
import { TempoMetrics } from '../src/topology/tempo-metrics.js';
import { span } from './topology-spans.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function edge(target: string, failed = false): EdgeObservation {
  return {
    source: 'gateway',
    sourceType: 'service',
    target,
    targetType: 'service',
    kind: 'sync',
    connectionType: '',
    minute: T0,
    clientMicros: 3000,
    serverMicros: 2500,
    failed,
  };
}

async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('Tempo-named metrics', () => {
  it('labels span metrics as Tempo does and counts per label set', async () => {
    const registry = new Registry();
    const metrics = new TempoMetrics(registry, 100);
    for (let i = 0; i < 3; i++) {
      metrics.observeSpan(
        span({ service: 'users', name: 'GET /u', kind: SpanKind.SERVER, startMs: T0, durationMs: 5 }),
      );
    }
    metrics.observeSpan(
      span({ service: 'users', name: 'GET /u', kind: SpanKind.SERVER, startMs: T0, durationMs: 900, error: true }),
    );
    const labels = 'service="users",span_name="GET /u",span_kind="SPAN_KIND_SERVER"';
    assert.equal(
      await sample(registry, `traces_spanmetrics_calls_total{${labels},status_code="STATUS_CODE_UNSET"}`),
      3,
    );
    assert.equal(
      await sample(registry, `traces_spanmetrics_calls_total{${labels},status_code="STATUS_CODE_ERROR"}`),
      1,
    );
    assert.equal(
      await sample(registry, `traces_spanmetrics_latency_bucket{le="0.008",${labels},status_code="STATUS_CODE_UNSET"}`),
      3,
    );
    assert.equal(
      await sample(registry, `traces_spanmetrics_latency_bucket{le="0.512",${labels},status_code="STATUS_CODE_ERROR"}`),
      0,
    );
    assert.equal(
      await sample(registry, `traces_spanmetrics_latency_sum{${labels},status_code="STATUS_CODE_ERROR"}`),
      0.9,
    );
  });

  it('puts durations on the bucket bounds into the bound (le is inclusive)', async () => {
    const registry = new Registry();
    const metrics = new TempoMetrics(registry, 100);
    for (const ms of [1, 2, 4, 4.1, 16_384, 20_000]) {
      metrics.observeSpan(span({ service: 'b', name: 'op', kind: SpanKind.SERVER, startMs: T0, durationMs: ms }));
    }
    const at = (le: string) =>
      sample(
        registry,
        `traces_spanmetrics_latency_bucket{le="${le}",service="b",span_name="op",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"}`,
      );
    assert.equal(await at('0.002'), 2);
    assert.equal(await at('0.004'), 3);
    assert.equal(await at('0.008'), 4);
    assert.equal(await at('8.192'), 4);
    assert.equal(await at('16.384'), 5);
    assert.equal(await at('+Inf'), 6);
    const text = await registry.metrics();
    assert.match(text, /# TYPE traces_spanmetrics_latency histogram/);
    assert.match(text, /# TYPE traces_spanmetrics_calls_total counter/);
  });

  it('counts edges, failures from zero, and both sides latency', async () => {
    const registry = new Registry();
    const metrics = new TempoMetrics(registry, 100);
    metrics.observeEdge(edge('users'));
    metrics.observeEdge(edge('users'));
    const labels = 'client="gateway",server="users",connection_type=""';
    assert.equal(await sample(registry, `traces_service_graph_request_total{${labels}}`), 2);
    assert.equal(await sample(registry, `traces_service_graph_request_failed_total{${labels}}`), 0);
    assert.equal(await sample(registry, `traces_service_graph_request_client_seconds_sum{${labels}}`), 0.006);
    assert.equal(await sample(registry, `traces_service_graph_request_server_seconds_sum{${labels}}`), 0.005);
    metrics.observeEdge({ ...edge('postgresql/users'), connectionType: 'database', serverMicros: null });
    const db = 'client="gateway",server="postgresql/users",connection_type="database"';
    assert.equal(await sample(registry, `traces_service_graph_request_client_seconds_count{${db}}`), 1);
    // The database is not instrumented: no server-side latency is made up for it.
    assert.equal(await sample(registry, `traces_service_graph_request_server_seconds_count{${db}}`), undefined);
  });

  it('stops creating series at the cap and counts what it drops', async () => {
    const registry = new Registry();
    const metrics = new TempoMetrics(registry, 2);
    for (const target of ['a', 'b', 'c', 'd']) metrics.observeEdge(edge(target));
    metrics.observeEdge(edge('a'));
    for (const name of ['x', 'y', 'z']) {
      metrics.observeSpan(span({ service: 's', name, kind: SpanKind.INTERNAL, startMs: T0, durationMs: 1 }));
    }
    assert.equal(
      await sample(registry, 'traces_service_graph_request_total{client="gateway",server="a",connection_type=""}'),
      2,
    );
    assert.equal(
      await sample(registry, 'traces_service_graph_request_total{client="gateway",server="c",connection_type=""}'),
      undefined,
    );
    assert.equal(
      await sample(registry, 'signalbox_topology_metric_series_dropped_total{family="traces_service_graph"}'),
      2,
    );
    assert.equal(
      await sample(registry, 'signalbox_topology_metric_series_dropped_total{family="traces_spanmetrics"}'),
      1,
    );
  });
});
