import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { FaultInjector, InjectedFault, NO_FAULTS, parseFaults } from '../src/faults.js';
import { createServiceApp } from '../src/http/service-app.js';

describe('parseFaults', () => {
  test('reads environment strings and JSON values alike', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    assert.deepEqual(parseFaults({ latencyMs: '250', errorRate: '0.1', hang: 'true', crashRate: '0' }, warn), {
      latencyMs: 250,
      errorRate: 0.1,
      hang: true,
      crashRate: 0,
    });
    assert.deepEqual(parseFaults({ latencyMs: 10, errorRate: 1, hang: false, crashRate: true }, warn), {
      latencyMs: 10,
      errorRate: 1,
      hang: false,
      crashRate: 1,
    });
    assert.deepEqual(warnings, []);
  });

  test('a bad value warns, names the key and means no fault', () => {
    const warnings: string[] = [];
    const parsed = parseFaults({ latencyMs: '-5', errorRate: '1.5', hang: 'maybe', crashRate: 'x' }, (m) =>
      warnings.push(m),
    );
    assert.deepEqual(parsed, NO_FAULTS);
    assert.equal(warnings.length, 4);
    assert.match(warnings[0] ?? '', /latencyMs/);
    assert.match(warnings[1] ?? '', /errorRate/);
  });
});

describe('FaultInjector', () => {
  test('error rate follows the random source', () => {
    const rolls = [0.05, 0.5];
    const injector = new FaultInjector({ ...NO_FAULTS, errorRate: 0.1 }, { random: () => rolls.shift() ?? 1 });
    assert.throws(() => injector.failOrCrash(), InjectedFault);
    assert.doesNotThrow(() => injector.failOrCrash());
  });

  test('crash calls the crash hook', () => {
    let crashed = 0;
    const injector = new FaultInjector({ ...NO_FAULTS, crashRate: 1 }, { crash: () => crashed++ });
    injector.failOrCrash();
    assert.equal(crashed, 1);
  });

  test('latency delays, hang holds until switched off', async () => {
    const injector = new FaultInjector({ ...NO_FAULTS, latencyMs: 60 });
    const started = performance.now();
    await injector.delay();
    assert.ok(performance.now() - started >= 55);

    injector.update({ ...NO_FAULTS, hang: true });
    let released = false;
    const held = injector.delay().then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(released, false);
    assert.equal(injector.held, 1);
    injector.update(NO_FAULTS);
    await held;
    assert.equal(released, true);
    assert.equal(injector.active, false);
  });
});

describe('faults on a service', () => {
  test('business routes fail, health routes only slow down', async () => {
    const faults = new FaultInjector({ ...NO_FAULTS, errorRate: 1 });
    const app = createServiceApp({ service: 'test', logger: pino({ level: 'silent' }), faults });
    app.get('/things', async () => ({ ok: true }));
    app.get('/healthz', async () => ({ status: 'pass' }));
    const failed = await app.inject({ method: 'GET', url: '/things' });
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(failed.json().type, 'urn:signalbox:demo:injected_fault');
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);

    faults.update(NO_FAULTS);
    assert.equal((await app.inject({ method: 'GET', url: '/things' })).statusCode, 200);
    await app.close();
  });
});
