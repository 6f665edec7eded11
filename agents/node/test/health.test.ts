import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect } from '@nats-io/transport-node';
import Fastify from 'fastify';
import pg from 'pg';
import { HealthChecks, runCheck } from '../src/health/checks.js';
import { brokerCheck, databaseCheck, httpCheck } from '../src/health/dependency-checks.js';
import { HealthEndpoints, isHealthPath } from '../src/health/endpoints.js';
import { NATS_URL, natsSkip, POSTGRES_URL, postgresSkip } from './helpers/dependencies.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';

keepEventLoopAlive();

const identity = { service: 'orders', instanceId: 'orders-1', version: '1.0.0' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function listenOn(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

describe('health checks', () => {
  it('reports a passing check with its details and duration', async () => {
    const result = await runCheck({ name: 'database', check: async () => ({ pool_size: 4 }) });
    assert.equal(result.status, 'pass');
    assert.deepEqual(result.details, { pool_size: 4 });
    assert.ok(result.duration_ms >= 0);
  });

  it('reports a throwing check (sync or async) as failed with its message', async () => {
    const sync = await runCheck({
      name: 'sync',
      check: () => {
        throw new Error('no connection');
      },
    });
    const async = await runCheck({ name: 'async', check: () => Promise.reject(new Error('refused')) });
    assert.deepEqual([sync.status, sync.error], ['fail', 'no connection']);
    assert.deepEqual([async.status, async.error], ['fail', 'refused']);
  });

  it('fails a hanging check at its timeout and aborts its signal', async () => {
    let aborted = false;
    const started = Date.now();
    const result = await runCheck({
      name: 'broker',
      timeoutMs: 100,
      check: (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          setTimeout(resolve, 5_000).unref();
        }),
    });
    const elapsed = Date.now() - started;
    assert.equal(result.status, 'fail');
    assert.match(result.error ?? '', /timed out after 100 ms/);
    assert.ok(aborted, 'the check saw the abort');
    assert.ok(elapsed >= 95 && elapsed < 1_000, `took ${elapsed} ms`);
  });

  it('keeps the instance ready when only a non-critical check fails', async () => {
    const checks = new HealthChecks([
      { name: 'database', check: () => undefined },
      { name: 'recommendations', critical: false, check: () => Promise.reject(new Error('down')) },
    ]);
    const report = await checks.readiness();
    assert.equal(report.status, 'pass');
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.status]),
      [
        ['database', 'pass'],
        ['recommendations', 'warn'],
      ],
    );
    checks.add({ name: 'payments', check: () => Promise.reject(new Error('503')) });
    assert.equal((await checks.readiness()).status, 'fail');
    assert.equal(checks.remove('payments'), true);
    assert.equal((await checks.readiness()).status, 'pass');
  });

  it('runs the checks once for probes that arrive together', async () => {
    let runs = 0;
    const checks = new HealthChecks([
      {
        name: 'database',
        check: async () => {
          runs += 1;
          await sleep(30);
        },
      },
    ]);
    await Promise.all([checks.readiness(), checks.readiness(), checks.readiness()]);
    assert.equal(runs, 1);
    await checks.readiness();
    assert.equal(runs, 2);
  });

  it('fails readiness with the reason once draining', async () => {
    const checks = new HealthChecks([{ name: 'database', check: () => undefined }]);
    checks.drain('shutting down');
    const report = await checks.readiness();
    assert.equal(report.status, 'fail');
    assert.equal(report.reason, 'shutting down');
  });

  it('refuses a check without a name or function', () => {
    const checks = new HealthChecks();
    assert.throws(() => checks.add({ name: '', check: () => undefined }), /needs a name/);
    assert.throws(() => checks.add({ name: 'x', check: () => undefined, timeoutMs: 0 }), /timeoutMs/);
  });
});

