// Unit tests of the checker's parts that need no network or store: the schedule heap, the
// probe limiter, thresholds, flapping windows, check normalization and the shard hash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProblemField } from '../src/errors.js';
import { normalizeChecks, parseStatusRanges, statusMatches } from '../src/health/checks.js';
import { ProbeLimiter } from '../src/health/limiter.js';
import { MinHeap } from '../src/health/min-heap.js';
import { SHARD_COUNT, shardOf } from '../src/health/shards.js';
import { applyOutcome, FlapWindow, initialThresholdState } from '../src/health/thresholds.js';

describe('min-heap', () => {
  it('pops in key order whatever the push order', () => {
    const heap = new MinHeap<number>();
    const keys = Array.from({ length: 2000 }, () => Math.floor(Math.random() * 10_000));
    for (const key of keys) heap.push(key, key);
    const out: number[] = [];
    while (heap.size > 0) {
      assert.equal(heap.peekKey(), heap.peekKey());
      out.push(heap.pop() as number);
    }
    assert.deepEqual(
      out,
      [...keys].sort((a, b) => a - b),
    );
    assert.equal(heap.pop(), undefined);
  });

  it('interleaves pushes and pops correctly', () => {
    const heap = new MinHeap<string>();
    heap.push(5, 'e');
    heap.push(1, 'a');
    assert.equal(heap.pop(), 'a');
    heap.push(3, 'c');
    heap.push(4, 'd');
    assert.equal(heap.pop(), 'c');
    heap.push(2, 'b');
    assert.deepEqual([heap.pop(), heap.pop(), heap.pop()], ['b', 'd', 'e']);
  });
});

describe('probe limiter', () => {
  function gate() {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  }

  it('never runs more than the global and per-target limits', async () => {
    const limiter = new ProbeLimiter(5, 2);
    let running = 0;
    let peak = 0;
    const perTarget = new Map<string, number>();
    let perTargetPeak = 0;
    for (let i = 0; i < 40; i++) {
      const target = `t${i % 3}`;
      limiter.submit(target, async () => {
        running++;
        perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
        peak = Math.max(peak, running);
        perTargetPeak = Math.max(perTargetPeak, perTarget.get(target) as number);
        await sleep(2);
        running--;
        perTarget.set(target, (perTarget.get(target) as number) - 1);
      });
    }
    await limiter.idle();
    assert.equal(peak, 5);
    assert.equal(perTargetPeak, 2);
    assert.equal(limiter.inFlight, 0);
    assert.equal(limiter.queued, 0);
  });

  it('keeps serving other targets while one target hangs', async () => {
    const limiter = new ProbeLimiter(4, 1);
    const hang = gate();
    // Ten probes against a hanging target: only one of them may hold a slot.
    for (let i = 0; i < 10; i++) limiter.submit('slow', () => hang.opened);
    const done: string[] = [];
    for (let i = 0; i < 6; i++) {
      limiter.submit(`fast-${i}`, async () => {
        done.push(`fast-${i}`);
      });
    }
    await sleep(20);
    assert.equal(done.length, 6);
    assert.equal(limiter.inFlight, 1);
    assert.equal(limiter.queued, 9);
    limiter.clearQueued();
    hang.open();
    await limiter.idle();
    assert.equal(limiter.queued, 0);
  });

  it('takes origins in turn so one busy target does not starve the next', async () => {
    const limiter = new ProbeLimiter(1, 1);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) limiter.submit('a', async () => void order.push('a'));
    for (let i = 0; i < 3; i++) limiter.submit('b', async () => void order.push('b'));
    await limiter.idle();
    assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a', 'b']);
  });
});

describe('thresholds', () => {
  it('needs consecutive results to change state, starting from unknown', () => {
    const state = initialThresholdState();
    assert.equal(applyOutcome(state, 'fail', 2, 3), 'unknown');
    assert.equal(applyOutcome(state, 'fail', 2, 3), 'unknown');
    assert.equal(applyOutcome(state, 'fail', 2, 3), 'critical');
    assert.equal(applyOutcome(state, 'pass', 2, 3), 'critical');
    assert.equal(applyOutcome(state, 'fail', 2, 3), 'critical');
    assert.equal(applyOutcome(state, 'pass', 2, 3), 'critical');
    assert.equal(applyOutcome(state, 'pass', 2, 3), 'passing');
    assert.equal(applyOutcome(state, 'fail', 2, 3), 'passing');
    assert.equal(applyOutcome(state, 'warn', 2, 3), 'passing');
    assert.equal(applyOutcome(state, 'warn', 2, 3), 'warning');
  });

  it('marks flapping while enough transitions stay inside the window', () => {
    const window = new FlapWindow(3, 1000);
    window.record(0);
    window.record(100);
    assert.equal(window.flapping(100), false);
    window.record(200);
    assert.equal(window.flapping(200), true);
    assert.equal(window.flapping(1050), false);
    assert.equal(window.count, 2);
  });
});

describe('check definitions', () => {
  it('parses expected status ranges', () => {
    const ranges = parseStatusRanges('200-299, 304');
    assert.deepEqual(ranges, [
      [200, 299],
      [304, 304],
    ]);
    assert.ok(statusMatches(ranges ?? [], 204));
    assert.ok(statusMatches(ranges ?? [], 304));
    assert.ok(!statusMatches(ranges ?? [], 301));
    assert.deepEqual(parseStatusRanges(204), [[204, 204]]);
    for (const bad of ['2xx', '300-200', '99', '200-600', '']) assert.equal(parseStatusRanges(bad), undefined, bad);
  });

  it('normalizes a full http check and caps the default timeout at the interval', () => {
    const fields: ProblemField[] = [];
    const [check, fast] = normalizeChecks(
      [
        {
          type: 'http',
          id: 'ready',
          path: '/readyz',
          method: 'HEAD',
          expected_status: 204,
          body_contains: 'up',
          headers: { 'x-probe': '1' },
          interval: '30s',
          timeout: '5s',
          jitter: '0s',
          healthy_threshold: 2,
          unhealthy_threshold: 4,
          initial_delay: '1m',
        },
        { type: 'tcp', interval: '500ms' },
      ],
      'users:8080',
      fields,
    );
    assert.deepEqual(fields, []);
    assert.deepEqual(check, {
      id: 'ready',
      name: 'HTTP HEAD /readyz',
      intervalMs: 30_000,
      timeoutMs: 5000,
      jitterMs: 0,
      healthyThreshold: 2,
      unhealthyThreshold: 4,
      initialDelayMs: 60_000,
      type: 'http',
      path: '/readyz',
      method: 'HEAD',
      expectedStatus: '204',
      bodyContains: 'up',
      headers: { 'x-probe': '1' },
    });
    assert.equal(fast?.name, 'TCP users:8080');
    assert.equal(fast?.timeoutMs, 500);
  });
});

describe('shards', () => {
  it('hashes ids stably and spreads them over every shard', () => {
    assert.equal(shardOf('users-1'), shardOf('users-1'));
    const counts = new Array(SHARD_COUNT).fill(0);
    for (let i = 0; i < 6400; i++) counts[shardOf(`instance-${i}`)]++;
    assert.ok(Math.min(...counts) > 50, `smallest shard got ${Math.min(...counts)}`);
    assert.ok(Math.max(...counts) < 150, `largest shard got ${Math.max(...counts)}`);
  });
});
