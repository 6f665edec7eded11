import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBuckets } from '../src/gateway/token-bucket.js';

test('a client may burst, then is refilled at the rate', () => {
  let now = 0;
  const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 3, now: () => now });
  assert.deepEqual(
    [1, 2, 3].map(() => buckets.take('a').allowed),
    [true, true, true],
  );
  const refused = buckets.take('a');
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterMs, 500); // one token at 2/s
  now += 500;
  assert.equal(buckets.take('a').allowed, true);
  assert.equal(buckets.take('a').allowed, false);
  now += 10_000;
  assert.equal(buckets.take('a').remaining, 2); // capped at the burst size, minus this request
});

test('clients have separate buckets', () => {
  const now = 0;
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, now: () => now });
  assert.equal(buckets.take('a').allowed, true);
  assert.equal(buckets.take('a').allowed, false);
  assert.equal(buckets.take('b').allowed, true);
});

test('the number of buckets is bounded', () => {
  let now = 0;
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, now: () => now, maxClients: 2 });
  buckets.take('a');
  buckets.take('b');
  now += 5000;
  buckets.take('c'); // a and b are full again and forgotten
  assert.equal(buckets.take('a').allowed, true);
});
