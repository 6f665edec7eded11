// The RED minute buckets in both stores: upserts add into existing rows, several writers
// (replicas) adding into the same minutes at once lose nothing, and reads aggregate correctly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../src/store/store.js';
import { SpanKind } from '../src/telemetry/model.js';
import { coverWindow, RedBucketStore } from '../src/topology/bucket-store.js';
import { LatencyHistogram } from '../src/topology/histogram.js';
import { type RollupBatch, RollupBuffer } from '../src/topology/rollup.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import { call, span } from './topology-spans.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** A batch of `n` calls gateway → users per minute over `minutes` minutes, with edges. */
function batchOf(minutes: number, n: number, latencyMs: (i: number) => number): RollupBatch {
  const buffer = new RollupBuffer(100_000);
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < n; i++) {
      const ms = latencyMs(i);
      const [client, server] = call({
        client: 'gateway',
        server: 'users',
        startMs: T0 + m * MINUTE + i,
        clientMs: ms + 1,
        serverMs: ms,
        error: i % 10 === 0,
        operation: 'GET /users/:id',
      });
      buffer.addSpan(client);
      buffer.addSpan(server);
      buffer.addEdge({
        source: 'gateway',
        sourceType: 'service',
        target: 'users',
        targetType: 'service',
        kind: 'sync',
        connectionType: '',
        minute: T0 + m * MINUTE,
        clientMicros: (ms + 1) * 1000,
        serverMicros: ms * 1000,
        failed: i % 10 === 0,
      });
    }
  }
  return buffer.take();
}

describe('window cover', () => {
  it('tiles a window with the widest aligned buckets, exactly once', () => {
    const h = (hh: number, mm: number) => Date.UTC(2025, 0, 1, hh, mm);
    assert.deepEqual(coverWindow(h(10, 23), h(12, 47)), [
      { widthMs: MINUTE, fromMs: h(10, 23), toMs: h(10, 30) },
      { widthMs: 10 * MINUTE, fromMs: h(10, 30), toMs: h(11, 0) },
      { widthMs: 60 * MINUTE, fromMs: h(11, 0), toMs: h(12, 0) },
      { widthMs: 10 * MINUTE, fromMs: h(12, 0), toMs: h(12, 40) },
      { widthMs: MINUTE, fromMs: h(12, 40), toMs: h(12, 47) },
    ]);
    assert.deepEqual(coverWindow(h(10, 0), h(11, 0)), [{ widthMs: 60 * MINUTE, fromMs: h(10, 0), toMs: h(11, 0) }]);
    assert.deepEqual(coverWindow(h(10, 3), h(10, 5)), [{ widthMs: MINUTE, fromMs: h(10, 3), toMs: h(10, 5) }]);
    assert.deepEqual(coverWindow(h(10, 5), h(10, 5)), []);
    // A day read at the hour: a few dozen rows per series instead of 1440.
    const day = coverWindow(h(0, 7), h(0, 7) + 24 * 60 * MINUTE);
    const rows = day.reduce((n, r) => n + (r.toMs - r.fromMs) / r.widthMs, 0);
    assert.ok(rows <= 45, `${rows} rows`);
    let at = h(0, 7);
    for (const r of day) {
      assert.equal(r.fromMs, at, 'contiguous');
      assert.equal(r.fromMs % r.widthMs, 0, 'aligned');
      at = r.toMs;
    }
    assert.equal(at, h(0, 7) + 24 * 60 * MINUTE);
  });
});

