import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSpanTree,
  compareTraces,
  criticalPath,
  parentsOf,
  type SpanLike,
  visibleRows,
} from '../../src/lib/span-tree';

/** Offsets from an arbitrary origin: the tree counts from its earliest span. */
const T0_NS = 5_000_000;
function span(
  id: string,
  parent: string | null,
  startMs: number,
  durationMs: number,
  name = id,
  service = 'svc',
): SpanLike {
  return {
    span_id: id,
    parent_span_id: parent,
    start_offset_ns: T0_NS + startMs * 1e6,
    duration_ns: durationMs * 1e6,
    service,
    name,
  };
}

//  root 0────────────100
//   a   0──30
//   b        40──────90
//    b1      40─60
//    b2          55──85
//   c    10──────70        (overlaps b: not on the path once b is)
const spans = [
  span('root', null, 0, 100),
  span('b', 'root', 40, 50),
  span('a', 'root', 0, 30),
  span('c', 'root', 10, 60),
  span('b1', 'b', 40, 20),
  span('b2', 'b', 55, 30),
  span('lost', 'missing-parent', 20, 5),
];

describe('span tree', () => {
  const tree = buildSpanTree(spans);

  it('builds parents, depths and orphans, children by start time', () => {
    assert.deepEqual(
      tree.roots.map((n) => n.span.span_id),
      ['root', 'lost'],
    );
    assert.equal(tree.byId.get('lost')?.orphan, true);
    assert.deepEqual(
      tree.byId.get('root')?.children.map((n) => n.span.span_id),
      ['a', 'c', 'b'],
    );
    assert.equal(tree.byId.get('b2')?.depth, 2);
    assert.equal(tree.durationMs, 100);
    assert.equal(tree.byId.get('b2')?.start, 55);
    assert.equal(tree.byId.get('b2')?.end, 85);
    assert.equal(tree.startOffsetNs, T0_NS);
  });

  it('lists rows depth first and hides collapsed subtrees', () => {
    const ids = (collapsed: string[]) => visibleRows(tree, new Set(collapsed)).map((n) => n.span.span_id);
    assert.deepEqual(ids([]), ['root', 'a', 'c', 'b', 'b1', 'b2', 'lost']);
    assert.deepEqual(ids(['b']), ['root', 'a', 'c', 'b', 'lost']);
    assert.deepEqual(ids(['root']), ['root', 'lost']);
    assert.deepEqual([...parentsOf(tree)].sort(), ['b', 'root']);
  });

  it('finds the critical path: the spans that decided the end', () => {
    // b2 ends last under b; b1 was still running when b2 started, so (as in Jaeger) it is off
    // the path, and so is c, which overlaps b.
    assert.deepEqual([...criticalPath(tree)].sort(), ['a', 'b', 'b2', 'root']);
  });

  it('handles 10,000 spans quickly and without recursion limits', () => {
    const many: SpanLike[] = [span('s0', null, 0, 10_000)];
    for (let i = 1; i < 10_000; i++) many.push(span(`s${i}`, `s${i - 1}`, i * 0.5, 10_000 - i));
    const started = performance.now();
    const deep = buildSpanTree(many);
    const rows = visibleRows(deep, new Set());
    const path = criticalPath(deep);
    const elapsed = performance.now() - started;
    assert.equal(rows.length, 10_000);
    assert.equal(deep.byId.get('s9999')?.depth, 9999);
    assert.equal(path.size, 10_000);
    assert.ok(elapsed < 500, `took ${elapsed} ms`);
  });

  it('compares two traces span by span along their paths', () => {
    const other = buildSpanTree([
      span('r', null, 0, 150, 'root'),
      span('x', 'r', 0, 30, 'a'),
      span('y', 'r', 40, 100, 'b'),
      span('z', 'r', 40, 10, 'd'),
    ]);
    const rows = compareTraces(tree, other);
    const byPath = new Map(rows.map((r) => [r.path, r]));
    assert.deepEqual(
      { a: byPath.get('/svc:root')?.durationA, b: byPath.get('/svc:root')?.durationB },
      { a: 100, b: 150 },
    );
    assert.equal(byPath.get('/svc:root/svc:c')?.countB, 0, 'c only in A');
    assert.equal(byPath.get('/svc:root/svc:d')?.countA, 0, 'd only in B');
    assert.equal(byPath.get('/svc:root/svc:b/svc:b1')?.countA, 1);
  });
});
