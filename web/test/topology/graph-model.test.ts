// The topology's filters, grouping and compound layout as pure functions: what is kept, which
// group each node lands in, what a collapsed group adds up to, and that dagre puts each group's
// members inside its box and no other node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthStatus, TopologyEdge, TopologyNode } from '../../src/api/types';
import {
  filterByPlacement,
  groupGraph,
  groupId,
  groupsOf,
  placementValues,
} from '../../src/components/topology/graph-model';
import { backbone, LARGE_GRAPH_EDGES, layoutGraph } from '../../src/components/topology/layout';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/lib/topology-graph';

function node(id: string, extra: Partial<TopologyNode> = {}): TopologyNode {
  return {
    id,
    name: id.replace(/^[a-z]+:/, ''),
    type: id.startsWith('database:') ? 'database' : 'service',
    requests: 100,
    errors: 0,
    rate: 1,
    error_rate: 0,
    p50_ms: 5,
    p95_ms: 10,
    p99_ms: 20,
    environments: [],
    namespaces: [],
    ...extra,
  };
}

function edge(source: string, target: string, extra: Partial<TopologyEdge> = {}): TopologyEdge {
  return {
    source,
    target,
    kind: 'sync',
    requests: 100,
    errors: 0,
    rate: 1,
    error_rate: 0,
    p50_ms: 5,
    p95_ms: 10,
    p99_ms: 20,
    ...extra,
  };
}

const nodes = [
  node('gateway', { namespaces: ['edge'], environments: ['prod'] }),
  node('orders', { namespaces: ['shop'], environments: ['prod'] }),
  node('inventory', { namespaces: ['shop'], environments: ['staging'], error_rate: 0.5, errors: 50 }),
  node('payments', { namespaces: ['billing'], environments: ['prod', 'staging'] }),
  node('database:postgresql/orders'),
  node('database:postgresql/shared'),
  node('legacy'),
];
const edges = [
  edge('gateway', 'orders'),
  edge('orders', 'inventory', { error_rate: 0.5, errors: 50 }),
  edge('orders', 'payments', { error_rate: 0.1, errors: 10, p95_ms: 40 }),
  edge('orders', 'database:postgresql/orders'),
  edge('orders', 'database:postgresql/shared'),
  edge('payments', 'database:postgresql/shared'),
  edge('legacy', 'gateway'),
];
const health = new Map<string, HealthStatus>([
  ['gateway', 'passing'],
  ['orders', 'passing'],
  ['inventory', 'warning'],
  ['payments', 'passing'],
]);
const ids = (list: readonly { id: string }[]) => list.map((n) => n.id).sort();

describe('topology filters', () => {
  it('lists namespaces and environments for the menus', () => {
    assert.deepEqual(placementValues(nodes, 'namespace'), ['billing', 'edge', 'shop']);
    assert.deepEqual(placementValues(nodes, 'environment'), ['prod', 'staging']);
  });

  it('keeps the services of a namespace with the peers they call', () => {
    const shop = filterByPlacement(nodes, edges, { namespace: 'shop', health });
    assert.deepEqual(ids(shop.nodes), [
      'database:postgresql/orders',
      'database:postgresql/shared',
      'inventory',
      'orders',
    ]);
    assert.deepEqual(
      shop.edges.map((e) => `${e.source}>${e.target}`),
      ['orders>inventory', 'orders>database:postgresql/orders', 'orders>database:postgresql/shared'],
    );
    const both = filterByPlacement(nodes, edges, { namespace: 'billing', environment: 'staging', health });
    assert.deepEqual(ids(both.nodes), ['database:postgresql/shared', 'payments']);
    assert.equal(filterByPlacement(nodes, edges, { environment: 'nowhere', health }).nodes.length, 0);
  });

  it('keeps only what fails: failing nodes and both ends of failing calls', () => {
    const failing = filterByPlacement(nodes, edges, { unhealthy: true, health });
    assert.deepEqual(ids(failing.nodes), ['inventory', 'orders', 'payments']);
    assert.deepEqual(
      failing.edges.map((e) => `${e.source}>${e.target}`),
      ['orders>inventory', 'orders>payments'],
    );
    const critical = new Map(health).set('legacy', 'critical');
    assert.ok(ids(filterByPlacement(nodes, edges, { unhealthy: true, health: critical }).nodes).includes('legacy'));
  });
});

