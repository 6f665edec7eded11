import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { type Attributes, SpanKind } from '../src/telemetry/model.js';
import { type EdgeObservation, SpanPairer } from '../src/topology/pairing.js';
import { inferPeer, PEER_ATTRIBUTE_KEYS } from '../src/topology/peers.js';
import { call, hex, span } from './topology-spans.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 30); // mid-minute on purpose

describe('span pairing', () => {
  let clock: number;
  let edges: EdgeObservation[];
  let drops: number;
  let pairer: SpanPairer;
  const make = (maxPending = 1000) =>
    new SpanPairer({
      waitMs: 10_000,
      maxPending,
      now: () => clock,
      onEdge: (e) => edges.push(e),
      onDrop: () => drops++,
    });

  beforeEach(() => {
    clock = 1_000_000;
    edges = [];
    drops = 0;
    pairer = make();
  });

  it('pairs a CLIENT and its SERVER child in the same batch', () => {
    const [client, server] = call({ client: 'gateway', server: 'users', startMs: T0, clientMs: 12, serverMs: 9 });
    pairer.add(client);
    pairer.add(server);
    assert.equal(edges.length, 1);
    const edge = edges[0]!;
    assert.equal(edge.source, 'gateway');
    assert.equal(edge.target, 'users');
    assert.equal(edge.targetType, 'service');
    assert.equal(edge.kind, 'sync');
    assert.equal(edge.connectionType, '');
    assert.equal(edge.clientMicros, 12_000);
    assert.equal(edge.serverMicros, 9_000);
    assert.equal(edge.failed, false);
    assert.equal(edge.minute, Date.UTC(2025, 0, 1, 12, 0, 0));
    assert.equal(pairer.pending, 0, 'nothing is left waiting');
  });

  it('pairs halves that arrive in different batches, in either order, within the wait', () => {
    const [c1, s1] = call({ client: 'gateway', server: 'orders', startMs: T0, clientMs: 30, serverMs: 20 });
    const [c2, s2] = call({ client: 'orders', server: 'payments', startMs: T0, clientMs: 8, serverMs: 5, error: true });
    pairer.add(c1); // client first
    pairer.add(s2); // server first
    assert.equal(pairer.pending, 2);
    clock += 9_000;
    pairer.expire();
    assert.equal(edges.length, 0, 'nothing expires before the wait');
    pairer.add(s1);
    pairer.add(c2);
    assert.deepEqual(
      edges.map((e) => [e.source, e.target, e.failed]),
      [
        ['gateway', 'orders', false],
        ['orders', 'payments', true],
      ],
    );
    assert.equal(pairer.pending, 0);
  });

  it('turns a caller without partner into an edge to the peer its attributes name', () => {
    const db = span({
      service: 'orders',
      kind: SpanKind.CLIENT,
      startMs: T0,
      durationMs: 3,
      attributes: { 'db.system': 'postgresql', 'db.name': 'orders', 'server.address': 'pg.internal' },
    });
    const http = span({
      service: 'orders',
      kind: SpanKind.CLIENT,
      startMs: T0,
      durationMs: 40,
      error: true,
      attributes: { 'server.address': 'api.stripe.com', 'http.request.method': 'POST' },
    });
    const publish = span({
      service: 'orders',
      kind: SpanKind.PRODUCER,
      startMs: T0,
      durationMs: 1,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': 'order.created' },
    });
    const named = span({
      service: 'orders',
      kind: SpanKind.CLIENT,
      startMs: T0,
      durationMs: 7,
      attributes: { 'peer.service': 'inventory', 'server.address': '10.0.0.7' },
    });
    const anonymous = span({ service: 'orders', kind: SpanKind.CLIENT, startMs: T0, durationMs: 2 });
    for (const s of [db, http, publish, named, anonymous]) pairer.add(s);
    assert.deepEqual(
      edges.map((e) => e.target),
      ['postgresql/orders'],
      'a database call is an edge at once: databases send no spans to wait for',
    );
    assert.equal(pairer.pending, 4);
    clock += 10_000;
    assert.equal(pairer.expire(), 4);
    assert.deepEqual(
      edges.map((e) => [e.target, e.targetType, e.kind, e.connectionType, e.serverMicros, e.failed]),
      [
        ['postgresql/orders', 'database', 'sync', 'database', null, false],
        ['api.stripe.com', 'external', 'sync', 'virtual_node', null, true],
        ['nats/order.created', 'messaging', 'async', 'messaging_system', null, false],
        ['inventory', 'service', 'sync', 'virtual_node', null, false],
      ],
      'the span without peer attributes makes no edge',
    );
    assert.equal(pairer.pending, 0);
  });

  it('holds no database call, so a flood of them neither waits nor fills the table', () => {
    pairer = make(2);
    for (let i = 0; i < 10; i++) {
      pairer.add(
        span({
          service: 'orders',
          kind: SpanKind.CLIENT,
          startMs: T0,
          durationMs: 2,
          error: i === 0,
          attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'orders' },
        }),
      );
    }
    assert.equal(edges.length, 10);
    assert.deepEqual(
      [edges[0]?.target, edges[0]?.targetType, edges[0]?.connectionType, edges[0]?.clientMicros, edges[0]?.failed],
      ['postgresql/orders', 'database', 'database', 2000, true],
    );
    assert.equal(pairer.pending, 0);
    assert.equal(drops, 0);
    // A CLIENT call that names no database still waits for its server.
    const [client, server] = call({ client: 'orders', server: 'payments', startMs: T0, clientMs: 5, serverMs: 4 });
    client.attributes = { 'server.address': 'payments.default.svc' };
    pairer.add(client);
    assert.equal(pairer.pending, 1);
    pairer.add(server);
    assert.deepEqual(edges.at(-1)?.target, 'payments');
  });

  it('does not turn a caller into a peer edge once its partner came', () => {
    const [client, server] = call({ client: 'gateway', server: 'users', startMs: T0, clientMs: 5, serverMs: 4 });
    client.attributes = { 'server.address': 'users.default.svc' };
    pairer.add(server);
    pairer.add(client);
    clock += 60_000;
    pairer.expire();
    assert.deepEqual(
      edges.map((e) => e.target),
      ['users'],
    );
  });

  it('lets a partner that comes after the wait go: the caller already became a peer edge', () => {
    const [client, server] = call({ client: 'gateway', server: 'users', startMs: T0, clientMs: 5, serverMs: 4 });
    client.attributes = { 'server.address': 'users.default.svc' };
    pairer.add(client);
    clock += 10_001;
    pairer.expire();
    pairer.add(server);
    clock += 10_001;
    pairer.expire();
    assert.deepEqual(
      edges.map((e) => [e.target, e.targetType]),
      [['users.default.svc', 'external']],
    );
    assert.equal(pairer.pending, 0);
  });

  it('expires in arrival order and only what is due', () => {
    const early = span({
      service: 'a',
      kind: SpanKind.CLIENT,
      startMs: T0,
      durationMs: 1,
      attributes: { 'peer.service': 'x' },
    });
    pairer.add(early);
    clock += 5_000;
    const late = span({
      service: 'a',
      kind: SpanKind.CLIENT,
      startMs: T0,
      durationMs: 1,
      attributes: { 'peer.service': 'y' },
    });
    pairer.add(late);
    clock += 5_000;
    assert.equal(pairer.expire(), 1);
    assert.deepEqual(
      edges.map((e) => e.target),
      ['x'],
    );
    clock += 5_000;
    assert.equal(pairer.expire(), 1);
    assert.deepEqual(
      edges.map((e) => e.target),
      ['x', 'y'],
    );
  });

  it('pairs one PRODUCER with every CONSUMER of its message, and makes no broker edge then', () => {
    const traceId = hex(16);
    const producer = span({
      traceId,
      service: 'orders',
      kind: SpanKind.PRODUCER,
      startMs: T0,
      durationMs: 1,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': 'order.created' },
    });
    const consumer = (service: string) =>
      span({
        traceId,
        parentSpanId: producer.spanId,
        service,
        kind: SpanKind.CONSUMER,
        startMs: T0 + 5,
        durationMs: 15,
      });
    pairer.add(consumer('notifications'));
    pairer.add(producer);
    pairer.add(consumer('analytics'));
    clock += 10_000;
    pairer.expire();
    assert.deepEqual(
      edges.map((e) => [e.source, e.target, e.kind, e.connectionType]),
      [
        ['orders', 'notifications', 'async', 'messaging_system'],
        ['orders', 'analytics', 'async', 'messaging_system'],
      ],
    );
    assert.equal(pairer.pending, 0);
  });

  it('gives a CONSUMER whose producer is not instrumented an edge from its broker', () => {
    const consumer = span({
      parentSpanId: hex(8),
      service: 'notifications',
      kind: SpanKind.CONSUMER,
      startMs: T0,
      durationMs: 15,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': 'order.created' },
    });
    const server = span({ parentSpanId: hex(8), service: 'users', kind: SpanKind.SERVER, startMs: T0, durationMs: 3 });
    pairer.add(consumer);
    pairer.add(server);
    clock += 10_000;
    pairer.expire();
    assert.deepEqual(
      edges.map((e) => [e.source, e.sourceType, e.target, e.kind, e.clientMicros, e.serverMicros]),
      [['nats/order.created', 'messaging', 'notifications', 'async', null, 15_000]],
      'a SERVER span without its client makes no edge',
    );
  });

  it('ignores calls inside one service, roots and internal spans', () => {
    const [client, server] = call({ client: 'orders', server: 'orders', startMs: T0, clientMs: 2, serverMs: 1 });
    pairer.add(client);
    pairer.add(server);
    pairer.add(span({ service: 'orders', kind: SpanKind.SERVER, startMs: T0, durationMs: 1 })); // a root
    pairer.add(span({ parentSpanId: hex(8), service: 'orders', kind: SpanKind.INTERNAL, startMs: T0, durationMs: 1 }));
    assert.equal(edges.length, 0);
    assert.equal(pairer.pending, 0);
  });

  it('holds at most maxPending halves and counts what it drops', () => {
    pairer = make(3);
    const calls = Array.from({ length: 5 }, () =>
      call({ client: 'gateway', server: 'users', startMs: T0, clientMs: 2, serverMs: 1 }),
    );
    for (const [client] of calls) pairer.add(client);
    assert.equal(pairer.pending, 3);
    assert.equal(drops, 2);
    for (const [, server] of calls) pairer.add(server);
    assert.equal(edges.length, 3, 'the held clients still pair');
    assert.equal(pairer.pending, 2, 'the servers of dropped clients wait in the freed room');
    assert.equal(drops, 2);
  });

  it('counts a span delivered twice once', () => {
    const [client, server] = call({ client: 'gateway', server: 'users', startMs: T0, clientMs: 2, serverMs: 1 });
    pairer.add(client);
    pairer.add({ ...client });
    pairer.add(server);
    assert.equal(edges.length, 1);
    assert.equal(pairer.pending, 0);
  });

  it('drains everything on shutdown', () => {
    pairer.add(
      span({ service: 'a', kind: SpanKind.CLIENT, startMs: T0, durationMs: 1, attributes: { 'db.system': 'redis' } }),
    );
    pairer.add(span({ parentSpanId: hex(8), service: 'b', kind: SpanKind.SERVER, startMs: T0, durationMs: 1 }));
    pairer.drain();
    assert.deepEqual(
      edges.map((e) => [e.target, e.targetType]),
      [['redis', 'database']],
    );
    assert.equal(pairer.pending, 0);
  });
});

