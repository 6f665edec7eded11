import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpanTree } from '../../src/lib/span-tree';
import { type FindableSpan, parseFindQuery, spanFinder } from '../../src/lib/trace-find';

function span(id: string, parent: string | null, startMs: number, extra: Partial<FindableSpan> = {}): FindableSpan {
  return {
    span_id: id,
    parent_span_id: parent,
    start_offset_ns: startMs * 1e6,
    duration_ns: 10e6,
    service: 'gateway',
    name: `op-${id}`,
    status: 'unset',
    status_message: '',
    attributes: {},
    resource: {},
    events: [],
    ...extra,
  };
}

// root ─┬─ a (orders, GET /orders/:id, status 500)
//       │   └─ a1 (db, SELECT, error "deadlock")
//       └─ b (payments, on host pay-2)
const tree = buildSpanTree([
  span('b', 'root', 20, { service: 'payments', resource: { 'host.name': 'pay-2' } }),
  span('a1', 'a', 6, {
    service: 'orders',
    name: 'SELECT orders',
    status: 'error',
    status_message: 'Deadlock found',
    attributes: { 'db.system': 'mysql' },
  }),
  span('root', null, 0),
  span('a', 'root', 5, {
    service: 'orders',
    name: 'GET /orders/:id',
    attributes: { 'http.response.status_code': 500, 'http.route': '/orders/:id' },
    events: [{ name: 'retry scheduled' }],
  }),
]);
const find = spanFinder(tree).find;

describe('find in trace', () => {
  it('splits terms on spaces, keeps quoted phrases and reads key=value', () => {
    assert.deepEqual(parseFindQuery('  Orders  "GET /orders" http.route=/Orders "a=b"'), [
      { key: null, text: 'orders' },
      { key: null, text: 'get /orders' },
      { key: 'http.route', text: '/orders' },
      { key: null, text: 'a=b' },
    ]);
    assert.deepEqual(parseFindQuery('   '), []);
  });

  it('matches service, operation, status and message, events and attribute values, in waterfall order', () => {
    assert.deepEqual(find('orders'), ['a', 'a1']);
    assert.deepEqual(find('ORDERS select'), ['a1']);
    assert.deepEqual(find('"get /orders"'), ['a']);
    assert.deepEqual(find('error'), ['a1']);
    assert.deepEqual(find('deadlock'), ['a1']);
    assert.deepEqual(find('retry'), ['a']);
    assert.deepEqual(find('mysql'), ['a1']);
    assert.deepEqual(find('pay-2'), ['b']);
    assert.deepEqual(find(''), []);
    assert.deepEqual(find('nothing-like-this'), []);
  });

  it('matches key=value on the span or its resource, by exact key and contained value', () => {
    assert.deepEqual(find('http.response.status_code=500'), ['a']);
    assert.deepEqual(find('http.response.status_code=50'), ['a']);
    assert.deepEqual(find('http.response.status_code=200'), []);
    assert.deepEqual(find('host.name=pay'), ['b']);
    assert.deepEqual(find('host=pay'), []);
  });
});
