// The breaker's state machine without a control plane: failure rate over the window with a
// minimum of calls, slow-call rate, open → half-open after the open duration, one probe that
// closes or reopens, fallback while open, forced states and reset, and the transitions logged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Breaker, BreakerOpenError } from '../src/breakers/breaker.js';

const fail = async (): Promise<string> => {
  throw new Error('down');
};

describe('Breaker', () => {
  it('stays closed below the minimum of calls, opens above the failure rate, probes and closes', async () => {
    let healthy = false;
    const breaker = new Breaker('peer', async () => (healthy ? 'ok' : fail()), {
      minimumCalls: 4,
      failureRateThreshold: 0.5,
      openDurationMs: 150,
    });
    for (let i = 0; i < 3; i++) await assert.rejects(breaker.fire(), /down/);
    assert.equal(breaker.state, 'closed', 'three calls are below the minimum');
    await assert.rejects(breaker.fire(), /down/);
    assert.equal(breaker.state, 'open');
    await assert.rejects(breaker.fire(), BreakerOpenError);
    assert.equal(breaker.counts().rejections, 1);

    await sleep(200);
    assert.equal(breaker.state, 'half_open');
    healthy = true;
    assert.equal(await breaker.fire(), 'ok');
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(
      breaker.drainTransitions().map((t) => t.to),
      ['open', 'half_open', 'closed'],
    );
    breaker.dispose();
  });

  it('a failed probe opens it again; the fallback answers while open', async () => {
    const breaker = new Breaker('peer', fail, { minimumCalls: 2, openDurationMs: 100, fallback: () => 'cached' });
    assert.equal(await breaker.fire(), 'cached');
    assert.equal(await breaker.fire(), 'cached');
    assert.equal(breaker.state, 'open');
    await sleep(150);
    assert.equal(breaker.state, 'half_open');
    assert.equal(await breaker.fire(), 'cached');
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.drainTransitions().at(-1)?.reason, 'probe failed');
    breaker.dispose();
  });

  it('opens on the slow-call rate even when every call succeeds', async () => {
    const breaker = new Breaker('slow', async () => sleep(30).then(() => 'late'), {
      minimumCalls: 3,
      slowCallDurationMs: 20,
      slowCallRateThreshold: 0.6,
    });
    for (let i = 0; i < 3; i++) assert.equal(await breaker.fire(), 'late');
    assert.equal(breaker.state, 'open');
    assert.match(breaker.drainTransitions()[0]?.reason ?? '', /slow-call rate 100 %/);
    assert.equal(breaker.counts().slow_calls, 3);
    breaker.dispose();
  });

  it('forced closed lets calls through, forced open short-circuits, reset starts over with an empty window', async () => {
    let calls = 0;
    const breaker = new Breaker(
      'peer',
      async () => {
        calls += 1;
        throw new Error('down');
      },
      { minimumCalls: 1 },
    );
    breaker.force('closed', 'testing');
    for (let i = 0; i < 5; i++) await assert.rejects(breaker.fire(), /down/);
    assert.equal(calls, 5);
    assert.equal(breaker.state, 'closed');
    breaker.force('open', 'maintenance');
    await assert.rejects(breaker.fire(), (error: unknown) => error instanceof BreakerOpenError && error.forced);
    assert.equal(calls, 5);
    breaker.reset('all clear');
    assert.equal(breaker.forced, null);
    assert.equal(breaker.counts().calls, 0);
    await assert.rejects(breaker.fire(), /down/);
    assert.equal(breaker.state, 'open', 'the window counts again after the reset');
    assert.throws(() => new Breaker('bad', fail, { failureRateThreshold: 0 }), /failureRateThreshold/);
    breaker.dispose();
  });
});
