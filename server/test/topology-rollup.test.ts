import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanKind } from '../src/telemetry/model.js';
import { isEntrySpan, RollupBuffer } from '../src/topology/rollup.js';
import { call, hex, span } from './topology-spans.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('minute roll-up', () => {
  it('counts every span per operation and entry spans per service, in the minute they started', () => {
    const buffer = new RollupBuffer(1000);
    const [c1, s1] = call({ client: 'gateway', server: 'users', startMs: T0 + 10, clientMs: 12, serverMs: 10 });
    const [c2, s2] = call({
      client: 'gateway',
      server: 'users',
      startMs: T0 + 59_999,
      clientMs: 40,
      serverMs: 35,
      error: true,
    });
    const [c3, s3] = call({ client: 'gateway', server: 'users', startMs: T0 + MINUTE + 1, clientMs: 5, serverMs: 4 });
    const internal = span({
      parentSpanId: s1.spanId,
      traceId: s1.traceId,
      service: 'users',
      name: 'load user',
      kind: SpanKind.INTERNAL,
      startMs: T0 + 11,
      durationMs: 2,
    });
    for (const s of [c1, s1, c2, s2, c3, s3, internal]) buffer.addSpan(s);
    const batch = buffer.take();

    const users = batch.services
      .filter((b) => b.service === 'users')
      .sort((a, b) => a.minute - b.minute)
      .map((b) => [b.minute, b.requests, b.errors]);
    assert.deepEqual(users, [
      [T0, 2, 1],
      [T0 + MINUTE, 1, 0],
    ]);
    // The gateway's CLIENT spans are roots here, so they count as what the gateway served.
    const gateway = batch.services.filter((b) => b.service === 'gateway').reduce((n, b) => n + b.requests, 0);
    assert.equal(gateway, 3);

    const ops = batch.operations
      .filter((b) => b.service === 'users')
      .map((b) => [b.operation, b.spanKind, b.minute, b.requests])
      .sort();
    assert.deepEqual(ops, [
      ['GET /work', SpanKind.SERVER, T0, 2],
      ['GET /work', SpanKind.SERVER, T0 + MINUTE, 1],
      ['load user', SpanKind.INTERNAL, T0, 1],
    ]);
    const first = batch.services.find((b) => b.service === 'users' && b.minute === T0)!;
    assert.equal(first.histogram.count, 2);
    assert.equal(first.histogram.max, 35_000);
    assert.equal(buffer.size, 0, 'take() empties the buffer');
  });

  it('keys edges by both ends and their kind', () => {
    const buffer = new RollupBuffer(1000);
    const base = {
      source: 'orders',
      sourceType: 'service' as const,
      kind: 'sync' as const,
      connectionType: '' as const,
      minute: T0,
      serverMicros: null,
      failed: false,
    };
    buffer.addEdge({ ...base, target: 'users', targetType: 'service', clientMicros: 1000 });
    buffer.addEdge({ ...base, target: 'users', targetType: 'service', clientMicros: 3000, failed: true });
    buffer.addEdge({ ...base, target: 'postgresql/orders', targetType: 'database', clientMicros: 500 });
    buffer.addEdge({
      ...base,
      source: 'nats/jobs',
      sourceType: 'messaging',
      target: 'worker',
      targetType: 'service',
      kind: 'async',
      clientMicros: null,
      serverMicros: 7000,
    });
    const edges = buffer.take().edges.map((e) => [e.source, e.target, e.kind, e.requests, e.errors, e.histogram.max]);
    assert.deepEqual(edges, [
      ['orders', 'users', 'sync', 2, 1, 3000],
      ['orders', 'postgresql/orders', 'sync', 1, 0, 500],
      ['nats/jobs', 'worker', 'async', 1, 0, 7000],
    ]);
  });

  it('caps open buckets and counts the observations it drops', () => {
    const buffer = new RollupBuffer(3);
    for (let i = 0; i < 5; i++) {
      buffer.addSpan(
        span({
          parentSpanId: hex(8),
          service: 's',
          name: `op-${i}`,
          kind: SpanKind.INTERNAL,
          startMs: T0,
          durationMs: 1,
        }),
      );
    }
    assert.equal(buffer.size, 3);
    assert.equal(buffer.takeDropped(), 2);
    assert.equal(buffer.takeDropped(), 0);
    // An existing bucket still takes observations when the buffer is full.
    buffer.addSpan(
      span({ parentSpanId: hex(8), service: 's', name: 'op-0', kind: SpanKind.INTERNAL, startMs: T0, durationMs: 1 }),
    );
    assert.equal(buffer.take().operations.find((o) => o.operation === 'op-0')?.requests, 2);
  });

  it('merges a batch that failed to store back into what arrived meanwhile', () => {
    const buffer = new RollupBuffer(1000);
    const root = () => span({ service: 'api', kind: SpanKind.SERVER, startMs: T0, durationMs: 5 });
    buffer.addSpan(root());
    const failed = buffer.take();
    buffer.addSpan(root());
    buffer.addSpan(root());
    buffer.restore(failed);
    const batch = buffer.take();
    assert.equal(batch.services.length, 1);
    assert.equal(batch.services[0]!.requests, 3);
    assert.equal(batch.services[0]!.histogram.count, 3);
    assert.equal(batch.operations[0]!.requests, 3);
  });

  it('treats SERVER, CONSUMER and root spans as entry spans', () => {
    const child = (kind: (typeof SpanKind)[keyof typeof SpanKind]) =>
      span({ parentSpanId: hex(8), service: 's', kind, startMs: T0, durationMs: 1 });
    assert.equal(isEntrySpan(child(SpanKind.SERVER)), true);
    assert.equal(isEntrySpan(child(SpanKind.CONSUMER)), true);
    assert.equal(isEntrySpan(child(SpanKind.CLIENT)), false);
    assert.equal(isEntrySpan(child(SpanKind.INTERNAL)), false);
    assert.equal(isEntrySpan(span({ service: 's', kind: SpanKind.INTERNAL, startMs: T0, durationMs: 1 })), true);
  });
});
