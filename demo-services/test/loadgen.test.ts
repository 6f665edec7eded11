import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertLoopback, DEFAULT_MIX, parseDuration, pick, runLoad } from '../src/loadgen/load.js';
import { type Shop, startShop } from './helpers/shop.js';

test('durations read like the API writes them', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.throws(() => parseDuration('10'), /should look like/);
});

test('the mix is drawn by weight', () => {
  const mix = { browse: 1, signUp: 1, placeOrder: 2, viewOrder: 0 };
  assert.equal(pick(mix, 0), 'browse');
  assert.equal(pick(mix, 0.3), 'signUp');
  assert.equal(pick(mix, 0.6), 'placeOrder');
  assert.equal(pick(mix, 0.999), 'placeOrder');
  const counts = { browse: 0, signUp: 0, placeOrder: 0, viewOrder: 0 };
  for (let i = 0; i < 1000; i++) counts[pick(DEFAULT_MIX, i / 1000)]++;
  // Evenly spread rolls land in proportion to the weights (±1 for floating-point edges).
  const expected = { browse: 550, signUp: 100, placeOrder: 300, viewOrder: 50 };
  for (const [scenario, count] of Object.entries(expected)) {
    assert.ok(Math.abs(counts[scenario as keyof typeof counts] - count) <= 1, JSON.stringify(counts));
  }
});

test('only loopback targets are driven', async () => {
  assert.equal(assertLoopback('http://127.0.0.1:7000').port, '7000');
  assert.equal(assertLoopback('http://localhost:7000').hostname, 'localhost');
  assert.throws(() => assertLoopback('http://10.0.0.8:7000'), /not on this machine/);
  assert.throws(() => assertLoopback('https://shop.example.com'), /not on this machine/);
  await assert.rejects(
    runLoad({ target: 'http://192.168.1.1', token: 't', rate: 1, durationMs: 10 }),
    /not on this machine/,
  );
});

describe('load against the shop', () => {
  let shop: Shop;
  before(async () => {
    shop = await startShop({ database: 'sqlite' });
  });
  after(() => shop?.close());

  test('a realistic mix at the chosen rate, for the chosen time', async () => {
    const started = Date.now();
    const report = await runLoad({
      target: shop.url('gateway'),
      token: 'demo-loadgen-token',
      rate: 20,
      durationMs: 2000,
      declineRate: 0.5,
      timeoutMs: 5000,
    });
    const took = Date.now() - started;
    // The duration, plus what was in flight at its end (a scenario is at most four requests, each bounded by its timeout).
    assert.ok(took >= 2000 && took < 2000 + 5000 * 4 + 1000, `took ${took} ms`);
    const scenarios = Object.values(report.started).reduce((a, b) => a + b, 0) + report.skipped;
    assert.ok(scenarios >= 35 && scenarios <= 41, `${scenarios} scenarios at 20/s for 2 s`);
    // The weights themselves are proven by the pick test above; forty random draws only show that the
    // common scenarios all ran (comparing their counts failed about one run in thirty by chance).
    assert.ok(report.started.browse > 0 && report.started.placeOrder > 0, JSON.stringify(report.started));
    assert.ok(report.ordersConfirmed > 0, 'some orders confirmed');
    assert.ok(report.ordersDeclined > 0, 'some payments declined');
    assert.equal(report.responses['error'], undefined, JSON.stringify(report.responses));
    assert.equal(report.responses['500'], undefined, JSON.stringify(report.responses));
  });

  test('an abort stops it early', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await runLoad({
      target: shop.url('gateway'),
      token: 'demo-loadgen-token',
      rate: 10,
      durationMs: 60_000,
      timeoutMs: 2000,
      signal: controller.signal,
    });
    // Stops starting scenarios at once; what is in flight ends within its request timeouts.
    assert.ok(Date.now() - started < 300 + 2000 * 4 + 1000);
  });
});
