import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../src/backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, jitter: 0 });
    assert.deepEqual(
      Array.from({ length: 7 }, () => backoff.next()),
      [100, 200, 400, 800, 1_000, 1_000, 1_000],
    );
    assert.equal(backoff.attempts, 7);
    assert.equal(backoff.currentMs, 1_000);
  });

  it('starts over after reset()', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    assert.equal(backoff.currentMs, 0);
    assert.equal(backoff.next(), 100);
  });

  it('spreads delays by the jitter and never passes the cap', () => {
    const low = new Backoff({ initialMs: 1_000, maxMs: 1_000, jitter: 0.2, random: () => 0 });
    const high = new Backoff({ initialMs: 1_000, maxMs: 1_000, jitter: 0.2, random: () => 0.999_999 });
    const mid = new Backoff({ initialMs: 500, maxMs: 10_000, jitter: 0.2, random: () => 0.999_999 });
    assert.equal(low.next(), 800);
    assert.equal(high.next(), 1_000);
    assert.equal(mid.next(), 600);
  });
});
