// The agent against a real control plane that is down at first, comes up, dies and comes back
// on an empty store: the host never waits and keeps serving, telemetry is held up to its bound
// and the rest is dropped and counted, heartbeats back off to their cap, the instance registers
// again after the data loss, and shutdown deregisters and flushes within its deadline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Agent, start } from '../src/agent.js';
import { ControlPlane, eventually } from './helpers/control-plane.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';
import { fastOptions, recordingLogger, startService, type TestService } from './helpers/service.js';

keepEventLoopAlive();

interface InstanceView {
  id: string;
  service: string;
  address: string;
  version: string | null;
  environment: string | null;
  status: string;
  removed_at: number | null;
  checks: { type: string; path?: string; interval: string; timeout: string }[];
}

describe('agent with a control plane that goes down and comes back', () => {
  let controlPlane: ControlPlane;
  let agent: Agent;
  let service: TestService;
  const logger = recordingLogger();

  before(async () => {
    controlPlane = await ControlPlane.reserve();
  });

  after(async () => {
    await service?.close().catch(() => {});
    await agent?.shutdown({ timeoutMs: 1_000 });
    await controlPlane.dispose();
  });

  it('start() returns at once while the control plane is down', async () => {
    const started = performance.now();
    agent = start(
      fastOptions({
        service: 'agent-outage-test',
        controlPlane: controlPlane.apiUrl,
        otlpEndpoint: controlPlane.otlpUrl,
        logger,
      }),
    );
    const elapsed = performance.now() - started;
    // Setting up the SDK takes a few ms; one attempt at an unreachable control plane with its
    // 1 s timeout would take far longer.
    assert.ok(elapsed < 500, `start() took ${elapsed.toFixed(1)} ms`);
    service = await startService(agent);
    assert.notEqual(agent.stats().controlPlane?.state, 'registered');
  });

  it('keeps serving while down; telemetry is held up to its bound and the rest dropped and counted', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 150; i++) {
      const t0 = performance.now();
      const { status } = await service.work();
      latencies.push(performance.now() - t0);
      assert.equal(status, 200);
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    assert.ok(p99 < 250, `p99 latency while the control plane is down: ${p99.toFixed(1)} ms`);

    const stats = agent.stats();
    // Three spans per request (the SERVER span of /work, the fetch to /inner and its SERVER
    // span) and three log lines (Fastify's two and the handler's): far beyond the bound.
    assert.ok(stats.spans.queued <= 64, `spans queued ${stats.spans.queued}`);
    assert.ok(stats.logs.queued <= 64, `logs queued ${stats.logs.queued}`);
    assert.ok(stats.spans.dropped >= 150 * 3 - 64, `spans dropped ${stats.spans.dropped}`);
    assert.ok(stats.logs.dropped >= 150 - 64, `logs dropped ${stats.logs.dropped}`);
    assert.equal(stats.spans.exported, 0);
    await eventually('a failed export attempt', () => (agent.stats().spans.failedExports > 0 ? true : undefined));
    assert.match(agent.stats().spans.lastError ?? '', /ECONNREFUSED/);
  });

  it('backs its heartbeat attempts off up to the cap', async () => {
    const samples: number[] = [];
    const windowStart = agent.stats().controlPlane?.failures ?? 0;
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      samples.push(agent.stats().controlPlane?.backoffMs ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const attempts = (agent.stats().controlPlane?.failures ?? 0) - windowStart;
    // At the 200 ms starting delay there would be ~15 attempts in 3 s; capped at 1 s, at most ~4.
    assert.ok(attempts >= 2 && attempts <= 5, `${attempts} attempts in 3 s`);
    assert.ok(Math.max(...samples) <= 1_000, `backoff above the cap: ${Math.max(...samples)}`);
    assert.ok(Math.max(...samples) >= 800, `backoff never grew: ${samples.join(',')}`);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /control plane registration failed/.test(l.message)));
    assert.match(agent.stats().controlPlane?.lastError ?? '', /POST \/api\/v1\/instances failed: .*ECONNREFUSED/);
    // One warning per outage, not one per attempt.
    assert.equal(logger.lines.filter((l) => /control plane registration failed/.test(l.message)).length, 1);
  });

  it('registers once the control plane is up, and the held telemetry arrives', async () => {
    await controlPlane.start();
    const instance = await eventually('the instance to be registered', async () => {
      const { status, body } = await controlPlane.get<InstanceView>(`/api/v1/instances/${agent.instanceId}`);
      return status === 200 ? body : undefined;
    });
    assert.equal(instance.service, 'agent-outage-test');
    assert.equal(instance.version, '1.2.3');
    assert.equal(instance.environment, 'test');
    assert.equal(instance.address, new URL(service.url).host);
    assert.deepEqual(
      instance.checks.map((c) => [c.type, c.path, c.interval, c.timeout]),
      [['http', '/readyz', '1s', '500ms']],
    );
    // The control plane probes /readyz on the service's own server: the instance turns passing.
    await eventually('the instance to pass its check', async () => {
      const { body } = await controlPlane.get<InstanceView>(`/api/v1/instances/${agent.instanceId}`);
      return body.status === 'passing' ? true : undefined;
    });

    await eventually('the held spans and logs to be sent', () => {
      const { spans, logs } = agent.stats();
      if (spans.queued === 0 && logs.queued === 0 && spans.exported >= 64 && logs.exported >= 64) return true;
      throw new Error(JSON.stringify({ spans, logs }));
    });
    const found = await eventually('traces stored by the control plane', async () => {
      const { body } = await controlPlane.get<{ traces: { trace_id: string }[] }>(
        '/api/v1/traces?service=agent-outage-test&limit=100',
      );
      return body.traces.length > 0 ? body.traces : undefined;
    });
    assert.ok(found.length > 0);
    const stats = agent.stats().controlPlane;
    assert.equal(stats?.state, 'registered');
    assert.equal(stats?.consecutiveFailures, 0);
    assert.equal(stats?.backoffMs, 0);
    assert.ok(logger.lines.some((l) => l.message === 'control plane reachable again'));
  });

  it('registers again after the control plane restarts on an empty store', async () => {
    const before = agent.stats().controlPlane;
    await controlPlane.kill();
    await eventually('heartbeats to fail', () =>
      (agent.stats().controlPlane?.consecutiveFailures ?? 0) > 0 ? true : undefined,
    );
    await controlPlane.start(); // a fresh store: the registration is lost
    await eventually('the instance to be registered again', async () => {
      const { status } = await controlPlane.get(`/api/v1/instances/${agent.instanceId}`);
      return status === 200 ? true : undefined;
    });
    const after = agent.stats().controlPlane;
    assert.ok((after?.reRegistrations ?? 0) >= 1, 'a heartbeat got 404 and the agent registered again');
    assert.ok((after?.registrations ?? 0) > (before?.registrations ?? 0));
  });

  it('shutdown deregisters and flushes within its deadline', async () => {
    const { traceId } = await service.work();
    await service.close();
    const started = Date.now();
    const report = await agent.shutdown({ timeoutMs: 3_000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 3_000, `shutdown took ${elapsed} ms`);
    assert.equal(report.flushed, true);
    assert.equal(report.deregistered, true);
    const stats = agent.stats();
    assert.equal(stats.spans.queued, 0);
    const { body: instance } = await controlPlane.get<InstanceView>(`/api/v1/instances/${agent.instanceId}`);
    assert.notEqual(instance.removed_at, null);
    // The last request's trace was flushed on the way out, not lost.
    const { status, body: stored } = await controlPlane.get<{ spans: { name: string }[] }>(`/api/v1/traces/${traceId}`);
    assert.equal(status, 200);
    assert.ok(stored.spans.length >= 3, `${stored.spans.length} spans stored`);
  });
});
