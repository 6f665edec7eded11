import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompactTrace } from '../../src/api/types';
import { buildSpanTree } from '../../src/lib/span-tree';
import { spanStartNs, traceModel } from '../../src/lib/trace-model';

const summary: CompactTrace['summary'] = {
  trace_id: 'a'.repeat(32),
  root_service: 'web',
  root_operation: 'GET /',
  has_root: true,
  start_at: 1_700_000_000_000,
  start_ns: '1700000000000123456',
  duration_ns: '50000000',
  duration_ms: 50,
  span_count: 3,
  error_count: 1,
  services: [],
};

const compact: CompactTrace = {
  trace_id: 'a'.repeat(32),
  summary,
  resources: [{ 'service.name': 'web', 'host.name': 'h1' }, { 'service.name': 'db' }],
  scopes: [
    { name: 'http', version: '1' },
    { name: 'pg', version: '2' },
  ],
  spans: [
    {
      span_id: 'r',
      parent_span_id: null,
      service: 'web',
      name: 'GET /',
      kind: 'server',
      start_offset_ns: 0,
      duration_ns: 50_000_000,
      status: 'unset',
      attributes: { 'http.route': '/' },
      events: [{ time_ns: '1700000000005123456', name: 'cached', attributes: {} }],
      resource: 0,
      scope: 0,
      log_count: 2,
    },
    {
      span_id: 'q',
      parent_span_id: 'r',
      service: 'db',
      name: 'SELECT',
      kind: 'client',
      start_offset_ns: 10_000_500,
      duration_ns: 20_000_000,
      status: 'error',
      status_message: 'timeout',
      attributes: {},
      links: [{ trace_id: 'b'.repeat(32), span_id: 'c'.repeat(16), attributes: {} }],
      resource: 1,
      scope: 1,
      log_count: 0,
    },
    {
      span_id: 's',
      parent_span_id: 'r',
      service: 'web',
      name: 'render',
      kind: 'internal',
      start_offset_ns: 30_000_000,
      duration_ns: 5_000_000,
      status: 'unset',
      attributes: {},
      resource: 0,
      scope: 0,
      log_count: 0,
    },
  ],
};

describe('trace model from the compact API form', () => {
  const model = traceModel(compact);

  it('gives each span its resource and scope, one shared object per process', () => {
    const [root, query, render] = model.spans;
    assert.deepEqual(root?.resource, { 'service.name': 'web', 'host.name': 'h1' });
    assert.equal(root?.resource, render?.resource, 'the same object, not a copy per span');
    assert.deepEqual(query?.scope, { name: 'pg', version: '2' });
    assert.equal(query?.status_message, 'timeout');
  });

  it('fills what the compact form leaves out when empty', () => {
    const [root, query, render] = model.spans;
    assert.equal(root?.status_message, '');
    assert.deepEqual(root?.links, []);
    assert.deepEqual(query?.events, []);
    assert.equal(query?.links[0]?.span_id, 'c'.repeat(16));
    assert.deepEqual([render?.events, render?.links], [[], []]);
  });

  it('keeps exact epoch nanoseconds for a span start', () => {
    assert.equal(model.startNs, 1_700_000_000_000_123_456n);
    assert.equal(spanStartNs(model, model.spans[1]!), 1_700_000_000_010_123_956n);
  });

  it('lays out as a tree in ms from the trace start', () => {
    const tree = buildSpanTree(model.spans);
    assert.equal(tree.durationMs, 50);
    assert.equal(tree.byId.get('q')?.start, 10.0005);
    assert.equal(tree.byId.get('q')?.end, 30.0005);
    assert.deepEqual(
      tree.roots[0]?.children.map((n) => n.span.span_id),
      ['q', 's'],
    );
  });
});
