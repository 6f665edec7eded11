// Two replicas on one PostgreSQL store, as the HA deployment runs them: the halves of each call
// reach different replicas through their OTLP receivers, and the topology still shows the
// service-to-service edges (found among the stored spans), counted once, instead of guessing
// peers from attributes. PostgreSQL only: SQLite is one process's file, one replica by design.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Topology } from '../src/topology/topology-service.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import { hexId, nowNs, postOtlp, specSpan, specTraces } from './telemetry-fixtures.js';

const CLIENT = 3;
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

const text = (key: string, value: string) => ({ key, value: { stringValue: value } });

async function send(replica: RunningServer, service: string, spans: Record<string, unknown>[]): Promise<void> {
  const response = await postOtlp(replica.otlpUrl, 'traces', specTraces(spans, service));
  assert.equal(response.status, 200, `export to ${replica.otlpUrl}`);
}

describe('topology across replicas [postgres]', storeSuiteOptions('postgres'), () => {
  let store: TestStore;
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    store = await createTestStore('postgres');
    // A wait long enough that both halves of a pair are stored before either's wait ends,
    // even on a loaded machine (the lookup runs when the wait ends).
    const settings = { store: store.url, topologyPairWaitMs: 5000, topologyFlushMs: 200 };
    a = await startServer({ ...settings, replicaId: 'replica-a' });
    b = await startServer({ ...settings, replicaId: 'replica-b' });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await store?.cleanup();
  });

  it('pairs halves that reached different replicas, once, and keeps peers for the rest', async () => {
    const start = nowNs(-2000);
    const web: Record<string, unknown>[] = [];
    const api: Record<string, unknown>[] = [];
    const orders: Record<string, unknown>[] = [];
    const mailer: Record<string, unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      const traceId = hexId(16);
      const clientId = hexId(8);
      const serverId = hexId(8);
      web.push(
        specSpan({
          traceId,
          spanId: clientId,
          name: 'GET /api/cart',
          kind: CLIENT,
          startNs: start,
          durationNs: 12_000_000n,
          attributes: [text('server.address', 'api.internal')],
          ...(i === 0 ? { status: { code: 2 } } : {}),
        }),
      );
      api.push(
        specSpan({
          traceId,
          spanId: serverId,
          parentSpanId: clientId,
          name: 'GET /cart',
          kind: SERVER,
          startNs: start + 1_000_000n,
          durationNs: 10_000_000n,
        }),
      );
      if (i < 3) {
        api.push(
          specSpan({
            traceId,
            parentSpanId: serverId,
            name: 'SELECT cart',
            kind: CLIENT,
            startNs: start + 2_000_000n,
            durationNs: 3_000_000n,
            attributes: [text('db.system', 'postgresql'), text('db.name', 'carts')],
          }),
        );
      }
    }
    const messaging = [text('messaging.system', 'nats'), text('messaging.destination.name', 'order.placed')];
    for (let i = 0; i < 4; i++) {
      const traceId = hexId(16);
      const producerId = hexId(8);
      orders.push(
        specSpan({
          traceId,
          spanId: producerId,
          name: 'order.placed publish',
          kind: PRODUCER,
          startNs: start,
          durationNs: 1_000_000n,
          attributes: messaging,
        }),
      );
      mailer.push(
        specSpan({
          traceId,
          parentSpanId: producerId,
          name: 'order.placed process',
          kind: CONSUMER,
          startNs: start + 5_000_000n,
          durationNs: 20_000_000n,
          attributes: messaging,
        }),
      );
    }
    // A message whose producer sends no spans at all: only the broker can be its source.
    mailer.push(
      specSpan({
        parentSpanId: hexId(8),
        name: 'order.placed process',
        kind: CONSUMER,
        startNs: start,
        durationNs: 20_000_000n,
        attributes: messaging,
      }),
    );

    // Callers to replica A, callees to replica B.
    await send(a, 'web', web);
    await send(a, 'orders', orders);
    await send(b, 'api', api);
    await send(b, 'mailer', mailer);

    const from = Date.now() - 5 * 60_000;
    const to = Date.now() + 60_000;
    const expected = [
      ['api', 'database:postgresql/carts', 'sync', 3, 0],
      ['messaging:nats/order.placed', 'mailer', 'async', 1, 0],
      ['orders', 'mailer', 'async', 4, 0],
      ['web', 'api', 'sync', 6, 1],
    ];
    let graph: Topology | undefined;
    const deadline = Date.now() + 40_000;
    for (;;) {
      const res = await fetch(`${b.apiUrl}/api/v1/topology?from=${from}&to=${to}`);
      graph = (await res.json()) as Topology;
      const edges = graph.edges.map((e) => [e.source, e.target, e.kind, e.requests, e.errors]);
      if (JSON.stringify(edges) === JSON.stringify(expected) || Date.now() > deadline) {
        assert.deepEqual(edges, expected);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(!graph.nodes.some((n) => n.name === 'api.internal'), 'no external node guessed for a paired call');
    // Both replicas read the same buckets.
    const fromA = (await (await fetch(`${a.apiUrl}/api/v1/topology?from=${from}&to=${to}`)).json()) as Topology;
    const counts = (t: Topology) => t.edges.map((e) => [e.source, e.target, e.requests, e.errors, e.p50_ms, e.p99_ms]);
    assert.deepEqual(counts(fromA), counts(graph));
  });
});