describe('topology grouping', () => {
  it('puts services in their namespace, peers with their callers when those agree', () => {
    const groups = groupsOf(nodes, edges, 'namespace');
    assert.equal(groups.get('orders'), 'shop');
    assert.equal(groups.get('database:postgresql/orders'), 'shop', 'only orders uses it');
    assert.equal(groups.get('database:postgresql/shared'), null, 'called from shop and billing');
    assert.equal(groups.get('legacy'), null, 'nothing says where it runs');
    assert.equal(groupsOf(nodes, edges, 'environment').get('payments'), 'prod + staging');
  });

  it('draws small groups as areas and collapses big ones into one node with merged calls', () => {
    const open = groupGraph(nodes, edges, 'namespace', { open: new Set(), shut: new Set(), health });
    assert.deepEqual(
      open.areas.map((a) => [a.name, a.members.sort()]),
      [
        ['billing', ['payments']],
        ['edge', ['gateway']],
        ['shop', ['database:postgresql/orders', 'inventory', 'orders']],
      ],
    );
    assert.equal(open.collapsed.length, 0);
    assert.equal(open.nodes.find((n) => n.node.id === 'orders')?.parent, groupId('namespace', 'shop'));
    assert.equal(open.nodes.find((n) => n.node.id === 'legacy')?.parent, null);
    assert.equal(open.edges.length, edges.length);

    const shut = groupGraph(nodes, edges, 'namespace', { open: new Set(), shut: new Set(['shop']), health });
    const shop = shut.collapsed[0]!;
    assert.equal(shop.id, 'group:namespace:shop');
    assert.equal(shop.members.length, 3);
    assert.equal(shop.requests, 200, 'what its two services served; the database is counted by its callers');
    assert.equal(shop.errors, 50);
    assert.equal(shop.error_rate, 0.25);
    assert.equal(shop.rate, 2);
    assert.equal(shop.health, 'warning', 'the worst of its services');
    assert.equal(shop.internalCalls, 200, 'orders→inventory and orders→its database');
    assert.ok(!shut.nodes.some((n) => n.node.id === 'orders'));
    const merged = shut.edges.find((e) => e.source === 'group:namespace:shop' && e.target === 'payments')!;
    assert.equal(merged.members?.length, 1);
    const shared = shut.edges.find((e) => e.target === 'database:postgresql/shared' && e.members)!;
    assert.equal(shared.source, 'group:namespace:shop');
    assert.ok(shut.edges.some((e) => e.source === 'gateway' && e.target === 'group:namespace:shop'));

    // A group past the limit starts collapsed; `open` opens it.
    const big = groupGraph(nodes, edges, 'namespace', { open: new Set(), shut: new Set(), health, collapseOver: 2 });
    assert.deepEqual(
      big.collapsed.map((g) => g.name),
      ['shop'],
    );
    const opened = groupGraph(nodes, edges, 'namespace', {
      open: new Set(['shop']),
      shut: new Set(),
      health,
      collapseOver: 2,
    });
    assert.equal(opened.collapsed.length, 0);
  });
});

describe('topology layout', () => {
  it('lays groups out as boxes around their members and nothing else', () => {
    const grouped = groupGraph(nodes, edges, 'namespace', { open: new Set(), shut: new Set(), health });
    const { positions, clusters } = layoutGraph(
      grouped.nodes.map(({ node: n, parent }) => ({ id: n.id, parent })),
      grouped.edges,
    );
    assert.equal(positions.size, nodes.length);
    for (const area of grouped.areas) {
      const box = clusters.get(area.id)!;
      assert.ok(box && box.width > 0 && box.height > 0, area.name);
      for (const { node: n } of grouped.nodes) {
        const p = positions.get(n.id)!;
        const within =
          p.x >= box.x &&
          p.y >= box.y &&
          p.x + NODE_WIDTH <= box.x + box.width &&
          p.y + NODE_HEIGHT <= box.y + box.height;
        assert.equal(within, area.members.includes(n.id), `${n.id} inside ${area.name}: ${within}`);
      }
    }
    // Callers left of callees.
    assert.ok(positions.get('gateway')!.x < positions.get('orders')!.x);
  });

  it("lays a big graph out along each node's busiest calls, and places every node", () => {
    const calls = [
      { source: 'a', target: 'x', rate: 5 },
      { source: 'b', target: 'x', rate: 4 },
      { source: 'c', target: 'x', rate: 3 },
      { source: 'c', target: 'y', rate: 1 },
      { source: 'c', target: 'z', rate: 0.5 },
      { source: 'a', target: 'w', rate: 2 },
      { source: 'b', target: 'w', rate: 3 },
      { source: 'c', target: 'w', rate: 0.1 },
    ];
    // c→x is x's third caller but one of c's two busiest calls: kept. c→z is z's only caller:
    // kept. c→w is neither among w's two busiest callers nor c's two busiest calls: left out.
    assert.deepEqual(
      backbone(calls).map((e) => `${e.source}>${e.target}`),
      ['a>x', 'b>x', 'c>x', 'c>y', 'c>z', 'a>w', 'b>w'],
    );
    const count = 80;
    const many = Array.from({ length: count }, (_, i) => ({ id: `s${i}` }));
    const edges = [];
    for (let i = 0; i < count; i++)
      for (const step of [1, 3, 7, 11])
        if (i + step < count) edges.push({ source: `s${i}`, target: `s${i + step}`, rate: (i * step) % 13 });
    assert.ok(edges.length > LARGE_GRAPH_EDGES);
    const { positions } = layoutGraph(many, edges);
    assert.equal(positions.size, count);
    assert.ok(positions.get('s0')!.x < positions.get('s79')!.x, 'callers left of callees');
  });
});
