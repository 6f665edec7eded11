// The fleet as processes, in one file so these heavy tests never run beside each other.
//
// First `npm run demo` as a person runs it on a laptop: no PostgreSQL, no NATS; the control
// plane, the event broker, the six services, the load generator and the dashboard come up with
// prefixed output, and Ctrl-C stops all of them, leaving nothing listening.
//
// Then the fleet checked through the control plane's REST API: the six services as child
// processes under the agent (events over NATS JetStream, data in PostgreSQL schemas of their
// own), the real control plane in this process on a temp SQLite store, load for a few seconds,
// then what an operator would look at — registry, traces, topology, logs — and what happens
// when a service is killed. (The control plane on PostgreSQL is the server's own tests' job.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { type RunningServer, startServer } from '../../server/test/helpers/server.js';
import { createTestStore, type TestStore } from '../../server/test/helpers/stores.js';
import { fleetProcesses } from '../src/fleet.js';
import { runLoad } from '../src/loadgen/load.js';
import { TEST_CARDS } from '../src/services/payments.js';
import { SERVICES, type ServiceName } from '../src/settings.js';
import { deleteStream, NATS_URL, natsSkip, uniqueSubjectPrefix } from './helpers/nats.js';
import { databaseSuiteOptions, dropSchemas, POSTGRES_URL, uniqueSchemaPrefix } from './helpers/postgres.js';
import { freePortBlock, freePorts, listening, type ProcessGroup, spawnFleet } from './helpers/processes.js';
import { until } from './helpers/until.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'demo-loadgen-token';
const CHECK_INTERVAL_MS = 1000;
const UNHEALTHY_THRESHOLD = 3; // the control plane's default for a registered check

interface Span {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: string;
  status: string;
  attributes: Record<string, unknown>;
}
interface TopologyNode {
  id: string;
  name: string;
  type: string;
  requests: number;
  errors: number;
  error_rate: number;
}
interface Topology {
  nodes: TopologyNode[];
  edges: { source: string; target: string; kind: 'sync' | 'async'; requests: number }[];
}

function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