describe('health endpoints', () => {
  it('recognizes its own paths only', () => {
    assert.ok(isHealthPath('/healthz'));
    assert.ok(isHealthPath('/readyz?verbose=1'));
    assert.ok(!isHealthPath('/readyzz'));
    assert.ok(!isHealthPath('/api/healthz'));
    assert.ok(!isHealthPath(undefined));
  });

  it('serves /healthz and /readyz on a Fastify instance, listing each check', async () => {
    const checks = new HealthChecks([{ name: 'database', check: () => undefined }]);
    const endpoints = new HealthEndpoints(checks, identity);
    const app = Fastify();
    const server = endpoints.mount(app);
    assert.equal(server, app.server);
    app.get('/orders', async () => ({ orders: [] }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const live = await fetch(`${base}/healthz`);
      assert.equal(live.status, 200);
      const liveBody = (await live.json()) as Record<string, unknown>;
      assert.equal(liveBody['status'], 'pass');
      assert.equal(liveBody['instance_id'], 'orders-1');

      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(ready.headers.get('cache-control'), 'no-store');
      const body = (await ready.json()) as { status: string; checks: { name: string; status: string }[] };
      assert.equal(body.status, 'pass');
      assert.deepEqual(
        body.checks.map((c) => [c.name, c.status]),
        [['database', 'pass']],
      );

      checks.add({ name: 'broker', timeoutMs: 50, check: () => new Promise(() => {}) });
      const unready = await fetch(`${base}/readyz`);
      assert.equal(unready.status, 503);
      const failed = (await unready.json()) as {
        status: string;
        checks: { name: string; status: string; error?: string }[];
      };
      assert.equal(failed.status, 'fail');
      assert.equal(failed.checks.find((c) => c.name === 'broker')?.error, 'timed out after 50 ms');

      assert.equal((await fetch(`${base}/orders`)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('answers before the handler of a node http server and leaves other requests to it', async () => {
    const checks = new HealthChecks([{ name: 'cache', check: () => Promise.reject(new Error('evicted')) }]);
    const endpoints = new HealthEndpoints(checks, identity);
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(request.url ?? '');
      response.end('app');
    });
    endpoints.mount(server);
    const base = await listenOn(server);
    try {
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { checks: { error: string }[] }).checks[0]?.error, 'evicted');
      const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await (await fetch(`${base}/work`)).text(), 'app');
      // A POST to a health path is the application's business.
      assert.equal(await (await fetch(`${base}/healthz`, { method: 'POST' })).text(), 'app');
      assert.deepEqual(seen, ['/work', '/healthz']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('serves on a port of its own', async () => {
    const endpoints = new HealthEndpoints(new HealthChecks(), identity);
    const server = await endpoints.listen(0, '127.0.0.1');
    const port = endpoints.ownAddress()?.port;
    assert.ok(port);
    // unref()'d: the host decides when the process ends.
    assert.equal(server.listening, true);
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status, 404);
    } finally {
      await endpoints.close();
    }
    assert.equal(server.listening, false);
  });
});

describe('dependency checks', () => {
  let downstream: Server;
  let base: string;
  let downstreamStatus = 200;

  before(async () => {
    downstream = createServer((_request, response) => {
      response.writeHead(downstreamStatus, { 'content-type': 'application/json' });
      response.end('{}');
    });
    base = await listenOn(downstream);
  });
  after(() => new Promise<void>((resolve) => downstream.close(() => resolve())));

  it('httpCheck passes on 2xx and fails naming the status otherwise', async () => {
    const check = httpCheck('payments', `${base}/readyz`);
    downstreamStatus = 200;
    assert.equal((await runCheck(check)).status, 'pass');
    downstreamStatus = 503;
    const failed = await runCheck(check);
    assert.equal(failed.status, 'fail');
    assert.match(failed.error ?? '', /answered 503/);
    const refused = await runCheck(httpCheck('nowhere', 'http://127.0.0.1:9/readyz'));
    assert.equal(refused.status, 'fail');
  });

  it('databaseCheck runs SELECT 1 on a real pool and fails when the database is gone', postgresSkip, async () => {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const check = databaseCheck('database', pool);
    assert.equal((await runCheck(check)).status, 'pass');
    const broken = databaseCheck('database', pool, { sql: 'SELECT * FROM no_such_table_for_agent_tests' });
    const failed = await runCheck(broken);
    assert.equal(failed.status, 'fail');
    assert.match(failed.error ?? '', /no_such_table/);
    await pool.end();
    assert.equal((await runCheck(check)).status, 'fail');
  });

  it('brokerCheck round-trips to a real NATS server and fails once the connection is closed', natsSkip, async () => {
    const nc = await connect({ servers: NATS_URL, timeout: 2_000 });
    const check = brokerCheck('broker', nc);
    assert.equal((await runCheck(check)).status, 'pass');
    await nc.close();
    const failed = await runCheck(check);
    assert.equal(failed.status, 'fail');
    assert.match(failed.error ?? '', /closed/);
  });
});
