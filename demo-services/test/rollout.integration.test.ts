// A staged rollout on a running demo fleet (event broker and two inventory instances as
// processes under the agent; the control plane in this process on SQLite): a configuration that
// makes the canary instance fail half its requests is rolled back by the evaluator by itself,
// from the per-instance figures of the spans the instances send, and the canary returns to the
// previous version (it acknowledges the rollback version and serves again).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningServer, startServer } from '../../server/test/helpers/server.js';
import { createTestStore, type TestStore } from '../../server/test/helpers/stores.js';
import { type FleetProcess, fleetProcesses, portsFrom } from '../src/fleet.js';
import { freePortBlock, freePorts, type ProcessGroup, spawnFleet } from './helpers/processes.js';
import { until } from './helpers/until.js';

describe('staged rollout on a running demo fleet', () => {
  let store: TestStore;
  let server: RunningServer;
  let fleet: ProcessGroup;
  const urls: Record<string, string> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-rollout-'));
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.apiUrl}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: responses of several routes, read field by field in the assertions
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  };

  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServer({ store: store.url });
    const base = await freePortBlock(6);
    const [brokerPort, secondPort] = await freePorts(2);
    const ports = portsFrom(base);
    const specs = fleetProcesses({
      controlPlaneUrl: server.apiUrl,
      otlpEndpoint: server.otlpUrl,
      dataDir,
      ports,
      brokerAddress: `127.0.0.1:${brokerPort}`,
      load: false,
      // Spans exported every 200 ms so the evaluator sees them within the bake.
      extraEnv: { LOG_LEVEL: 'warn', SIGNALBOX_AGENT_LOG_LEVEL: 'warn', OTEL_BSP_SCHEDULE_DELAY: '200' },
    });
    const broker = specs.find((s) => s.name === 'broker') as FleetProcess;
    const inventory = specs.find((s) => s.name === 'inventory') as FleetProcess;
    // Two inventory instances with their own ids, databases and last-good config files.
    const instance = (id: string, port: number): FleetProcess => ({
      ...inventory,
      name: id,
      env: {
        ...inventory.env,
        PORT: String(port),
        SIGNALBOX_INSTANCE_ID: id,
        DEMO_DATA_DIR: join(dataDir, id),
        SIGNALBOX_CONFIG_DIR: join(dataDir, id, 'config'),
      },
    });
    urls['inventory-a'] = `http://127.0.0.1:${ports.inventory}`;
    urls['inventory-b'] = `http://127.0.0.1:${secondPort}`;
    fleet = spawnFleet([
      broker,
      instance('inventory-a', ports.inventory),
      instance('inventory-b', secondPort as number),
    ]);
    for (const [id, url] of Object.entries(urls)) {
      await until(
        `${id} serves products`,
        60_000,
        async () => ((await fetch(`${url}/products`)).status === 200 ? true : undefined),
        () => fleet.tail(),
      );
    }
  });

  after(async () => {
    await fleet?.stopAll();
    await server?.close();
    await store?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a configuration that injects errors into the canary is rolled back by itself', async () => {
    const first = await api('POST', '/config/inventory/demo/versions', {
      content: { faults: {} },
      base_version: 0,
      message: 'no faults',
    });
    assert.equal(first.status, 201);
    await until('both instances applied version 1', 10_000, async () => {
      const view = await api('GET', '/config/inventory/demo/instances');
      const applied = view.body.instances.filter((i: { applied_version: number }) => i.applied_version === 1);
      return applied.length === 2 ? true : undefined;
    });

    const started = await api('POST', '/config/inventory/demo/rollouts', {
      content: { faults: { errorRate: 0.5 } },
      base_version: 1,
      message: 'a risky change',
      canary: { instances: ['inventory-a'] },
      bake: '5s',
      thresholds: { max_error_rate_increase: 0.05, max_p95_ratio: 100, min_requests: 20 },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const id = started.body.id as string;
    await until('the canary applied version 2', 5_000, async () => {
      const view = await api('GET', '/config/inventory/demo/instances');
      const canary = view.body.instances.find((i: { instance_id: string }) => i.instance_id === 'inventory-a');
      return canary?.applied_version === 2 ? true : undefined;
    });

    // A small load loop on both instances until the rollout ends.
    const statuses: Record<string, number[]> = { 'inventory-a': [], 'inventory-b': [] };
    const ended = await until(
      'the rollout ended by itself',
      20_000,
      async () => {
        for (const [instance, url] of Object.entries(urls)) {
          for (let i = 0; i < 5; i++) statuses[instance]?.push((await fetch(`${url}/products`)).status);
        }
        const view = await api('GET', `/config/inventory/demo/rollouts/${id}`);
        return view.body.status === 'baking' ? undefined : view.body;
      },
      () => fleet.tail(),
    );
    assert.ok(
      statuses['inventory-a']?.some((s) => s >= 500),
      'the canary failed some requests',
    );
    assert.ok(
      statuses['inventory-b']?.every((s) => s === 200),
      'the baseline did not',
    );
    assert.equal(ended.status, 'rolled_back', JSON.stringify(ended));
    assert.match(ended.decision_reason, /^error rate .* on the canary vs 0\.0 % on the baseline/);
    assert.deepEqual(ended.comparison.canary.instances, ['inventory-a']);
    assert.deepEqual(ended.comparison.baseline.instances, ['inventory-b']);
    assert.ok(ended.comparison.canary.errors > 0);
    assert.deepEqual(
      ended.steps.map((s: { step: string; actor: string }) => `${s.step} by ${s.actor}`),
      ['started by anonymous (open mode)', 'canary_applied by signalbox', 'rolled_back by signalbox'],
    );
    // Judged only on requests served after the canary's agent acknowledged the version.
    assert.equal(ended.comparison.from_ms, ended.canary_applied_at);

    // The canary returns to the previous content (published again as version 3) and serves.
    await until('the canary applied the rollback version', 5_000, async () => {
      const view = await api('GET', '/config/inventory/demo/instances');
      const canary = view.body.instances.find((i: { instance_id: string }) => i.instance_id === 'inventory-a');
      return canary?.applied_version === ended.rollback_version ? true : undefined;
    });
    for (let i = 0; i < 20; i++) assert.equal((await fetch(`${urls['inventory-a']}/products`)).status, 200);
    const doc = await api('GET', '/config/inventory/demo');
    assert.deepEqual(doc.body.content, { faults: {} });
    const audit = await api('GET', '/audit?action=rollout.*');
    assert.deepEqual(
      audit.body.entries.map((e: { action: string }) => e.action),
      ['rollout.rollback', 'rollout.start'],
    );
  });
});