test('npm run demo starts everything without PostgreSQL or NATS, and Ctrl-C stops it all', {
  timeout: 400_000,
}, async () => {
  const [apiPort, otlpPort, webPort] = (await freePorts(3)) as [number, number, number];
  const base = await freePortBlock(7);
  const dir = mkdtempSync(join(tmpdir(), 'demo-command-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SIGNALBOX_API_PORT: String(apiPort),
    SIGNALBOX_OTLP_PORT: String(otlpPort),
    SIGNALBOX_WEB_PORT: String(webPort),
    SIGNALBOX_STORE: `sqlite:${join(dir, 'demo.db')}`,
    DEMO_PORT_BASE: String(base),
    DEMO_DATA_DIR: join(dir, 'shop'),
    DEMO_LOAD_RATE: '8',
    DEMO_LOAD_DURATION: '5m',
  };
  delete env['NATS_URL'];
  delete env['DEMO_POSTGRES_URL'];
  const demo = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(demo, 'exit');
  const lines: string[] = [];
  let pending = '';
  const keep = (chunk: Buffer) => {
    const parts = (pending + stripVTControlCharacters(chunk.toString())).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) if (line) lines.push(line);
  };

  demo.stdout.on('data', keep);
  demo.stderr.on('data', keep);
  const ports = [apiPort, otlpPort, webPort, ...Array.from({ length: 7 }, (_, i) => base + i)];

  try {
    // The first run also builds the dashboard (about a minute; later runs reuse the build).
    const deadline = Date.now() + 300_000;
    const seen = (prefix: string, text: RegExp) => lines.some((l) => l.startsWith(prefix) && text.test(l));
    for (;;) {
      assert.equal(demo.exitCode, null, `the demo exited early:\n${lines.slice(-40).join('\n')}`);
      let passing: string[] = [];
      try {
        const response = await fetch(`http://127.0.0.1:${apiPort}/api/v1/services`);
        const { services } = (await response.json()) as { services: { name: string; status: string }[] };
        passing = services.filter((s) => s.status === 'passing').map((s) => s.name);
      } catch {
        // the control plane is still starting
      }
      const dashboard = await fetch(`http://127.0.0.1:${webPort}/`).then(
        (r) => r.status < 500,
        () => false,
      );
      // Orders confirmed and e-mails sent: the load runs and events cross the fallback broker.
      if (
        dashboard &&
        SERVICES.every((s) => passing.includes(s)) &&
        seen('orders', /order confirmed/) &&
        seen('notifications', /e-mail queued/)
      ) {
        break;
      }
      assert.ok(Date.now() < deadline, `the demo did not come up:\n${lines.slice(-60).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(seen('broker', /event broker listening/), 'the fallback broker runs when NATS_URL is not set');
    assert.ok(seen('load', /load: 8\/s against/), 'the load generator runs');
    assert.ok(
      lines.some((l) => /Shop +http:\/\/127\.0\.0\.1:\d+\/api\/products/.test(l)),
      'the shop address is printed',
    );
  } finally {
    demo.kill('SIGINT');
  }
  const [code] = await exited;
  assert.equal(code, 0, lines.slice(-30).join('\n'));
  for (const port of ports) assert.equal(await listening(port), false, `port ${port} is still taken after Ctrl-C`);
  rmSync(dir, { recursive: true, force: true });
});

// The services keep their data in PostgreSQL here (so the pg instrumentation's spans are part of
// the picture; the demo test above covers their SQLite files), on a laptop without it in SQLite.
const kind = databaseSuiteOptions('postgres').skip ? 'sqlite' : 'postgres';

describe(`the demo fleet with NATS: control plane on SQLite, services on ${kind}`, {
  skip: natsSkip.skip,
  timeout: 150_000,
}, () => {
  let store: TestStore;
  let server: RunningServer;
  let fleet: ProcessGroup;
  let gateway: string;
  let dataDir: string;
  const subjectPrefix = uniqueSubjectPrefix();
  const schemaPrefix = uniqueSchemaPrefix();
  const loadStartedAt = Date.now();

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${server.apiUrl}/api/v1${path}`);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const shop = async (method: string, path: string, body?: unknown, traceId?: string) => {
    // Another client than the load generator: its own rate-limit bucket.
    const headers: Record<string, string> = {
      authorization: 'Bearer demo-web-token',
      'content-type': 'application/json',
    };
    // The test plays an instrumented client: it picks the trace id, so it can look the trace up.
    if (traceId) headers['traceparent'] = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const response = await fetch(gateway + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const traceWith = (traceId: string, complete: (spans: Span[]) => boolean) =>
    until(
      `trace ${traceId}`,
      20_000,
      async () => {
        const { spans } = await api<{ spans: Span[] }>(`/traces/${traceId}`);
        return complete(spans) ? spans : undefined;
      },
      () => fleet.tail(5),
    );
  const topology = () => api<Topology>(`/topology?from=${loadStartedAt - 60_000}`);

  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServer({ store: store.url, topologyPairWaitMs: 1000, topologyFlushMs: 500 });
    dataDir = mkdtempSync(join(tmpdir(), 'demo-fleet-'));
    const ports = await freePorts(SERVICES.length);
    const portOf = Object.fromEntries(SERVICES.map((s, i) => [s, ports[i]])) as Record<ServiceName, number>;
    gateway = `http://127.0.0.1:${portOf.gateway}`;
    fleet = spawnFleet(
      fleetProcesses({
        controlPlaneUrl: server.apiUrl,
        otlpEndpoint: server.otlpUrl,
        dataDir,
        natsUrl: NATS_URL,
        ports: portOf,
        load: false,
        extraEnv: {
          DEMO_SUBJECT_PREFIX: subjectPrefix,
          DEMO_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS),
          DEMO_HEARTBEAT_TTL_MS: '3000',
          // Export often, so the test reads its traces and logs within a second.
          OTEL_BSP_SCHEDULE_DELAY: '200',
          OTEL_BLRP_SCHEDULE_DELAY: '200',
          SIGNALBOX_AGENT_LOG_LEVEL: 'warn',
          ...(kind === 'postgres' ? { DEMO_POSTGRES_URL: POSTGRES_URL, DEMO_SCHEMA_PREFIX: schemaPrefix } : {}),
        },
      }),
    );
    await until(
      'all six services passing',
      60_000,
      async () => {
        const { services } = await api<{ services: { name: string; status: string }[] }>('/services');
        const passing = services.filter((s) => s.status === 'passing').map((s) => s.name);
        return SERVICES.every((s) => passing.includes(s)) ? services : undefined;
      },
      () => fleet.tail(),
    );
  });

  after(async () => {
    await fleet?.stopAll();
    await server?.close();
    await store?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await deleteStream(subjectPrefix).catch(() => undefined);
    if (kind === 'postgres') await dropSchemas(schemaPrefix).catch(() => undefined);
  });

  test('every service registered and passing, with its checks', async () => {
    const { services } = await api<{ services: { name: string; status: string; instances: number }[] }>('/services');
    for (const name of SERVICES) {
      const service = services.find((s) => s.name === name);
      assert.equal(service?.status, 'passing', `${name}: ${JSON.stringify(service)}`);
      assert.equal(service?.instances, 1);
    }
  });

  let confirmedTrace: string;
  let declinedTrace: string;

  test('load, and an order traced gateway → orders → inventory, payments with events to notifications', async () => {
    const load = runLoad({ target: gateway, token: TOKEN, rate: 12, durationMs: 5000, declineRate: 0.4 });
    const user = await shop('POST', '/api/users', { email: `tracer-${Date.now()}@example.test`, name: 'Tracer' });
    assert.equal(user.status, 201);
    confirmedTrace = newTraceId();
    const placed = await shop(
      'POST',
      '/api/orders',
      { user_id: user.body['id'], items: [{ sku: 'SD-009', quantity: 1 }], card: { number: TEST_CARDS.approved } },
      confirmedTrace,
    );
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    declinedTrace = newTraceId();
    const declined = await shop(
      'POST',
      '/api/orders',
      { user_id: user.body['id'], items: [{ sku: 'WC-007', quantity: 2 }], card: { number: TEST_CARDS.declined } },
      declinedTrace,
    );
    assert.equal(declined.status, 402, JSON.stringify(declined.body));
    const report = await load;
    assert.ok(report.requests > 30, `load sent ${report.requests} requests`);
    assert.ok((report.responses['201'] ?? 0) > 0 && (report.responses['402'] ?? 0) > 0, JSON.stringify(report));

    const spans = await traceWith(confirmedTrace, (all) =>
      ['payments', 'inventory', 'notifications', 'users'].every((s) => all.some((span) => span.service === s)),
    );
    const byId = new Map(spans.map((s) => [s.span_id, s]));
    const within = (span: Span, ancestor: Span) => {
      for (let at: Span | undefined = span; at; at = at.parent_span_id ? byId.get(at.parent_span_id) : undefined) {
        if (at.span_id === ancestor.span_id) return true;
      }
      return false;
    };
    /** A SERVER span of `callee` whose parent is a CLIENT span of `caller` inside `callerServer`. */
    const calledBy = (callee: string, callerServer: Span, path: RegExp) => {
      const found = spans.find((s) => {
        if (s.service !== callee || s.kind !== 'server') return false;
        const client = s.parent_span_id ? byId.get(s.parent_span_id) : undefined;
        return (
          client?.kind === 'client' &&
          client.service === callerServer.service &&
          within(client, callerServer) &&
          path.test(
            String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? s.attributes['http.route'] ?? s.name),
          )
        );
      });
      assert.ok(
        found,
        `no ${callee} SERVER span called from ${callerServer.service}; spans: ${spans.map((s) => `${s.service}:${s.kind}:${s.name}`).join(', ')}`,
      );
      return found;
    };
    const gatewayServer = spans.find((s) => s.service === 'gateway' && s.kind === 'server');
    assert.ok(gatewayServer, 'gateway SERVER span');
    const ordersServer = calledBy('orders', gatewayServer, /\/orders/);
    const inventoryServer = calledBy('inventory', ordersServer, /\/reservations/);
    const paymentsServer = calledBy('payments', ordersServer, /\/payments/);
    // Their own databases, inside their requests.
    for (const server of [ordersServer, inventoryServer, paymentsServer]) {
      // Either name: the pg instrumentation's and our SQLite spans' (db.system.name), or the older db.system.
      const query = spans.find(
        (s) =>
          s.service === server.service &&
          s.kind === 'client' &&
          (s.attributes['db.system.name'] ?? s.attributes['db.system']) !== undefined &&
          within(s, server),
      );
      assert.ok(query, `${server.service} has a database span in its request`);
    }
    // order.confirmed: a PRODUCER in orders, CONSUMER children in notifications and users.
    const producer = spans.find(
      (s) =>
        s.service === 'orders' &&
        s.kind === 'producer' &&
        String(s.attributes['messaging.destination.name']).endsWith('.order.confirmed'),
    );
    assert.ok(producer, 'order.confirmed PRODUCER span');
    assert.equal(producer.attributes['messaging.system'], 'nats');
    assert.ok(within(producer, ordersServer));
    const consumers = spans.filter((s) => s.kind === 'consumer' && s.parent_span_id === producer.span_id);
    assert.deepEqual(consumers.map((s) => s.service).sort(), ['notifications', 'users']);
  });

  test('a saga that failed at payment shows its compensation, in the same trace', async () => {
    const spans = await traceWith(declinedTrace, (all) =>
      all.some(
        (s) =>
          s.service === 'notifications' &&
          String(s.attributes['messaging.destination.name']).endsWith('order.cancelled'),
      ),
    );
    const saga = spans.find((s) => s.name === 'saga place-order');
    assert.ok(saga);
    assert.equal(saga.attributes['saga.failed_step'], 'charge-payment');
    const steps = spans
      .filter((s) => s.parent_span_id === saga.span_id)
      .map(
        (s) => `${s.attributes['saga.compensation'] === true ? 'undo' : 'do'} ${s.attributes['saga.step']} ${s.status}`,
      );
    assert.deepEqual(steps.sort(), [
      'do charge-payment error',
      'do create-order unset',
      'do reserve-inventory unset',
      'undo cancel-order unset',
      'undo release-inventory unset',
    ]);
    const release = spans.find((s) => s.name === 'saga place-order compensate release-inventory');
    assert.ok(release);
    const releasedAt = spans.find(
      (s) =>
        s.service === 'inventory' &&
        s.kind === 'server' &&
        /release/.test(String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? s.name)) &&
        s.parent_span_id !== null &&
        spans.find((c) => c.span_id === s.parent_span_id)?.service === 'orders',
    );
    assert.ok(releasedAt, 'inventory handled the release within the trace');
    const declinedAt = spans.find((s) => s.service === 'payments' && s.kind === 'server');
    assert.equal(
      declinedAt?.attributes['http.response.status_code'] ?? declinedAt?.attributes['http.status_code'],
      402,
    );
  });

  test('the topology has the sync and async edges and the databases', async () => {
    const expectedSync = [
      'gateway→orders',
      'gateway→users',
      'gateway→inventory',
      'orders→inventory',
      'orders→payments',
    ];
    const expectedAsync = [
      'users→notifications',
      'orders→notifications',
      'orders→users',
      'inventory→notifications',
      'payments→notifications',
    ];
    const graph = await until(
      'topology edges',
      20_000,
      async () => {
        const t = await topology();
        const sync = t.edges.filter((e) => e.kind === 'sync').map((e) => `${e.source}→${e.target}`);
        const async_ = t.edges.filter((e) => e.kind === 'async').map((e) => `${e.source}→${e.target}`);
        return expectedSync.every((e) => sync.includes(e)) && expectedAsync.every((e) => async_.includes(e))
          ? t
          : undefined;
      },
      () => JSON.stringify((globalThis as { lastTopology?: unknown }).lastTopology ?? {}),
    ).catch(async (error) => {
      const t = await topology();
      throw new Error(
        `${(error as Error).message}\nedges: ${t.edges.map((e) => `${e.source}→${e.target} ${e.kind}`).join(', ')}`,
      );
    });
    const databases = graph.nodes.filter((n) => n.type === 'database');
    const system = kind === 'postgres' ? 'postgresql' : 'sqlite';
    assert.ok(
      databases.some((n) => n.name.startsWith(system)),
      `database nodes: ${databases.map((n) => n.id).join(', ')}`,
    );
    for (const service of ['users', 'orders', 'payments', 'inventory', 'notifications']) {
      assert.ok(
        graph.edges.some((e) => e.source === service && databases.some((d) => d.id === e.target)),
        `${service} → its database`,
      );
    }
  });

  test('logs carry trace ids that resolve to stored traces', async () => {
    const { logs } = await until('order logs', 10_000, async () => {
      const found = await api<{ logs: { trace_id: string | null; span_id: string | null; body: string }[] }>(
        '/logs?service=orders&contains=order%20confirmed&limit=20',
      );
      return found.logs.length > 0 ? found : undefined;
    });
    const correlated = logs.filter((l) => l.trace_id && l.span_id);
    assert.ok(correlated.length > 0, 'the order logs carry trace and span ids');
    // The newest lines may be exported before their span has ended and been sent: wait for it.
    for (const log of correlated.slice(0, 3)) {
      await until(`span ${log.span_id} of log in trace ${log.trace_id}`, 10_000, async () => {
        const trace = await api<{ spans: Span[] }>(`/traces/${log.trace_id}`);
        return trace.spans.some((s) => s.span_id === log.span_id && s.service === 'orders') ? true : undefined;
      });
    }
    const ofTrace = await api<{ logs: { body: string }[] }>(`/traces/${confirmedTrace}/logs`);
    assert.ok(
      ofTrace.logs.some((l) => /order confirmed/.test(l.body)),
      'the traced order has its log line',
    );
  });

  test('a killed service turns critical within its thresholds and its callers fail more', async () => {
    const errorRate = (t: Topology, id: string) => t.nodes.find((n) => n.id === id)?.error_rate ?? 0;
    const before = await topology();
    await fleet.kill('payments');
    const killedAt = Date.now();
    await until('payments critical', 15_000, async () => {
      const detail = await api<{ status: string }>('/services/payments');
      return detail.status === 'critical' ? true : undefined;
    });
    const took = Date.now() - killedAt;
    // Failing probes: threshold × interval, plus probe timeouts, jitter and a busy machine's lag.
    assert.ok(took <= UNHEALTHY_THRESHOLD * CHECK_INTERVAL_MS + 5000, `critical after ${took} ms`);

    const report = await runLoad({
      target: gateway,
      token: TOKEN,
      rate: 12,
      durationMs: 3000,
      mix: { browse: 0, signUp: 0.1, placeOrder: 0.9, viewOrder: 0 },
    });
    assert.ok((report.responses['503'] ?? 0) > 0, `orders fail without payments: ${JSON.stringify(report.responses)}`);
    await until(
      'error rates of orders and gateway rise',
      15_000,
      async () => {
        const now = await topology();
        return errorRate(now, 'orders') > errorRate(before, 'orders') &&
          errorRate(now, 'gateway') > errorRate(before, 'gateway')
          ? true
          : undefined;
      },
      () => `before: orders ${errorRate(before, 'orders')}, gateway ${errorRate(before, 'gateway')}`,
    );
  });
});
