// End to end through the real server on both stores: spans handed to the topology's
// SpanListener (as the telemetry module does after each commit), paired and rolled up by the
// module's own background loops, then read back from /api/v1/topology, /red, /topology/edges/red
// and /metrics. Where services run (environments, namespaces) comes from registered instances,
// span resources sent through the OTLP receiver, and the Kubernetes source on the fake API server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SpanKind as OtelSpanKind, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { sql } from 'kysely';
import type { KubernetesModule } from '../src/kubernetes/module.js';
import { SpanKind, type SpanRecord } from '../src/telemetry/model.js';
import type { TopologyModule } from '../src/topology/topology-module.js';
import type { EdgeRed, ServiceRed, Topology } from '../src/topology/topology-service.js';
import { FakeKubeApiServer, kubeconfigFor } from './fakes/kube-apiserver.js';
import { pod, podIPFor, service } from './fakes/kube-objects.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import { call, hex, span } from './topology-spans.js';

const MINUTE = 60_000;

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function near(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) / expected <= 0.1, `${what}: ${actual} vs ${expected}`);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function register(apiUrl: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${apiUrl}/api/v1/instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

/** One root SERVER span of `service` sent to the OTLP receiver as JSON, with these resource attributes. */
async function sendResourceSpan(otlpUrl: string, resource: Record<string, string>, startMs: number): Promise<void> {
  const res = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })) },
          scopeSpans: [
            {
              scope: { name: 'topology-test' },
              spans: [
                {
                  traceId: hex(16),
                  spanId: hex(8),
                  name: 'GET /health',
                  kind: 2,
                  startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(startMs + 3) * 1_000_000n),
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The traffic of a small shop in one minute, as the halves each service exports. */
function shopTraffic(minute: number) {
  const gatewayToOrders = Array.from({ length: 40 }, (_, i) => 10 + i * 5); // client ms: 10..205
  const spans: SpanRecord[] = [];
  const serverHalves: SpanRecord[] = [];
  const ordersServed: SpanRecord[] = [];
  gatewayToOrders.forEach((ms, i) => {
    const [client, server] = call({
      client: 'gateway',
      server: 'orders',
      startMs: minute + 1000 + i * 100,
      clientMs: ms,
      serverMs: ms - 2,
      operation: 'POST /orders',
    });
    spans.push(client);
    serverHalves.push(server);
    ordersServed.push(server);
    // Each order pays; one payment in four fails.
    const [payClient, payServer] = call({
      client: 'orders',
      server: 'payments',
      startMs: minute + 1001 + i * 100,
      clientMs: 20,
      serverMs: 18,
      error: i % 4 === 0,
      traceId: client.traceId,
      parentSpanId: server.spanId,
      operation: 'POST /charge',
    });
    spans.push(payClient);
    serverHalves.push(payServer);
    // And writes to its database, which is not instrumented.
    spans.push(
      span({
        traceId: client.traceId,
        parentSpanId: server.spanId,
        service: 'orders',
        name: 'INSERT orders',
        kind: SpanKind.CLIENT,
        startMs: minute + 1002 + i * 100,
        durationMs: 4,
        attributes: { 'db.system': 'postgresql', 'db.name': 'orders', 'server.address': 'pg' },
      }),
    );
  });
  // An event to notifications through the broker, for 10 of the orders.
  for (let i = 0; i < 10; i++) {
    const order = ordersServed[i]!;
    const [producer, consumer] = call({
      traceId: order.traceId,
      parentSpanId: order.spanId,
      client: 'orders',
      server: 'notifications',
      startMs: minute + 30_000 + i,
      clientMs: 1,
      serverMs: 30,
      async: true,
      operation: 'order.created',
    });
    producer.attributes = { 'messaging.system': 'nats', 'messaging.destination.name': 'order.created' };
    spans.push(producer);
    serverHalves.push(consumer);
  }
  return { spans, serverHalves, gatewayToOrders };
}

for (const kind of STORE_KINDS) {
  describe(`topology API [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let topology: TopologyModule;
    // A whole minute that has passed, so rates over the window are exact.
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * MINUTE;
    const from = minute - MINUTE;
    const to = minute + 2 * MINUTE;
    let traffic: ReturnType<typeof shopTraffic>;

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, topologyPairWaitMs: 300, topologyFlushMs: 200 });
      topology = server.app.modules.get('topology') as TopologyModule;
      traffic = shopTraffic(minute);
      // The callees' halves come first, in two batches, then the callers' halves: pairs are
      // split across batches and out of order, as exporters of different services deliver them.
      const half = Math.floor(traffic.serverHalves.length / 2);
      topology.spanListener.onSpans(traffic.serverHalves.slice(0, half));
      topology.spanListener.onSpans(traffic.serverHalves.slice(half));
      topology.spanListener.onSpans(traffic.spans);
      // Where they run: gateway and orders say so when they register (orders in two
      // environments); notifications is not registered, but its span resources say it.
      const address = (i: number) => `10.0.0.${i}:8080`;
      await register(server.apiUrl, {
        service: 'gateway',
        address: address(1),
        environment: 'prod',
        labels: { 'k8s.namespace.name': 'edge' },
      });
      await register(server.apiUrl, {
        service: 'orders',
        address: address(2),
        environment: 'prod',
        labels: { 'k8s.namespace.name': 'shop' },
      });
      await register(server.apiUrl, { service: 'orders', address: address(3), environment: 'staging' });
      await sendResourceSpan(
        server.otlpUrl,
        { 'service.name': 'notifications', 'deployment.environment.name': 'prod', 'k8s.namespace.name': 'events' },
        minute - 60 * MINUTE,
      );
      // The older attribute name counts too; what the registry says wins over it.
      await sendResourceSpan(
        server.otlpUrl,
        { 'service.name': 'gateway', 'deployment.environment': 'dev', 'k8s.namespace.name': 'elsewhere' },
        minute - 60 * MINUTE,
      );
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${server.apiUrl}${path}`);
      return { status: res.status, body: (await res.json()) as T };
    };

    it('serves the service graph with inferred peers and RED per node and edge', async () => {
      // Once every half has paired or its wait has ended (the producers wait it out for more
      // consumers), and the roll-ups have been flushed.
      const graph = await until('every half resolved and flushed', async () => {
        const metrics = await (await fetch(`${server.apiUrl}/metrics`)).text();
        if (!/signalbox_topology_pending_spans 0\b/.test(metrics)) return undefined;
        const { body } = await get<Topology>(`/api/v1/topology?from=${from}&to=${to}`);
        return body.edges.some((e) => e.target === 'database:postgresql/orders') &&
          body.edges.some((e) => e.kind === 'async')
          ? body
          : undefined;
      });
      assert.equal(graph.from, from);
      assert.equal(graph.to, to);
      const seconds = (to - from) / 1000;

      assert.deepEqual(
        graph.nodes.map((n) => [n.id, n.type]),
        [
          ['database:postgresql/orders', 'database'],
          ['gateway', 'service'],
          ['notifications', 'service'],
          ['orders', 'service'],
          ['payments', 'service'],
        ],
      );
      assert.deepEqual(
        graph.edges.map((e) => [e.source, e.target, e.kind, e.requests, e.errors]),
        [
          ['gateway', 'orders', 'sync', 40, 0],
          ['orders', 'database:postgresql/orders', 'sync', 40, 0],
          ['orders', 'notifications', 'async', 10, 0],
          ['orders', 'payments', 'sync', 40, 10],
        ],
        'the producer paired with its consumer, so no broker node',
      );
      const gatewayOrders = graph.edges[0]!;
      assert.equal(gatewayOrders.rate, Number((40 / seconds).toFixed(6)));
      near(gatewayOrders.p50_ms, exactQuantile(traffic.gatewayToOrders, 0.5), 'edge p50');
      near(gatewayOrders.p95_ms, exactQuantile(traffic.gatewayToOrders, 0.95), 'edge p95');
      near(gatewayOrders.p99_ms, exactQuantile(traffic.gatewayToOrders, 0.99), 'edge p99');
      const payments = graph.edges[3]!;
      assert.equal(payments.error_rate, 0.25);
      assert.equal(payments.p50_ms, 20);

      const orders = graph.nodes.find((n) => n.id === 'orders')!;
      assert.equal(orders.requests, 40, 'orders served 40 requests (its SERVER spans)');
      near(orders.p50_ms, exactQuantile(traffic.gatewayToOrders, 0.5) - 2, 'node p50');
      const db = graph.nodes.find((n) => n.type === 'database')!;
      assert.equal(db.requests, 40, 'the database is measured by what its callers saw');
      assert.equal(db.p99_ms, 4);
      assert.equal(graph.nodes.find((n) => n.id === 'payments')!.error_rate, 0.25);
    });

    it('tells where each service runs: registry first, then span resources', async () => {
      const placed = await until('placement of the services', async () => {
        const { body } = await get<Topology>(`/api/v1/topology?from=${from}&to=${to}`);
        const byId = new Map(body.nodes.map((n) => [n.id, n]));
        return byId.get('notifications')?.namespaces.length && byId.get('orders')?.environments.length === 2
          ? byId
          : undefined;
      });
      const where = (id: string) => [placed.get(id)?.environments, placed.get(id)?.namespaces];
      assert.deepEqual(where('gateway'), [['prod'], ['edge']], 'the registry wins over span resources');
      assert.deepEqual(where('orders'), [['prod', 'staging'], ['shop']]);
      assert.deepEqual(where('notifications'), [['prod'], ['events']], 'from the resources of its spans');
      assert.deepEqual(where('payments'), [[], []], 'nothing says where payments runs');
      assert.deepEqual(where('database:postgresql/orders'), [[], []], 'peers have no placement');
    });

    it('serves RED series of one edge, from minute and coarser buckets', async () => {
      const edge = (query: string) => get<EdgeRed>(`/api/v1/topology/edges/red?${query}`);
      const payments = await edge(`source=orders&target=payments&from=${from}&to=${to}&step=1m`);
      assert.equal(payments.status, 200);
      assert.equal(payments.body.kind, null);
      assert.deepEqual(payments.body.timestamps, [from, minute, minute + MINUTE]);
      assert.deepEqual(payments.body.series.requests, [0, 40, 0]);
      assert.deepEqual(payments.body.series.errors, [0, 10, 0]);
      assert.deepEqual(payments.body.series.error_rate, [0, 0.25, 0]);
      assert.deepEqual(payments.body.series.rate, [0, Number((40 / 60).toFixed(6)), 0]);
      assert.deepEqual(payments.body.series.p50_ms, [null, 20, null]);

      const db = await edge(
        `source=orders&target=${encodeURIComponent('database:postgresql/orders')}&from=${from}&to=${to}&step=3m`,
      );
      assert.equal(db.status, 200);
      assert.deepEqual(db.body.series.requests, [40]);
      assert.deepEqual(db.body.series.p99_ms, [4]);

      const gateway = await edge(`source=gateway&target=orders&from=${from}&to=${to}`);
      near(gateway.body.series.p95_ms[1]!, exactQuantile(traffic.gatewayToOrders, 0.95), 'edge series p95');

      // Steps of 10 minutes aligned to the hour grid read the 10-minute buckets; an odd step is
      // covered by minutes (and 10-minute buckets where they fit).
      const ten = 10 * MINUTE;
      const tenStart = minute - (minute % ten);
      const coarse = await edge(`source=orders&target=payments&from=${tenStart}&to=${tenStart + 2 * ten}&step=10m`);
      assert.deepEqual(coarse.body.timestamps, [tenStart, tenStart + ten]);
      assert.deepEqual(coarse.body.series.requests, [40, 0]);
      const odd = await edge(
        `source=orders&target=payments&from=${minute - 13 * MINUTE}&to=${minute + 8 * MINUTE}&step=7m`,
      );
      assert.deepEqual(odd.body.series.requests, [0, 40, 0]);
      assert.deepEqual(odd.body.series.errors, [0, 10, 0]);

      const async = await edge(`source=orders&target=notifications&kind=async&from=${from}&to=${to}&step=3m`);
      assert.deepEqual([async.body.kind, async.body.series.requests], ['async', [10]]);
      const sync = await edge(`source=orders&target=notifications&kind=sync&from=${from}&to=${to}`);
      assert.equal(sync.status, 404, 'orders only publishes to notifications');
    });

    it('serves RED series of a service and its operations', async () => {
      const { status, body } = await get<ServiceRed>(`/api/v1/services/orders/red?from=${from}&to=${to}&step=1m`);
      assert.equal(status, 200);
      assert.equal(body.step_ms, MINUTE);
      assert.deepEqual(body.timestamps, [from, minute, minute + MINUTE]);
      assert.deepEqual(body.series.requests, [0, 40, 0]);
      assert.deepEqual(body.series.rate, [0, Number((40 / 60).toFixed(6)), 0]);
      assert.deepEqual(
        body.series.p50_ms.map((v) => v === null),
        [true, false, true],
      );
      const ops = body.operations.map((o) => [o.name, o.span_kind, o.series.requests[1], o.series.errors[1]]);
      assert.deepEqual(ops, [
        ['INSERT orders', 'client', 40, 0],
        ['POST /charge', 'client', 40, 10],
        ['POST /orders', 'server', 40, 0],
        ['order.created', 'producer', 10, 0],
      ]);

      const wide = await get<ServiceRed>(`/api/v1/services/orders/red?from=${from}&to=${to}&step=3m`);
      assert.deepEqual(wide.body.timestamps, [from]);
      assert.deepEqual(wide.body.series.requests, [40]);
      const auto = await get<ServiceRed>(`/api/v1/services/orders/red?from=${from}&to=${to}`);
      assert.equal(auto.body.step_ms, MINUTE, 'a 3-minute window gets 1-minute steps by default');
    });

    it('exports the same traffic under Tempo metric names on /metrics', async () => {
      const text = await (await fetch(`${server.apiUrl}/metrics`)).text();
      const value = (series: string) => {
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.split(' ').pop());
      };
      assert.equal(
        value('traces_service_graph_request_total{client="gateway",server="orders",connection_type=""}'),
        40,
      );
      assert.equal(
        value('traces_service_graph_request_failed_total{client="orders",server="payments",connection_type=""}'),
        10,
      );
      assert.equal(
        value(
          'traces_service_graph_request_total{client="orders",server="postgresql/orders",connection_type="database"}',
        ),
        40,
      );
      assert.equal(
        value(
          'traces_service_graph_request_total{client="orders",server="notifications",connection_type="messaging_system"}',
        ),
        10,
      );
      assert.equal(
        value('traces_service_graph_request_server_seconds_count{client="gateway",server="orders",connection_type=""}'),
        40,
      );
      assert.equal(
        value(
          'traces_service_graph_request_client_seconds_bucket{le="0.016",client="gateway",server="orders",connection_type=""}',
        ),
        2,
        'two calls (10 and 15 ms) under 16 ms',
      );
      assert.equal(
        value(
          'traces_spanmetrics_calls_total{service="payments",span_name="POST /charge",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_ERROR"}',
        ),
        10,
      );
      assert.equal(
        value(
          'traces_spanmetrics_latency_count{service="orders",span_name="POST /orders",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"}',
        ),
        40,
      );
      assert.match(text, /# TYPE traces_spanmetrics_latency histogram/);
      assert.match(text, /signalbox_topology_pending_spans 0/);
    });

    it('refuses bad queries with problem+json naming the field', async () => {
      const cases: [string, number, RegExp][] = [
        [`/api/v1/topology?from=${to}&to=${from}`, 400, /from/],
        ['/api/v1/topology?from=yesterday', 400, /from/],
        ['/api/v1/topology?from=1&to=99999999999999', 400, /window/],
        ['/api/v1/topology?since=1', 400, /since/],
        [`/api/v1/services/orders/red?from=${from}&to=${to}&step=90s`, 400, /step/],
        [`/api/v1/services/orders/red?from=${from}&to=${to}&step=fast`, 400, /step/],
        [`/api/v1/services/orders/red?from=${from - 7 * 24 * 60 * MINUTE}&to=${to}&step=1m`, 400, /step/],
        ['/api/v1/services/nobody/red', 404, /nobody/],
        ['/api/v1/topology/edges/red?source=orders', 400, /target/],
        ['/api/v1/topology/edges/red?source=&target=payments', 400, /source/],
        ['/api/v1/topology/edges/red?source=orders&target=payments&kind=both', 400, /kind/],
        [`/api/v1/topology/edges/red?source=orders&target=payments&from=${from}&to=${to}&step=90s`, 400, /step/],
        [`/api/v1/topology/edges/red?source=orders&target=payments&from=${to}&to=${from}`, 400, /from/],
        [`/api/v1/topology/edges/red?source=payments&target=orders&from=${from}&to=${to}`, 404, /payments/],
      ];
      for (const [path, status, pattern] of cases) {
        const res = await fetch(`${server.apiUrl}${path}`);
        assert.equal(res.status, status, path);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.match(await res.text(), pattern, path);
      }
    });

    it('documents its routes in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${server.apiUrl}/openapi.json`)).json()) as {
        paths: Record<string, { get?: { tags?: string[] } }>;
      };
      assert.deepEqual(doc.paths['/api/v1/topology']?.get?.tags, ['topology']);
      assert.deepEqual(doc.paths['/api/v1/services/{name}/red']?.get?.tags, ['topology']);
      assert.deepEqual(doc.paths['/api/v1/topology/edges/red']?.get?.tags, ['topology']);
    });
  });

  describe(`topology placement from the Kubernetes source [${kind}]`, storeSuiteOptions(kind), () => {
    it('fills namespaces from pods matched to instances, then Services of the same name', async () => {
      const store = await createTestStore(kind);
      const fake = new FakeKubeApiServer();
      const dir = mkdtempSync(join(tmpdir(), 'signalbox-topology-kube-'));
      let server: RunningServer | undefined;
      try {
        const paymentsPod = pod({
          namespace: 'billing',
          name: 'payments-0',
          labels: { app: 'payments' },
          containers: [{ name: 'payments', image: 'payments:1', port: 8080 }],
        });
        fake.apply(paymentsPod);
        fake.apply(service({ namespace: 'finance', name: 'ledger' }));
        // Same name as a service that says where it runs: what the instance says wins.
        fake.apply(service({ namespace: 'default', name: 'gateway' }));
        await fake.listen();
        const kubeconfig = join(dir, 'kubeconfig.yaml');
        writeFileSync(kubeconfig, kubeconfigFor(fake.url, { context: 'fake' }));
        server = await startServer({
          store: store.url,
          kubernetes: { mode: 'kubeconfig', path: kubeconfig },
          kubeContext: 'fake',
          topologyPairWaitMs: 200,
          topologyFlushMs: 100,
        });
        await until('caches synced', async () =>
          (await fetch(`${server!.apiUrl}/readyz`)).status === 200 ? true : undefined,
        );
        // Payments registers by pod IP only: no labels, no environment.
        const podIp = podIPFor('billing/payments-0');
        await register(server.apiUrl, { service: 'payments', address: `${podIp}:8080` });
        await register(server.apiUrl, {
          service: 'gateway',
          address: '10.9.9.9:80',
          labels: { 'k8s.namespace.name': 'edge' },
        });
        await (server.app.modules.get('kubernetes') as KubernetesModule).link!.reconcileNow();

        const module = server.app.modules.get('topology') as TopologyModule;
        const minute = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
        const [client, callee] = call({
          client: 'gateway',
          server: 'payments',
          startMs: minute,
          clientMs: 5,
          serverMs: 4,
        });
        const toLedger = span({
          traceId: callee.traceId,
          parentSpanId: callee.spanId,
          service: 'payments',
          kind: SpanKind.CLIENT,
          startMs: minute + 1,
          durationMs: 2,
          attributes: { 'peer.service': 'ledger' },
        });
        module.spanListener.onSpans([client, callee, toLedger]);
        const apiUrl = server.apiUrl;
        const nodes = await until('namespaces from Kubernetes', async () => {
          const res = await fetch(`${apiUrl}/api/v1/topology?from=${minute}&to=${minute + MINUTE}`);
          const graph = (await res.json()) as Topology;
          const byId = new Map(graph.nodes.map((n) => [n.id, n.namespaces]));
          return byId.get('ledger')?.length && byId.get('payments')?.length ? byId : undefined;
        });
        assert.deepEqual(nodes.get('payments'), ['billing'], 'the pod its instance runs in');
        assert.deepEqual(nodes.get('ledger'), ['finance'], 'a Service of that name');
        assert.deepEqual(nodes.get('gateway'), ['edge'], 'its own label wins');
      } finally {
        await server?.close();
        await fake.close();
        await store.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe(`topology shutdown [${kind}]`, storeSuiteOptions(kind), () => {
    it('flushes what it holds on stop, pending pairs included', async () => {
      const store = await createTestStore(kind);
      try {
        const minute = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
        // Flush and expiry far away: only stop() can store these.
        const first = await startServer({ store: store.url, topologyFlushMs: 600_000, topologyPairWaitMs: 600_000 });
        const module = first.app.modules.get('topology') as TopologyModule;
        const [client, server] = call({ client: 'web', server: 'api', startMs: minute + 5, clientMs: 9, serverMs: 7 });
        const cache = span({
          service: 'api',
          kind: SpanKind.CLIENT,
          parentSpanId: server.spanId,
          traceId: server.traceId,
          startMs: minute + 6,
          durationMs: 1,
          attributes: { 'db.system': 'redis' },
        });
        module.spanListener.onSpans([client]);
        module.spanListener.onSpans([cache, server]);
        await first.close();

        const second = await startServer({ store: store.url });
        try {
          const res = await fetch(`${second.apiUrl}/api/v1/topology?from=${minute}&to=${minute + MINUTE}`);
          const graph = (await res.json()) as Topology;
          assert.deepEqual(
            graph.edges.map((e) => [e.source, e.target, e.requests]),
            [
              ['api', 'database:redis', 1],
              ['web', 'api', 1],
            ],
          );
        } finally {
          await second.close();
        }
      } finally {
        await store.cleanup();
      }
    });
  });
}

// The same path the demo fleet takes: real OpenTelemetry SDK tracers, one per service, export
// OTLP/HTTP protobuf to the receiver; the telemetry module commits and hands the spans on.
describe('topology from spans sent through the OTLP receiver', () => {
  for (const kind of STORE_KINDS) {
    it(`builds edges and peers from exported spans [${kind}]`, storeSuiteOptions(kind), async () => {
      const store = await createTestStore(kind);
      // The SDK exports each span on its own as it ends: give partners room to arrive apart on a
      // loaded machine before the database edge (a wait that must end) shows up.
      const server = await startServer({ store: store.url, topologyPairWaitMs: 3000, topologyFlushMs: 200 });
      try {
        const providers = ['web', 'api', 'worker'].map(
          (service) =>
            new BasicTracerProvider({
              resource: resourceFromAttributes({ 'service.name': service }),
              spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.otlpUrl}/v1/traces` }))],
            }),
        );
        const [web, api, worker] = providers.map((p) => p.getTracer('topology-test'));
        const started = Date.now();
        for (let i = 0; i < 5; i++) {
          const client = web!.startSpan('GET /api/items', { kind: OtelSpanKind.CLIENT });
          const server = api!.startSpan(
            'GET /items',
            { kind: OtelSpanKind.SERVER },
            trace.setSpan(ROOT_CONTEXT, client),
          );
          const inServer = trace.setSpan(ROOT_CONTEXT, server);
          const query = api!.startSpan(
            'SELECT items',
            { kind: OtelSpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.name': 'items' } },
            inServer,
          );
          query.end();
          const publish = api!.startSpan(
            'items.viewed publish',
            {
              kind: OtelSpanKind.PRODUCER,
              attributes: { 'messaging.system': 'nats', 'messaging.destination.name': 'items.viewed' },
            },
            inServer,
          );
          const consume = worker!.startSpan(
            'items.viewed process',
            { kind: OtelSpanKind.CONSUMER },
            trace.setSpan(ROOT_CONTEXT, publish),
          );
          consume.end();
          publish.end();
          if (i === 0) server.setStatus({ code: SpanStatusCode.ERROR });
          server.end();
          client.end();
        }
        await Promise.all(providers.map((p) => p.forceFlush()));
        await Promise.all(providers.map((p) => p.shutdown()));

        const from = started - MINUTE;
        const to = Date.now() + MINUTE;
        const graph = await until('the three edges and the database', async () => {
          const res = await fetch(`${server.apiUrl}/api/v1/topology?from=${from}&to=${to}`);
          const body = (await res.json()) as Topology;
          // Each database call's wait for a partner ends on its own: the edge can show before all
          // five are counted, so wait for all fifteen calls, then check how they split.
          const requests = body.edges.reduce((sum, e) => sum + e.requests, 0);
          return body.edges.length === 3 && requests >= 15 ? body : undefined;
        });
        assert.deepEqual(
          graph.edges.map((e) => [e.source, e.target, e.kind, e.requests, e.errors]),
          [
            ['api', 'database:postgresql/items', 'sync', 5, 0],
            ['api', 'worker', 'async', 5, 0],
            ['web', 'api', 'sync', 5, 1],
          ],
        );
        assert.deepEqual(
          graph.nodes.map((n) => [n.id, n.type, n.requests]),
          [
            ['api', 'service', 5],
            ['database:postgresql/items', 'database', 5],
            ['web', 'service', 5],
            ['worker', 'service', 5],
          ],
        );
      } finally {
        await server.close();
        await store.cleanup();
      }
    });
  }
});

for (const kind of STORE_KINDS) {
  describe(`topology flush failures [${kind}]`, storeSuiteOptions(kind), () => {
    it('keeps the buckets of a failed flush and stores them with the next one', async () => {
      const store = await createTestStore(kind);
      const server = await startServer({ store: store.url, topologyFlushMs: 600_000 });
      try {
        const module = server.app.modules.get('topology') as TopologyModule;
        const db = server.app.context.store.db;
        const minute = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
        const root = () => span({ service: 'billing', kind: SpanKind.SERVER, startMs: minute + 10, durationMs: 3 });
        module.spanListener.onSpans([root(), root()]);
        // A real failure: the last table the flush writes to is gone for a moment, so the rows
        // already written to the others in that flush must be taken back with it.
        await sql`alter table topology_operation_minutes rename to topology_operation_minutes_away`.execute(db);
        await module.flush();
        await sql`alter table topology_operation_minutes_away rename to topology_operation_minutes`.execute(db);
        module.spanListener.onSpans([root()]);
        await module.flush();
        const res = await fetch(`${server.apiUrl}/api/v1/services/billing/red?from=${minute}&to=${minute + MINUTE}`);
        const body = (await res.json()) as ServiceRed;
        assert.deepEqual(body.series.requests, [3], 'nothing lost, nothing counted twice');
        assert.deepEqual(body.operations[0]?.series.requests, [3]);
        const metrics = await (await fetch(`${server.apiUrl}/metrics`)).text();
        assert.match(metrics, /signalbox_topology_flush_failures_total 1/);
      } finally {
        await server.close();
        await store.cleanup();
      }
    });
  });
}
