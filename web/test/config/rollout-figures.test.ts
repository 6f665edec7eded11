// The rollout panel's bars: the canary's limit is baseline + allowed error-rate increase and
// baseline p95 × ratio, the axis covers the limit, and "over" is set only past the limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bakeElapsed, bakeProgress, metricBars } from '../../src/components/config/rollout-figures.js';

const thresholds = { max_error_rate_increase: 0.05, max_p95_ratio: 1.5, min_requests: 20 };
const side = (error_rate: number, p95_ms: number | null) => ({
  instances: ['a'],
  requests: 100,
  errors: Math.round(error_rate * 100),
  error_rate,
  p95_ms,
});

describe('rollout figures', () => {
  it('marks the limits and flags a canary over them', () => {
    const [errors, p95] = metricBars(
      { canary: side(0.2, 400), baseline: side(0.01, 200), from_ms: 0, to_ms: 60_000 },
      thresholds,
    );
    assert.ok(errors && p95);
    assert.ok(Math.abs((errors.limit ?? 0) - 0.06) < 1e-9);
    assert.equal(errors.over, true);
    assert.equal(errors.max, 0.2);
    assert.equal(p95.limit, 300);
    assert.equal(p95.over, true);
    assert.equal(p95.max, 400);
  });

  it('is not over within the limits, and has no p95 limit without a baseline p95', () => {
    const [errors, p95] = metricBars(
      { canary: side(0.03, 250), baseline: side(0, null), from_ms: 0, to_ms: 1 },
      thresholds,
    );
    assert.equal(errors?.over, false);
    assert.equal(errors?.max, 0.05);
    assert.equal(p95?.limit, null);
    assert.equal(p95?.over, false);
    assert.equal(p95?.max, 250);
  });

  it('never divides by zero on an empty comparison', () => {
    const [, p95] = metricBars({ canary: side(0, null), baseline: side(0, null), from_ms: 0, to_ms: 1 }, thresholds);
    assert.equal(p95?.max, 1);
  });

  it('bake progress runs from the canary applied, clamped to 0..1', () => {
    const applied = { canary_applied_at: 1_000, bake_ms: 10_000, finished_at: null };
    assert.equal(bakeProgress(applied, 6_000), 0.5);
    assert.equal(bakeProgress(applied, 0), 0);
    assert.equal(bakeProgress(applied, 99_000), 1);
    assert.equal(bakeProgress({ ...applied, finished_at: 3_000 }, 99_000), 0.2, 'stops at the end');
    assert.equal(bakeProgress({ ...applied, canary_applied_at: null }, 99_000), 0, 'nothing baked before it applied');
    assert.equal(bakeElapsed({ ...applied, finished_at: 3_000 }, 99_000), 2_000);
  });
});
