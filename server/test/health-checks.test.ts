// The active health checker against real HTTP and TCP targets, on SQLite and on PostgreSQL:
// thresholds, methods, headers, expected status, body_contains, 429 as warning, timeouts, TCP,
// initial_delay, flapping, per-target concurrency, batched result writes and metrics.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiClient, type Instance } from './fixtures/api.js';
import { type ProbeTarget, startProbeTarget } from './fixtures/probe-target.js';
import { waitFor } from './fixtures/wait.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

for (const kind of STORE_KINDS) {
  describe(`health checker [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let api: ReturnType<typeof apiClient>;
    let target: ProbeTarget;
    const registered: string[] = [];

    const register = async (body: Record<string, unknown>): Promise<Instance> => {
      const response = await api.register({ address: target.address, ...body });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      registered.push(response.body.id);
      return response.body;
    };
    const instance = async (id: string) => (await api.instance(id)).body;
    const until = (id: string, what: string, test: (i: Instance) => boolean, timeoutMs = 8000) =>
      waitFor(
        `${id}: ${what}`,
        async () => {
          const i = await instance(id);
          return test(i) ? i : undefined;
        },
        timeoutMs,
      );

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, flapTransitions: 4, flapWindowMs: 3000 });
      api = apiClient(server.apiUrl);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });
    // Each test has a target of its own and deregisters what it registered, so probes of one
    // test never share a connection pool or a schedule with the next.
    afterEach(async () => {
      for (const id of registered.splice(0)) await api.deregister(id);
      await target?.close();
    });

    it('goes critical after unhealthy_threshold failures and back after healthy_threshold passes', async () => {
      target = await startProbeTarget();
      target.set('/health', { status: 200, body: 'fine' });
      await register({
        service: 'thresholds',
        id: 'thresholds-1',
        checks: [
          {
            type: 'http',
            path: '/health',
            // Long enough that a busy machine never times out the passing probes: the history
            // below must hold exactly the transitions the target caused.
            interval: '600ms',
            timeout: '600ms',
            jitter: '0s',
            unhealthy_threshold: 2,
            healthy_threshold: 2,
          },
        ],
      });
      const up = await until('thresholds-1', 'passing', (i) => i.status === 'passing');
      assert.equal(up.status_source, 'check:http-1');
      const check = up.checks[0];
      assert.equal(check?.status, 'passing');
      assert.equal(check?.output, 'HTTP 200 OK');
      assert.ok(typeof check?.duration_ms === 'number' && check.duration_ms >= 0);
      assert.ok(typeof check?.checked_at === 'number');

      const brokeAt = Date.now();
      target.set('/health', { status: 503, body: 'database unreachable' });
      const down = await until('thresholds-1', 'critical', (i) => i.status === 'critical');
      assert.ok(target.hitsOf('/health', brokeAt).length >= 2, 'needed two failing probes');
      assert.equal(
        down.status_reason,
        'HTTP GET /health: HTTP 503 Service Unavailable (expected 200-399): database unreachable',
      );

      target.set('/health', { status: 200 });
      await until('thresholds-1', 'passing again', (i) => i.status === 'passing');
      const history = await waitFor('three transitions', async () => {
        const list = (await api.history('thresholds-1')).body.transitions;
        return list.length >= 4 ? list : undefined;
      });
      assert.deepEqual(
        history.slice(0, 4).map((t) => [t.from, t.to, t.source]),
        [
          ['critical', 'passing', 'check:http-1'],
          ['passing', 'critical', 'check:http-1'],
          ['unknown', 'passing', 'check:http-1'],
          ['none', 'unknown', 'registration'],
        ],
      );
    });

    it('sends the method, path and headers given; checks expected status, body text, and 429 as warning', async () => {
      target = await startProbeTarget();
      target.set('/accepted', { status: 202 });
      target.set('/deps', { status: 200, body: '{"db":"down"}' });
      target.set('/busy', { status: 429, body: 'slow down' });
      await register({
        service: 'shapes',
        id: 'shapes-1',
        checks: [
          {
            id: 'put',
            type: 'http',
            path: '/accepted',
            method: 'PUT',
            headers: { 'x-probe-token': 's3cret' },
            expected_status: 202,
            interval: '200ms',
            unhealthy_threshold: 1,
          },
          {
            id: 'deps',
            type: 'http',
            path: '/deps',
            body_contains: '"db":"up"',
            interval: '200ms',
            unhealthy_threshold: 1,
          },
          { id: 'busy', type: 'http', path: '/busy', interval: '200ms', unhealthy_threshold: 1 },
        ],
      });
      const settled = await until('shapes-1', 'all checks decided', (i) =>
        i.checks.every((c) => c.status !== 'unknown'),
      );
      const byId = Object.fromEntries(settled.checks.map((c) => [c.id, c]));
      assert.equal(byId.put?.status, 'passing');
      assert.equal(byId.deps?.status, 'critical');
      assert.equal(byId.deps?.output, 'HTTP 200 OK, but the body does not contain "\\"db\\":\\"up\\""');
      assert.equal(byId.busy?.status, 'warning');
      assert.match(byId.busy?.output ?? '', /^HTTP 429 Too Many Requests \(expected 200-399\): slow down$/);
      assert.equal(settled.status, 'critical');
      assert.equal(settled.status_source, 'check:deps');

      const hit = target.hitsOf('/accepted')[0];
      assert.equal(hit?.method, 'PUT');
      assert.equal(hit?.headers['x-probe-token'], 's3cret');
      assert.match(hit?.headers['user-agent'] ?? '', /^signalbox-health-checker\/.+ \(replica .+\)$/);

      target.set('/deps', { status: 200, body: '{"db":"up"}' });
      await until(
        'shapes-1',
        'warning once deps pass',
        (i) => i.status === 'warning' && i.status_source === 'check:busy',
      );
    });

    it('fails a probe that outlives its timeout', async () => {
      target = await startProbeTarget();
      target.set('/slow', { delayMs: 1500 });
      await register({
        service: 'timeouts',
        id: 'timeouts-1',
        checks: [{ type: 'http', path: '/slow', interval: '300ms', timeout: '200ms', unhealthy_threshold: 1 }],
      });
      const down = await until('timeouts-1', 'critical', (i) => i.status === 'critical');
      assert.match(down.checks[0]?.output ?? '', /^timed out after 200ms/);
      assert.ok((down.checks[0]?.duration_ms ?? 0) < 1400, `took ${down.checks[0]?.duration_ms} ms`);
    });

    it('runs TCP checks against open and closed ports', async () => {
      target = await startProbeTarget();
      const closed = await freePort();
      await register({
        service: 'tcp',
        id: 'tcp-open',
        checks: [{ type: 'tcp', interval: '200ms', unhealthy_threshold: 1 }],
      });
      await register({
        service: 'tcp',
        id: 'tcp-closed',
        address: `127.0.0.1:${closed}`,
        checks: [{ type: 'tcp', interval: '200ms', unhealthy_threshold: 1 }],
      });
      const open = await until('tcp-open', 'passing', (i) => i.status === 'passing');
      assert.equal(open.checks[0]?.output, `TCP connect to ${target.address} succeeded`);
      const shut = await until('tcp-closed', 'critical', (i) => i.status === 'critical');
      assert.match(shut.checks[0]?.output ?? '', /ECONNREFUSED/);
      const service = (await api.service('tcp')).body;
      assert.equal(service.status, 'warning');
      assert.deepEqual(service.counts, { passing: 1, warning: 0, critical: 1, unknown: 0 });
    });

    it('waits initial_delay before the first probe', async () => {
      target = await startProbeTarget();
      const registeredAt = Date.now();
      await register({
        service: 'delayed',
        id: 'delayed-1',
        checks: [{ type: 'http', path: '/late', interval: '200ms', jitter: '0s', initial_delay: '1s' }],
      });
      await sleep(700);
      assert.equal(target.hitsOf('/late').length, 0, 'probed before initial_delay');
      assert.equal((await instance('delayed-1')).status, 'unknown');
      const first = await waitFor('first probe', () => target.hitsOf('/late')[0]);
      assert.ok(first.at - registeredAt >= 950, `first probe after ${first.at - registeredAt} ms`);
    });

    it('marks an instance flapping after enough transitions in the window, and clears it after', async () => {
      target = await startProbeTarget();
      target.set('/flaky', { status: 200 });
      await register({
        service: 'flappy',
        id: 'flappy-1',
        checks: [{ type: 'http', path: '/flaky', interval: '100ms', jitter: '0s', unhealthy_threshold: 1 }],
      });
      await until('flappy-1', 'passing', (i) => i.status === 'passing');
      // unknown→passing counted one; three more within the 3 s window reach four.
      for (const status of [500, 200, 500]) {
        target.set('/flaky', { status });
        await until(
          'flappy-1',
          `status after ${status}`,
          (i) => i.status === (status === 200 ? 'passing' : 'critical'),
        );
      }
      const flapping = await until('flappy-1', 'flapping', (i) => i.flapping);
      assert.equal(flapping.status, 'critical');
      await waitFor('flapping in the service list', async () =>
        (await api.services()).body.services.some((s) => s.name === 'flappy' && s.flapping === 1),
      );
      await until('flappy-1', 'flapping cleared once the window passed', (i) => !i.flapping, 8000);
    });

    it('writes last results to the store in batches, not per probe, and they survive a restart', async () => {
      target = await startProbeTarget();
      target.set('/stored', { status: 200, body: 'stored' });
      await register({
        service: 'stored',
        id: 'stored-1',
        checks: [{ type: 'http', path: '/stored', interval: '100ms', unhealthy_threshold: 1 }],
      });
      const db = server.app.context.store.db;
      const row = await waitFor(
        'a stored result',
        async () => db.selectFrom('check_results').selectAll().where('instance_id', '=', 'stored-1').executeTakeFirst(),
        10_000,
      );
      assert.equal(row.status, 'passing');
      assert.equal(row.output, 'HTTP 200 OK');
      // Probes run every 100 ms, but the stored row changes only at the periodic flush.
      const first = row.checked_at;
      await sleep(1000);
      const probes = target.hitsOf('/stored', first).length;
      const later = await db
        .selectFrom('check_results')
        .selectAll()
        .where('instance_id', '=', 'stored-1')
        .executeTakeFirstOrThrow();
      assert.ok(probes >= 5, `only ${probes} probes in a second`);
      const moved = later.checked_at - first;
      assert.ok(moved === 0 || moved >= 3000, `stored result moved by ${moved} ms within a second: written per probe`);

      await server.close();
      target.set('/stored', { status: 200, delayMs: 0 });
      server = await startServer({ store: store.url, flapTransitions: 4, flapWindowMs: 3000 });
      api = apiClient(server.apiUrl);
      const restored = await instance('stored-1');
      assert.equal(restored.checks[0]?.output, 'HTTP 200 OK');
      assert.equal(restored.status, 'passing');
    });

    it('counts probes, failures, durations and instances by status in /metrics', async () => {
      target = await startProbeTarget();
      target.set('/bad', { status: 500 });
      const before = await (await fetch(`${server.apiUrl}/metrics`)).text();
      await register({
        service: 'metered',
        id: 'metered-1',
        checks: [{ type: 'http', path: '/bad', interval: '100ms', unhealthy_threshold: 1 }],
      });
      await until('metered-1', 'critical', (i) => i.status === 'critical');
      const text = await waitFor('gauges to catch up', async () => {
        const t = await (await fetch(`${server.apiUrl}/metrics`)).text();
        return metric(t, 'signalbox_instances{status="critical"}') >= 1 ? t : undefined;
      });
      const grew = (name: string) => metric(text, name) - (metric(before, name) || 0);
      assert.ok(grew('signalbox_checks_total{type="http"}') >= 1);
      assert.ok(grew('signalbox_checks_failed_total{type="http"}') >= 1);
      assert.ok(grew('signalbox_check_duration_seconds_count{type="http"}') >= 1);
      assert.ok(grew('signalbox_check_lateness_seconds_count') >= 1);
      assert.equal(metric(text, 'signalbox_check_shards_owned'), 64);
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`health checker under a hanging target [${kind}]`, storeSuiteOptions(kind), () => {
    it('keeps the other targets on schedule (per-target share of the concurrency)', async () => {
      const store = await createTestStore(kind);
      // Four slots in all, so one target may hold one of them.
      const server = await startServer({ store: store.url, checkConcurrency: 4 });
      const api = apiClient(server.apiUrl);
      const hanging = await startProbeTarget();
      const fast = await startProbeTarget();
      try {
        hanging.set('/h', { delayMs: 10_000 });
        for (let i = 0; i < 6; i++) {
          const r = await api.register({
            service: 'hanging',
            id: `hanging-${i}`,
            address: hanging.address,
            checks: [{ type: 'http', path: '/h', interval: '1s', timeout: '1s', unhealthy_threshold: 1 }],
          });
          assert.equal(r.status, 201);
        }
        for (let i = 0; i < 6; i++) {
          const r = await api.register({
            service: 'fast',
            id: `fast-${i}`,
            address: fast.address,
            checks: [{ type: 'http', path: `/f${i}`, interval: '200ms', jitter: '0s' }],
          });
          assert.equal(r.status, 201);
        }
        await sleep(1000);
        const from = Date.now();
        await sleep(2000);
        for (let i = 0; i < 6; i++) {
          const hits = fast.hitsOf(`/f${i}`, from).filter((h) => h.at < from + 2000);
          // Every 200 ms for 2 s is 10 (a busy machine may lose one or two); without the per-target
          // share the hanging probes take every slot and this drops to about 2.
          assert.ok(hits.length >= 7, `fast-${i} probed only ${hits.length} times in 2 s`);
        }
        assert.ok(hanging.hitsOf('/h', from).length <= 3, 'the hanging target got more than its share');
      } finally {
        await server.close();
        await hanging.close();
        await fast.close();
        await store.cleanup();
      }
    });
  });
}
