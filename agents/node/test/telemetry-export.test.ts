// What reaches a real control plane: traces with the right resource attributes (Kubernetes ones
// from the downward-API variables), W3C trace context across an HTTP hop, pino log records bound
// to their spans, pg queries traced although pg was imported before start(), and none of the
// agent's own traffic (registration, heartbeats, exports, health probes).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
// Imported before the agent starts, as an ES module service does: the agent patches it anyway.
import pg from 'pg';
import { type Agent, start } from '../src/agent.js';
import { ControlPlane, eventually } from './helpers/control-plane.js';
import { POSTGRES_URL, postgresSkip } from './helpers/dependencies.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';
import { fastOptions, recordingLogger } from './helpers/service.js';

keepEventLoopAlive();

interface StoredSpan {
  span_id: string;
  parent_span_id: string | null;
  status: string;
  status_message: string | null;
  events: { name: string; attributes: Record<string, unknown> }[];
  service: string;
  name: string;
  kind: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: { name: string };
}
interface StoredLog {
  body: string;
  severity_number: number;
  severity_text: string;
  trace_id: string | null;
  span_id: string | null;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

const SERVICE = 'agent-telemetry-test';
const POD = { POD_NAME: 'agent-telemetry-test-7d9f-x1', POD_NAMESPACE: 'shop', NODE_NAME: 'node-a', POD_UID: 'uid-1' };

describe('telemetry at a real control plane', () => {
  let controlPlane: ControlPlane;
  let agent: Agent;
  let app: FastifyInstance;
  let base: string;
  let pool: pg.Pool | undefined;
  const stdout: string[] = [];

  before(async () => {
    controlPlane = await ControlPlane.reserve();
    await controlPlane.start();
    agent = start(
      fastOptions({
        service: SERVICE,
        controlPlane: controlPlane.apiUrl,
        otlpEndpoint: controlPlane.otlpUrl,
        logger: recordingLogger(),
        env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', ...POD },
      }),
    );
    const logger = agent.createLogger({ level: 'info' }, { write: (line: string) => void stdout.push(line) });
    app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    agent.mountHealth(app);
    app.get('/work', async (request) => {
      request.log.info({ order_id: 42 }, 'working on an order');
      const inner = await fetch(`${base}/inner`);
      return {
        traceId: trace.getActiveSpan()?.spanContext().traceId,
        seen: ((await inner.json()) as { traceparent: string }).traceparent,
      };
    });
    app.get('/inner', async (request) => ({ traceparent: request.headers.traceparent }));
    app.get('/broken', async () => {
      throw new Error('ledger unavailable');
    });
    app.get<{ Querystring: { n?: string } }>(
      '/validated',
      { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
      async () => ({ ok: true }),
    );
    // A body is read from socket events, outside the request's context: the handler must still run inside it.
    app.post<{ Body: { sku: string } }>('/orders', async (request) => {
      request.log.info({ sku: request.body.sku }, 'placing an order');
      const inner = await fetch(`${base}/inner`);
      return {
        traceId: trace.getActiveSpan()?.spanContext().traceId,
        seen: ((await inner.json()) as { traceparent: string }).traceparent,
      };
    });
    app.get('/db', async () => {
      pool ??= new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
      const { rows } = await pool.query('SELECT 1 AS one');
      return { traceId: trace.getActiveSpan()?.spanContext().traceId, rows };
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  after(async () => {
    await app?.close();
    await pool?.end();
    await agent?.shutdown({ timeoutMs: 2_000 });
    await controlPlane.dispose();
  });

  async function storedTrace(traceId: string, minSpans: number): Promise<StoredSpan[]> {
    return eventually(`trace ${traceId} with ${minSpans} spans`, async () => {
      const { status, body } = await controlPlane.get<{ spans: StoredSpan[] }>(`/api/v1/traces/${traceId}`);
      return status === 200 && body.spans.length >= minSpans ? body.spans : undefined;
    });
  }

  async function callWork(): Promise<{ traceId: string; seen: string }> {
    const response = await fetch(`${base}/work`);
    assert.equal(response.status, 200);
    return (await response.json()) as { traceId: string; seen: string };
  }

  it('sends traces with the service, version, environment, instance, host and pod', async () => {
    const { traceId } = await callWork();
    // The test's own fetch (a client span: this process runs the agent), the SERVER span of /work,
    // the fetch to /inner and the SERVER span of /inner.
    const spans = await storedTrace(traceId, 4);
    const servers = spans.filter((s) => s.kind === 'server' && s.attributes['http.route'] === '/work');
    // One SERVER span per request: Fastify's, named after the route (the http layer stays out).
    assert.equal(
      servers.length,
      1,
      `server spans: ${spans.map((s) => `${s.kind}:${s.name}:${s.scope.name}`).join(', ')}`,
    );
    const server = servers[0];
    assert.ok(server);
    assert.equal(server.name, 'GET /work');
    assert.equal(server.scope.name, '@signalbox/agent/fastify');
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.attributes['http.request.method'], 'GET');
    assert.equal(server.attributes['url.path'], '/work');
    assert.equal(server.attributes['url.scheme'], 'http');
    assert.equal(server.status, 'unset');
    assert.equal(server.service, SERVICE);
    const resource = server.resource;
    assert.equal(resource['service.name'], SERVICE);
    assert.equal(resource['service.version'], '1.2.3');
    assert.equal(resource['deployment.environment.name'], 'test');
    assert.equal(resource['service.instance.id'], agent.instanceId);
    assert.equal(agent.instanceId, POD.POD_NAME);
    assert.equal(resource['k8s.pod.name'], POD.POD_NAME);
    assert.equal(resource['k8s.namespace.name'], 'shop');
    assert.equal(resource['k8s.node.name'], 'node-a');
    assert.equal(resource['k8s.pod.uid'], 'uid-1');
    assert.equal(typeof resource['host.name'], 'string');
    assert.equal(resource['telemetry.sdk.language'], 'nodejs');
  });

  it('registers with the pod labels the Kubernetes source links instances by', async () => {
    const instance = await eventually('the registration', async () => {
      const { status, body } = await controlPlane.get<{ labels: Record<string, string> }>(
        `/api/v1/instances/${agent.instanceId}`,
      );
      return status === 200 ? body : undefined;
    });
    assert.equal(instance.labels['k8s.pod.name'], POD.POD_NAME);
    assert.equal(instance.labels['k8s.namespace.name'], 'shop');
  });

  it('carries W3C trace context across the outgoing call', async () => {
    const { traceId, seen } = await callWork();
    const spans = await storedTrace(traceId, 4);
    const client = spans.find((s) => s.kind === 'client' && String(s.attributes['url.full']).endsWith('/inner'));
    assert.ok(client, 'a client span for the fetch to /inner');
    assert.equal(seen, `00-${traceId}-${client.span_id}-01`);
    const innerServer = spans.find((s) => s.kind === 'server' && s.attributes['http.route'] === '/inner');
    assert.equal(innerServer?.parent_span_id, client.span_id);
  });

  it("continues the caller's trace from its traceparent header", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    // Sent from outside any span (the test's own fetch would otherwise trace and inject its own).
    const body = await context.with(suppressTracing(context.active()), async () => {
      const response = await fetch(`${base}/inner?from=test`, {
        headers: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'vendor=x' },
      });
      assert.equal(response.status, 200);
      return (await response.json()) as { traceparent: string };
    });
    assert.equal(body.traceparent, `00-${traceId}-${parentId}-01`);
    const spans = await storedTrace(traceId, 1);
    const server = spans.find((s) => s.kind === 'server' && s.name === 'GET /inner');
    assert.ok(server, `a GET /inner server span among ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(server.parent_span_id, parentId);
    assert.equal(server.attributes['url.path'], '/inner');
    assert.equal(server.attributes['http.route'], '/inner');
  });

  it('marks 5xx answers as errors with the exception, and leaves 4xx answers unset', async () => {
    const traceparent = (traceId: string) => `00-${traceId}-00f067aa0ba902b7-01`;
    const failing = 'aaf92f3577b34da6a3ce929d0e0e4736';
    const refused = 'bbf92f3577b34da6a3ce929d0e0e4736';
    const unknown = 'ccf92f3577b34da6a3ce929d0e0e4736';
    await context.with(suppressTracing(context.active()), async () => {
      assert.equal((await fetch(`${base}/broken`, { headers: { traceparent: traceparent(failing) } })).status, 500);
      assert.equal(
        (await fetch(`${base}/validated?n=x`, { headers: { traceparent: traceparent(refused) } })).status,
        400,
      );
      assert.equal((await fetch(`${base}/nowhere`, { headers: { traceparent: traceparent(unknown) } })).status, 404);
    });
    const [broken] = await storedTrace(failing, 1);
    assert.equal(broken?.name, 'GET /broken');
    assert.equal(broken.status, 'error');
    assert.equal(broken.status_message, 'ledger unavailable');
    assert.equal(broken.attributes['http.response.status_code'], 500);
    assert.equal(broken.attributes['error.type'], 'Error');
    const exception = broken.events.find((e) => e.name === 'exception');
    assert.equal(exception?.attributes['exception.message'], 'ledger unavailable');
    const [validated] = await storedTrace(refused, 1);
    assert.equal(validated?.attributes['http.response.status_code'], 400);
    assert.equal(validated.status, 'unset');
    const [missing] = await storedTrace(unknown, 1);
    // No route matched: the span is named by the method alone and has no http.route.
    assert.equal(missing?.name, 'GET');
    assert.equal(missing.attributes['http.response.status_code'], 404);
    assert.equal(missing.attributes['http.route'], undefined);
    assert.equal(missing.status, 'unset');
  });

  it('sends pino records bound to the span that logged them', async () => {
    const { traceId } = await callWork();
    const spans = await storedTrace(traceId, 4);
    const logs = await eventually('the log records of the trace', async () => {
      const { body } = await controlPlane.get<{ logs: StoredLog[] }>(`/api/v1/traces/${traceId}/logs`);
      return body.logs.some((l) => l.body === 'working on an order') ? body.logs : undefined;
    });
    const record = logs.find((l) => l.body === 'working on an order');
    assert.ok(record);
    assert.equal(record.trace_id, traceId);
    assert.ok(
      spans.some((s) => s.span_id === record.span_id),
      'the record names a span of the trace',
    );
    assert.equal(record.severity_number, 9);
    assert.equal(record.severity_text, 'info');
    assert.equal(record.attributes['order_id'], 42);
    assert.equal(record.resource['service.name'], SERVICE);
    // The same line on stdout carries the ids for whoever reads the raw logs.
    const line = stdout
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'working on an order' && l['trace_id'] === traceId);
    assert.equal(line?.['span_id'], record.span_id);
  });

  it('keeps the request span active in a handler that reads a body', async () => {
    // The body arrives in a later packet than the headers, as a slow client's or a large one does.
    const { status, text } = await context.with(
      suppressTracing(context.active()),
      () =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const request = httpRequest(`${base}/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': 18 },
          });
          request.on('response', (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => {
              text += chunk.toString();
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          });
          request.on('error', reject);
          request.flushHeaders();
          setTimeout(() => request.end('{"sku":"sku-1001"}'), 50);
        }),
    );
    assert.equal(status, 200);
    const { traceId, seen } = JSON.parse(text) as { traceId: string | undefined; seen: string };
    assert.ok(traceId, 'the handler saw an active span');
    const spans = await storedTrace(traceId, 3);
    const server = spans.find((s) => s.kind === 'server' && s.name === 'POST /orders');
    assert.ok(server, `a POST /orders server span among ${spans.map((s) => s.name).join(', ')}`);
    const client = spans.find((s) => s.kind === 'client' && String(s.attributes['url.full']).endsWith('/inner'));
    assert.equal(client?.parent_span_id, server.span_id, "the handler's fetch is a child of the request span");
    assert.equal(seen, `00-${traceId}-${client?.span_id}-01`);
    const logs = await eventually("the handler's log record", async () => {
      const { body } = await controlPlane.get<{ logs: StoredLog[] }>(`/api/v1/traces/${traceId}/logs`);
      return body.logs.find((l) => l.body === 'placing an order');
    });
    assert.equal(logs.span_id, server.span_id);
  });

  it('traces pg queries although pg was imported before start()', postgresSkip, async () => {
    const response = await fetch(`${base}/db`);
    assert.equal(response.status, 200);
    const { traceId } = (await response.json()) as { traceId: string };
    const spans = await eventually('a pg span', async () => {
      const { status, body } = await controlPlane.get<{ spans: StoredSpan[] }>(`/api/v1/traces/${traceId}`);
      return status === 200 && body.spans.some((s) => s.scope.name.includes('instrumentation-pg'))
        ? body.spans
        : undefined;
    });
    const query = spans.find((s) => s.scope.name.includes('instrumentation-pg') && s.name.startsWith('pg.query'));
    assert.ok(query, `a pg.query span among ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(query.kind, 'client');
    assert.equal(query.attributes['db.system'] ?? query.attributes['db.system.name'], 'postgresql');
  });

  it('never traces its own traffic: registration, heartbeats, exports and health probes', async () => {
    await callWork();
    // Let the control plane probe /readyz and take a few heartbeats and exports first.
    await eventually('the instance to pass its readiness probes', async () => {
      const { body } = await controlPlane.get<{ status: string }>(`/api/v1/instances/${agent.instanceId}`);
      return body.status === 'passing' ? true : undefined;
    });
    await eventually('several heartbeats', () =>
      (agent.stats().controlPlane?.heartbeats ?? 0) >= 3 ? true : undefined,
    );
    await agent.flush(2_000);
    const { body } = await controlPlane.get<{ traces: { trace_id: string }[] }>(
      `/api/v1/traces?service=${SERVICE}&limit=1000&from=0`,
    );
    assert.ok(body.traces.length >= 1, `${body.traces.length} traces stored`);
    const offending: string[] = [];
    for (const { trace_id } of body.traces) {
      const { body: stored } = await controlPlane.get<{ spans: StoredSpan[] }>(`/api/v1/traces/${trace_id}`);
      for (const span of stored.spans) {
        const url = String(
          span.attributes['url.full'] ?? span.attributes['url.path'] ?? span.attributes['http.route'] ?? '',
        );
        if (/\/api\/v1\/|\/v1\/(traces|logs)|\/readyz|\/healthz/.test(url))
          offending.push(`${span.kind} ${span.name} ${url}`);
      }
    }
    assert.deepEqual(offending, []);
  });
});
