// Operations on a running demo fleet (event broker, inventory, gateway as processes under the
// agent; the control plane in this process on SQLite): an operator forces the gateway's breaker
// towards inventory open and its calls short-circuit to the fallback without reaching
// inventory, until the command expires; fault injection follows the live configuration, a
// version the service refuses is reported as rejected and the faults in force stay.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningServer, startServer } from '../../server/test/helpers/server.js';
import { createTestStore, type TestStore } from '../../server/test/helpers/stores.js';
import { fleetProcesses, portsFrom } from '../src/fleet.js';
import { freePortBlock, freePorts, type ProcessGroup, spawnFleet } from './helpers/processes.js';
import { until } from './helpers/until.js';

const TOKEN = 'demo-loadgen-token';

describe('operations on a running demo fleet', () => {
  let store: TestStore;
  let server: RunningServer;
  let fleet: ProcessGroup;
  let gatewayUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-live-ops-'));
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.apiUrl}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      // biome-ignore lint/suspicious/noExplicitAny: responses of several routes, read field by field in the assertions
      body: (text ? JSON.parse(text) : undefined) as Record<string, any>,
    };
  };
  const products = async () => {
    const response = await fetch(`${gatewayUrl}/api/products`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServer({ store: store.url });
    const base = await freePortBlock(6);
    const [brokerPort] = await freePorts(1);
    const ports = portsFrom(base);
    gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    const specs = fleetProcesses({
      controlPlaneUrl: server.apiUrl,
      otlpEndpoint: server.otlpUrl,
      dataDir,
      ports,
      brokerAddress: `127.0.0.1:${brokerPort}`,
      load: false,
      extraEnv: { LOG_LEVEL: 'warn', SIGNALBOX_CONFIG_DIR: join(dataDir, 'config'), SIGNALBOX_AGENT_LOG_LEVEL: 'warn' },
    }).filter((spec) => ['broker', 'inventory', 'gateway'].includes(spec.name));
    fleet = spawnFleet(specs);
    await until(
      'the gateway serves products',
      60_000,
      async () => ((await products()).status === 200 ? true : undefined),
      () => fleet.tail(),
    );
  });

  after(async () => {
    await fleet?.stopAll();
    await server?.close();
    await store?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a breaker forced open short-circuits the gateway’s calls to its fallback until it expires', async () => {
    await until('the gateway reports its inventory breaker', 15_000, async () => {
      const fleetView = await api('GET', '/breakers?service=gateway&dependency=inventory');
      return fleetView.body.services?.[0]?.breakers?.[0]?.instances?.[0] ? true : undefined;
    });

    const command = await api('POST', '/breakers/commands', {
      action: 'force_open',
      scope: 'service',
      service: 'gateway',
      breaker: 'inventory',
      reason: 'inventory maintenance',
      expires_in: '8s',
    });
    assert.equal(command.status, 201);
    await until('the gateway applied the command', 5_000, async () => {
      const view = await api('GET', `/breakers/commands/${command.body.id}`);
      return view.body.acks.some((a: { status: string }) => a.status === 'applied') ? true : undefined;
    });
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const answer = await products();
      assert.equal(answer.status, 503);
      assert.equal(answer.body['error'], 'breaker_open');
      // At once: far below the gateway's 3 s upstream timeout (a loaded CI machine took over 200 ms).
      assert.ok(Date.now() - started < 1000, `answered by the fallback at once (${Date.now() - started} ms)`);
    }
    const forced = await until('the forced state reported (every 5 s)', 6_500, async () => {
      const view = await api('GET', '/breakers?service=gateway');
      const instance = view.body.services[0].breakers.find((b: { name: string }) => b.name === 'inventory')
        .instances[0];
      return instance.forced === 'open' && instance.counts.rejections >= 5 ? instance : undefined;
    });
    assert.equal(forced.state, 'open');

    await until('released at expiry', 12_000, async () => ((await products()).status === 200 ? true : undefined));
    const expired = await api('GET', `/breakers/commands/${command.body.id}`);
    assert.equal(expired.body.status, 'expired');
    assert.ok(expired.body.acks.some((a: { status: string }) => a.status === 'released'));
    const audit = await api('GET', '/audit?action=breaker.*');
    assert.deepEqual(
      audit.body.entries.map((e: { action: string }) => e.action),
      ['breaker.expire', 'breaker.force_open'],
    );
  });

  test('fault injection follows the live configuration; a refused version changes nothing', async () => {
    const first = await api('POST', '/config/inventory/demo/versions', {
      content: { faults: { errorRate: 1 } },
      base_version: 0,
      message: 'break inventory',
    });
    assert.equal(first.status, 201);
    await until('inventory fails every request', 5_000, async () =>
      (await products()).status >= 500 ? true : undefined,
    );

    const bad = await api('POST', '/config/inventory/demo/versions', {
      content: { faults: { errorRate: 5 } },
      base_version: 1,
      message: 'a share above 1',
    });
    assert.equal(bad.status, 201, 'no schema on the server: the agent is the one to refuse it');
    const rejected = await until('the rejection', 5_000, async () => {
      const view = await api('GET', '/config/inventory/demo/instances');
      const instance = view.body.instances.find((i: { live: boolean }) => i.live);
      return instance?.last_ack?.version === 2 ? instance : undefined;
    });
    assert.equal(rejected.last_ack.status, 'rejected');
    assert.match(rejected.last_ack.reason, /errorRate/);
    assert.equal(rejected.applied_version, 1);
    assert.ok((await products()).status >= 500, 'the faults in force stay');
    // Enough failing calls for the gateway's breaker (20 calls at least, above 50 % failures).
    const answers: unknown[] = [];
    for (let i = 0; i < 30; i++) answers.push((await products()).body['error']);
    assert.ok(answers.includes('breaker_open'), `the breaker opened by itself: ${JSON.stringify(answers)}`);

    const fixed = await api('POST', '/config/inventory/demo/rollback', {
      to_version: 1,
      base_version: 2,
      message: 'back to v1 then heal',
    });
    assert.equal(fixed.status, 201);
    const healed = await api('POST', '/config/inventory/demo/versions', {
      content: { faults: {} },
      base_version: 3,
      message: 'heal',
    });
    assert.equal(healed.status, 201);
    // Every call failing for seconds opened the gateway's breaker by itself; after the open
    // duration a probe finds inventory healthy and closes it.
    const opened = await until('the breaker opened on the failure rate', 10_000, async () => {
      const view = await api('GET', '/breakers/transitions?service=gateway&name=inventory');
      return view.body.transitions.find(
        (t: { to: string; reason: string }) => t.to === 'open' && t.reason.startsWith('failure rate'),
      );
    });
    assert.match(opened.reason, /^failure rate \d+(\.\d)? % > 50 % over \d+ calls$/);
    await until('inventory healthy again', 15_000, async () => ((await products()).status === 200 ? true : undefined));
    const closed = await until('the probe closed the breaker', 10_000, async () => {
      const view = await api('GET', '/breakers/transitions?service=gateway&name=inventory');
      return view.body.transitions[0]?.to === 'closed' ? view.body.transitions[0] : undefined;
    });
    assert.equal(closed.reason, 'probe succeeded');
  });
});