for (const kind of STORE_KINDS) {
  describe(`RED bucket store [${kind}]`, storeSuiteOptions(kind), () => {
    let testStore: TestStore;
    let store: Store;
    let buckets: RedBucketStore;
    before(async () => {
      testStore = await createTestStore(kind);
      store = await openStore(testStore.url);
      await store.migrate();
      buckets = new RedBucketStore(store);
    });
    after(async () => {
      await store?.close();
      await testStore?.cleanup();
    });

    it('adds a batch written twice into the same rows', async () => {
      const batch = batchOf(3, 100, (i) => 1 + i);
      await buckets.write(batch);
      let edges = await buckets.edgeTotals(T0, T0 + 3 * MINUTE);
      assert.equal(edges.length, 1);
      assert.equal(edges[0]!.requests, 300);
      assert.equal(edges[0]!.errors, 30);
      const once = edges[0]!.histogram.quantile(0.95);

      await buckets.write(batch);
      edges = await buckets.edgeTotals(T0, T0 + 3 * MINUTE);
      assert.equal(edges[0]!.requests, 600);
      assert.equal(edges[0]!.errors, 60);
      assert.equal(edges[0]!.histogram.count, 600);
      assert.equal(edges[0]!.histogram.quantile(0.95), once, 'doubling every count keeps the quantiles');
      // Client latency 2..101 ms: p95 ≈ 96 ms within the histogram's error.
      assert.ok(Math.abs(once! / 1000 - 96) / 96 < 0.1, `p95 ${once}`);
      assert.equal(edges[0]!.histogram.min, 2000);
      assert.equal(edges[0]!.histogram.max, 101_000);

      const services = await buckets.serviceTotals(T0, T0 + 3 * MINUTE);
      const users = services.find((s) => s.service === 'users')!;
      assert.equal(users.requests, 600);
      assert.equal(users.errors, 60);
    });

    it('reads only the minutes inside the window', async () => {
      const edges = await buckets.edgeTotals(T0 + MINUTE, T0 + 2 * MINUTE);
      assert.equal(edges[0]!.requests, 200, 'one minute of the two writes');
      assert.deepEqual(await buckets.edgeTotals(T0 + 10 * MINUTE, T0 + 20 * MINUTE), []);
    });

    it('groups series by step', async () => {
      const series = await buckets.serviceSeries('users', T0, T0 + 3 * MINUTE, 2 * MINUTE);
      const points = series.map((s) => [s.at, s.requests]).sort((a, b) => a[0]! - b[0]!);
      assert.deepEqual(points, [
        [T0, 400],
        [T0 + 2 * MINUTE, 200],
      ]);
      const top = await buckets.topOperations('users', T0, T0 + 3 * MINUTE, 10);
      assert.deepEqual(top, [{ operation: 'GET /users/:id', spanKind: SpanKind.SERVER, requests: 600 }]);
      const ops = await buckets.operationSeries('users', ['GET /users/:id'], T0, T0 + 3 * MINUTE, MINUTE);
      assert.equal(ops.length, 3);
      assert.ok(ops.every((o) => o.requests === 200 && o.errors === 20));
      assert.equal(await buckets.knowsService('users'), true);
      assert.equal(await buckets.knowsService('nobody'), false);
    });

    it('loses no update when several replicas add into the same minutes at once', async () => {
      // On PostgreSQL two more pools stand in for two more replicas. SQLite is one process's
      // file (one replica by design), so there the three writers share the store, concurrently.
      const replicas =
        kind === 'postgres'
          ? [store, await openStore(testStore.url), await openStore(testStore.url)]
          : [store, store, store];
      try {
        const base = T0 + 100 * MINUTE;
        const rounds = 8;
        const perRound = (r: number) => {
          const buffer = new RollupBuffer(1000);
          for (let m = 0; m < 4; m++) {
            for (let i = 0; i < 5; i++) {
              buffer.addSpan(
                span({ service: `svc-${i}`, kind: SpanKind.SERVER, startMs: base + m * MINUTE, durationMs: 1 + r + i }),
              );
            }
          }
          return buffer.take();
        };
        await Promise.all(
          replicas.map(async (replica) => {
            const writer = new RedBucketStore(replica);
            for (let r = 0; r < rounds; r++) await writer.write(perRound(r));
          }),
        );
        const totals = await buckets.serviceTotals(base, base + 4 * MINUTE);
        assert.equal(totals.length, 5);
        for (const t of totals) {
          assert.equal(t.requests, replicas.length * rounds * 4, `${t.service} requests`);
          assert.equal(t.histogram.count, replicas.length * rounds * 4, `${t.service} histogram count`);
        }
        const svc0 = totals.find((t) => t.service === 'svc-0')!;
        assert.equal(svc0.histogram.min, 1000);
        assert.equal(svc0.histogram.max, rounds * 1000);
      } finally {
        if (kind === 'postgres') await Promise.all([replicas[1]!.close(), replicas[2]!.close()]);
      }
    });

    it('stores and merges histograms bucket by bucket', async () => {
      const base = T0 + 200 * MINUTE;
      const expected = new LatencyHistogram();
      for (const part of [0, 1]) {
        const buffer = new RollupBuffer(1000);
        for (let i = 0; i < 500; i++) {
          const ms = part === 0 ? 2 + (i % 7) : 200 + (i % 50) * 4;
          expected.record(ms * 1000);
          buffer.addSpan(
            span({ service: 'mixed', kind: SpanKind.SERVER, startMs: base + (i % 2) * MINUTE, durationMs: ms }),
          );
        }
        await buckets.write(buffer.take());
      }
      const [stored] = await buckets.serviceTotals(base, base + 2 * MINUTE);
      assert.deepEqual([...stored!.histogram.counts], [...expected.counts]);
      for (const q of [0.5, 0.95, 0.99]) assert.equal(stored!.histogram.quantile(q), expected.quantile(q));
    });

    it('reads coarse buckets in the middle of a window and minutes at its ends, with the same totals', async () => {
      const base = Date.UTC(2025, 0, 2, 9, 0, 0);
      // Three hours of one service, flushed in two halves that split an hour and a 10-minute block.
      const halves = [new RollupBuffer(10_000), new RollupBuffer(10_000)];
      const perMinute = new Map<number, number>();
      for (let m = 0; m < 180; m++) {
        const n = 1 + (m % 7);
        perMinute.set(base + m * MINUTE, n);
        for (let i = 0; i < n; i++) {
          halves[m < 95 ? 0 : 1]!.addSpan(
            span({
              service: 'tiered',
              kind: SpanKind.SERVER,
              startMs: base + m * MINUTE + i,
              durationMs: 1 + ((m * 13 + i) % 200),
            }),
          );
        }
      }
      for (const half of halves) await buckets.write(half.take());
      const expect = (from: number, to: number) => {
        let total = 0;
        for (const [at, n] of perMinute) if (at >= from && at < to) total += n;
        return total;
      };
      for (const [from, to] of [
        [base, base + 180 * MINUTE],
        [base + 23 * MINUTE, base + 167 * MINUTE],
        [base + 59 * MINUTE, base + 61 * MINUTE],
        [base + 95 * MINUTE, base + 96 * MINUTE],
      ] as const) {
        const [tiered] = await buckets.serviceTotals(from, to);
        const minutes = await buckets.serviceSeries('tiered', from, to, MINUTE);
        const byMinute = minutes.reduce((n, s) => n + s.requests, 0);
        assert.equal(tiered!.requests, expect(from, to), `requests ${from}..${to}`);
        assert.equal(byMinute, expect(from, to));
        const merged = new LatencyHistogram();
        for (const s of minutes) merged.merge(s.histogram);
        assert.deepEqual([...tiered!.histogram.counts], [...merged.counts], `histogram ${from}..${to}`);
      }
      // Hour steps on hour boundaries read the hour buckets; the same steps shifted read minutes.
      const hourly = await buckets.serviceSeries('tiered', base, base + 180 * MINUTE, 60 * MINUTE);
      assert.deepEqual(
        hourly.map((h) => [h.at, h.requests]).sort((a, b) => a[0]! - b[0]!),
        [0, 1, 2].map((h) => [base + h * 60 * MINUTE, expect(base + h * 60 * MINUTE, base + (h + 1) * 60 * MINUTE)]),
      );
      const shifted = await buckets.serviceSeries('tiered', base + 5 * MINUTE, base + 125 * MINUTE, 60 * MINUTE);
      assert.deepEqual(
        shifted.map((h) => h.requests).sort(),
        [expect(base + 5 * MINUTE, base + 65 * MINUTE), expect(base + 65 * MINUTE, base + 125 * MINUTE)].sort(),
      );
    });

    it('deletes buckets past retention', async () => {
      const deleted = await buckets.deleteBefore(T0 + 2 * MINUTE);
      assert.ok(deleted > 0);
      assert.deepEqual(await buckets.serviceSeries('users', T0, T0 + 2 * MINUTE, MINUTE), []);
      assert.equal((await buckets.serviceSeries('users', T0, T0 + 3 * MINUTE, MINUTE)).length, 1);
      // The hour holding those minutes stays until its last minute is past retention.
      const hour = await buckets.serviceTotals(T0, T0 + 60 * MINUTE);
      assert.equal(hour.find((s) => s.service === 'users')?.requests, 600);
      await buckets.deleteBefore(T0 + 60 * MINUTE);
      assert.deepEqual(await buckets.serviceTotals(T0, T0 + 60 * MINUTE), []);
    });
  });
}