describe('peer inference', () => {
  it('reads current and older semantic conventions', () => {
    assert.deepEqual(inferPeer({ 'db.system.name': 'postgresql', 'db.namespace': 'users' }), {
      name: 'postgresql/users',
      type: 'database',
    });
    assert.deepEqual(inferPeer({ 'db.system': 'mysql', 'net.peer.name': 'db1' }), {
      name: 'mysql/db1',
      type: 'database',
    });
    assert.deepEqual(inferPeer({ 'db.system': 'redis' }), { name: 'redis', type: 'database' });
    assert.deepEqual(inferPeer({ 'db.system': 'postgresql', 'peer.service': 'billing-db' }), {
      name: 'billing-db',
      type: 'database',
    });
    assert.deepEqual(inferPeer({ 'messaging.system': 'kafka', 'messaging.destination': 'clicks' }), {
      name: 'kafka/clicks',
      type: 'messaging',
    });
    assert.deepEqual(inferPeer({ 'url.full': 'https://api.example.com:8443/v1/x' }), {
      name: 'api.example.com',
      type: 'external',
    });
    // An address (not a name) keeps its port: one address often serves several services.
    assert.deepEqual(inferPeer({ 'server.address': '127.0.0.1', 'server.port': 7002 }), {
      name: '127.0.0.1:7002',
      type: 'external',
    });
    assert.equal(inferPeer({ 'url.full': 'http://127.0.0.1:7004/reservations' })?.name, '127.0.0.1:7004');
    assert.equal(inferPeer({ 'net.peer.name': 'localhost', 'net.peer.port': '8080' })?.name, 'localhost:8080');
    assert.equal(inferPeer({ 'server.address': '::1', 'server.port': 9000 })?.name, '[::1]:9000');
    assert.equal(inferPeer({ 'url.full': 'http://10.0.0.7/x' })?.name, '10.0.0.7');
    assert.equal(inferPeer({ 'server.address': 'users.default.svc', 'server.port': 8080 })?.name, 'users.default.svc');
    assert.deepEqual(inferPeer({ 'server.address': '  ' }), null);
  });

  it('needs no attribute beyond PEER_ATTRIBUTE_KEYS (all the decode threads pass on)', () => {
    const samples: Attributes[] = [
      { 'server.address': '127.0.0.1', 'server.port': 7002, 'http.request.method': 'GET' },
      { 'net.peer.name': 'localhost', 'net.peer.port': 8080 },
      { 'network.peer.address': '10.1.2.3', 'network.peer.port': 5432, 'db.system.name': 'postgresql' },
      { 'url.full': 'http://[::1]:9000/x', 'user_agent.original': 'x' },
      { 'messaging.system': 'kafka', 'messaging.destination.name': 'clicks', 'server.port': 9092 },
    ];
    for (const attributes of samples) {
      const passedOn = Object.fromEntries(Object.entries(attributes).filter(([k]) => PEER_ATTRIBUTE_KEYS.includes(k)));
      assert.deepEqual(inferPeer(passedOn), inferPeer(attributes), JSON.stringify(attributes));
    }
    assert.deepEqual(inferPeer({ 'http.request.method': 'GET' }), null);
    assert.equal(inferPeer({ 'server.address': 'x'.repeat(10_000) })?.name.length, 200);
  });
});
