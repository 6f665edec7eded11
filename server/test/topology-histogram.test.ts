import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUCKET_COUNT,
  bucketIndex,
  bucketLowerBound,
  bucketUpperBound,
  LatencyHistogram,
  MAX_RELATIVE_ERROR,
  OVERFLOW_BUCKET,
} from '../src/topology/histogram.js';

/** A deterministic pseudo-random source, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Log-normal latencies in µs around a median of `medianMicros`. */
function latencies(n: number, medianMicros: number, seed: number): number[] {
  const random = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    out.push(medianMicros * Math.exp(gauss * 0.8));
  }
  return out;
}

function exactQuantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

describe('latency histogram', () => {
  it('puts every duration inside its bucket bounds', () => {
    const random = rng(7);
    for (let i = 0; i < 10_000; i++) {
      const micros = 10 ** (random() * 9); // 1 µs .. 1000 s
      const index = bucketIndex(micros);
      assert.ok(index > 0 && index < OVERFLOW_BUCKET, `index ${index} for ${micros}`);
      assert.ok(micros > bucketLowerBound(index) * (1 - 1e-12), `${micros} above lower bound of ${index}`);
      assert.ok(micros <= bucketUpperBound(index) * (1 + 1e-12), `${micros} within upper bound of ${index}`);
    }
    assert.equal(bucketIndex(0), 0);
    assert.equal(bucketIndex(1), 0);
    assert.equal(bucketIndex(Number.NaN), 0);
    assert.equal(bucketIndex(2), 4, 'four buckets per doubling: 2 µs closes bucket 4');
    assert.equal(bucketIndex(2.0001), 5);
    assert.equal(bucketIndex(1e12), OVERFLOW_BUCKET);
    assert.equal(BUCKET_COUNT, OVERFLOW_BUCKET + 1);
  });

  it('estimates quantiles within the documented relative error', () => {
    for (const [median, seed] of [
      [800, 1],
      [25_000, 2],
      [3_000_000, 3],
    ] as const) {
      const values = latencies(20_000, median, seed);
      const histogram = new LatencyHistogram();
      for (const v of values) histogram.record(v);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.95, 0.99]) {
        const estimate = histogram.quantile(q)!;
        const exact = exactQuantile(sorted, q);
        const error = Math.abs(estimate - exact) / exact;
        assert.ok(error <= MAX_RELATIVE_ERROR, `q${q} median ${median}: ${estimate} vs ${exact} (${error})`);
      }
    }
    assert.ok(MAX_RELATIVE_ERROR < 0.095);
  });

  it('merges: the merge of parts equals the histogram of the whole, in any order', () => {
    const a = latencies(5000, 2000, 11);
    const b = latencies(3000, 90_000, 12);
    const whole = new LatencyHistogram();
    for (const v of [...a, ...b]) whole.record(v);
    const ha = new LatencyHistogram();
    for (const v of a) ha.record(v);
    const hb = new LatencyHistogram();
    for (const v of b) hb.record(v);

    const ab = new LatencyHistogram();
    ab.merge(ha);
    ab.merge(hb);
    const ba = new LatencyHistogram();
    ba.merge(hb);
    ba.merge(ha);
    for (const merged of [ab, ba]) {
      assert.deepEqual([...merged.counts], [...whole.counts]);
      assert.equal(merged.count, 8000);
      assert.equal(merged.min, whole.min);
      assert.equal(merged.max, whole.max);
      for (const q of [0.5, 0.95, 0.99]) assert.equal(merged.quantile(q), whole.quantile(q));
    }
    // The bimodal mix: the median sits in the fast part, p99 in the slow one.
    assert.ok(ab.quantile(0.5)! < 10_000);
    assert.ok(ab.quantile(0.99)! > 90_000);
  });

  it('rebuilds from stored counts and extremes', () => {
    const h = new LatencyHistogram();
    for (const v of latencies(1000, 5000, 21)) h.record(v);
    const copy = new LatencyHistogram(h.counts);
    copy.mergeExtremes(h.min, h.max);
    assert.equal(copy.count, 1000);
    assert.equal(copy.quantile(0.95), h.quantile(0.95));
  });

  it('is exact at the extremes and empty without data', () => {
    const empty = new LatencyHistogram();
    assert.equal(empty.quantile(0.5), null);
    const one = new LatencyHistogram();
    one.record(1234);
    assert.equal(one.quantile(0.5), 1234);
    assert.equal(one.quantile(0.99), 1234);
    const huge = new LatencyHistogram();
    huge.record(100);
    huge.record(7_200_000_000); // two hours, past the last regular bucket
    assert.equal(huge.quantile(1), 7_200_000_000);
    assert.equal(huge.quantile(0), 100);
    const tiny = new LatencyHistogram();
    tiny.record(0);
    tiny.record(0.5);
    assert.ok(tiny.quantile(0.5)! <= 0.5);
  });
});
