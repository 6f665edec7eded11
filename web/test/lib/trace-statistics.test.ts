import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpanTree, type SpanLike } from '../../src/lib/span-tree';
import { selfTimeMs, traceStatistics } from '../../src/lib/trace-statistics';

function span(id: string, parent: string | null, startMs: number, durationMs: number, name: string, status = 'unset') {
  const service = name.startsWith('db') ? 'db' : 'api';
  return {
    span_id: id,
    parent_span_id: parent,
    start_offset_ns: startMs * 1e6,
    duration_ns: durationMs * 1e6,
    service,
    name,
    status,
  } satisfies SpanLike & { status: string };
}

//  root 0──────────────100        self: 100 - (10..60 ∪ 40..70 ∪ 90..120 clipped to 100) = 100 - 70 = 30
//   q1     10────60                self: 50
//   q2          40──70             self: 30 (overlaps q1: concurrent work is not subtracted twice)
//   late                90──120    runs past its parent: only 90..100 counts against root
const tree = buildSpanTree([
  span('root', null, 0, 100, 'GET /checkout'),
  span('q1', 'root', 10, 50, 'db query'),
  span('q2', 'root', 40, 30, 'db query', 'error'),
  span('late', 'root', 90, 30, 'publish'),
]);

describe('trace statistics', () => {
  it('takes the union of the children, clipped to the span, from its duration', () => {
    assert.equal(selfTimeMs(tree.byId.get('root')!), 30);
    assert.equal(selfTimeMs(tree.byId.get('q1')!), 50);
  });

  it('groups by service and operation with counts, errors, totals and self time, most self time first', () => {
    const rows = traceStatistics(tree);
    assert.deepEqual(
      rows.map((r) => [r.service, r.name, r.count, r.errors, r.totalMs, r.maxMs, r.selfMs]),
      [
        ['db', 'db query', 2, 1, 80, 50, 80],
        ['api', 'GET /checkout', 1, 0, 100, 100, 30],
        ['api', 'publish', 1, 0, 30, 30, 30],
      ],
    );
    const shares = rows.map((r) => r.selfShare);
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok(Math.abs((shares[0] ?? 0) - 80 / 140) < 1e-9);
  });

  it('is empty for an empty trace', () => {
    assert.deepEqual(traceStatistics(buildSpanTree([])), []);
  });
});
