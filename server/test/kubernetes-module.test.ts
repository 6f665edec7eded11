// Wiring of the Kubernetes source: its settings, where the cluster comes from (kubeconfig and
// context, in-cluster service account), off by default, /readyz until the caches have loaded,
// and the real binary started with --kubernetes and --namespaces.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadKubeConfig, SERVICE_ACCOUNT_DIR } from '../src/kubernetes/kubeconfig.js';
import { loadSettings, SettingsError } from '../src/settings.js';
import { FakeKubeApiServer, kubeconfigFor } from './fakes/kube-apiserver.js';
import { until } from './fakes/kube-client.js';
import { problemPods } from './fakes/kube-scenarios.js';
import { spawnServer, startServer } from './helpers/server.js';
import { createTestStore } from './helpers/stores.js';

let dir: string;
let kubeconfig: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'signalbox-kube-settings-'));
  kubeconfig = join(dir, 'config');
  // Two contexts; the file's current one is `prod`.
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: prod',
      '  cluster: { server: "https://prod.example:6443" }',
      '- name: local',
      '  cluster: { server: "http://127.0.0.1:8001" }',
      'users:',
      '- name: me',
      '  user: { token: abc }',
      'contexts:',
      '- name: prod',
      '  context: { cluster: prod, user: me }',
      '- name: proxy',
      '  context: { cluster: local, user: me }',
      'current-context: prod',
    ].join('\n'),
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const refuses = (argv: string[], env: NodeJS.ProcessEnv, setting: string) =>
  assert.throws(
    () => loadSettings(argv, env),
    (error: unknown) => error instanceof SettingsError && error.setting === setting,
  );

describe('kubernetes settings', () => {
  it('are off by default', () => {
    const s = loadSettings([], {});
    assert.deepEqual(s.kubernetes, { mode: 'off' });
    assert.deepEqual(s.namespaces, []);
    assert.equal(s.kubeContext, undefined);
    assert.equal(s.kubeWarningLogs, false);
  });

  it('take in-cluster or a kubeconfig path, a context, a namespace list', () => {
    assert.deepEqual(loadSettings(['--kubernetes', 'in-cluster'], {}).kubernetes, { mode: 'in-cluster' });
    const s = loadSettings([], {
      SIGNALBOX_KUBERNETES: kubeconfig,
      SIGNALBOX_KUBE_CONTEXT: 'proxy',
      SIGNALBOX_NAMESPACES: ' shop, platform,shop ',
      SIGNALBOX_KUBE_WARNING_LOGS: 'on',
    });
    assert.deepEqual(s.kubernetes, { mode: 'kubeconfig', path: kubeconfig });
    assert.equal(s.kubeContext, 'proxy');
    assert.deepEqual(s.namespaces, ['shop', 'platform']);
    assert.equal(s.kubeWarningLogs, true);
  });

  it('refuse a missing kubeconfig, a context without one, bad namespace names, bad on/off', () => {
    refuses(['--kubernetes', join(dir, 'nope')], {}, '--kubernetes / SIGNALBOX_KUBERNETES');
    refuses(['--kubernetes', 'in-cluster', '--kube-context', 'prod'], {}, '--kube-context / SIGNALBOX_KUBE_CONTEXT');
    refuses(['--namespaces', 'shop,Bad_Name'], {}, '--namespaces / SIGNALBOX_NAMESPACES');
    refuses([], { SIGNALBOX_KUBE_WARNING_LOGS: 'maybe' }, '--kube-warning-logs / SIGNALBOX_KUBE_WARNING_LOGS');
  });
});

describe('kubeconfig loading', () => {
  it("uses the file's current context, or the one named", () => {
    const current = loadKubeConfig({ mode: 'kubeconfig', path: kubeconfig }, undefined);
    assert.equal(current.cluster, 'https://prod.example:6443');
    assert.equal(current.context, 'prod');
    const proxy = loadKubeConfig({ mode: 'kubeconfig', path: kubeconfig }, 'proxy');
    assert.equal(proxy.cluster, 'http://127.0.0.1:8001');
    assert.equal(proxy.context, 'proxy');
    // Plain HTTP (kubectl proxy) works without insecure-skip-tls-verify, as with kubectl.
    assert.equal(proxy.kubeConfig.getCurrentCluster()?.skipTLSVerify, true);
    assert.equal(current.kubeConfig.getCurrentCluster()?.skipTLSVerify, false);
  });

  it('names the contexts there are when asked for another', () => {
    assert.throws(
      () => loadKubeConfig({ mode: 'kubeconfig', path: kubeconfig }, 'staging'),
      (error: unknown) =>
        error instanceof SettingsError &&
        error.setting === '--kube-context / SIGNALBOX_KUBE_CONTEXT' &&
        /"staging" is not a context of .*; it has: prod, proxy/.test(error.message),
    );
  });

  it('in-cluster: needs the service env and token, then talks HTTPS with the token file', () => {
    assert.throws(
      () => loadKubeConfig({ mode: 'in-cluster' }, undefined, { env: {} }),
      /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT/,
    );
    const prefix = join(dir, 'root');
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    assert.throws(() => loadKubeConfig({ mode: 'in-cluster' }, undefined, { env, pathPrefix: prefix }), /token at/);
    mkdirSync(`${prefix}${SERVICE_ACCOUNT_DIR}`, { recursive: true });
    writeFileSync(`${prefix}${SERVICE_ACCOUNT_DIR}/token`, 'sa-token');
    writeFileSync(`${prefix}${SERVICE_ACCOUNT_DIR}/namespace`, 'signalbox');
    const loaded = loadKubeConfig({ mode: 'in-cluster' }, undefined, { env, pathPrefix: prefix });
    assert.equal(loaded.cluster, 'https://10.96.0.1:443');
    assert.equal(loaded.context, null);
    assert.equal(
      loaded.kubeConfig.getCurrentUser()?.authProvider?.config?.tokenFile,
      `${prefix}${SERVICE_ACCOUNT_DIR}/token`,
    );
    assert.equal(process.env.KUBERNETES_SERVICE_HOST, undefined, 'the process environment is left as it was');
  });
});

describe('kubernetes module wiring', () => {
  it('is absent unless configured', async () => {
    const store = await createTestStore('sqlite');
    const server = await startServer({ store: store.url });
    try {
      assert.equal(server.app.modules.has('kubernetes'), false);
      const res = await fetch(`${server.apiUrl}/api/v1/kubernetes/status`);
      assert.equal(res.status, 404);
    } finally {
      await server.close();
      await store.cleanup();
    }
  });

  it('holds /readyz at 503 (saying why) until the caches have loaded', async () => {
    const fake = new FakeKubeApiServer();
    problemPods().seed(fake);
    fake.setUnavailable(true);
    await fake.listen();
    const path = join(dir, 'fake-config');
    writeFileSync(path, kubeconfigFor(fake.url));
    const store = await createTestStore('sqlite');
    const server = await startServer({ store: store.url, kubernetes: { mode: 'kubeconfig', path } });
    try {
      await until(async () => {
        const res = await fetch(`${server.apiUrl}/readyz`);
        const body = (await res.json()) as { detail?: string };
        return res.status === 503 && /kubernetes: waiting for the first list of .*HTTP 503/.test(body.detail ?? '');
      }, 'a 503 naming the kubernetes caches and the error');
      const early = await fetch(`${server.apiUrl}/api/v1/kubernetes/pods`);
      assert.equal(early.status, 503);
      assert.equal(early.headers.get('retry-after'), '1');
      fake.setUnavailable(false);
      await until(async () => (await fetch(`${server.apiUrl}/readyz`)).status === 200, 'readyz', 15_000);
      const pods = (await (await fetch(`${server.apiUrl}/api/v1/kubernetes/pods`)).json()) as { total: number };
      assert.equal(pods.total, fake.count('pods'));
    } finally {
      await server.close();
      await fake.close();
      await store.cleanup();
    }
  });

  it('runs from the binary with --kubernetes and --namespaces, and refuses an unknown context', async () => {
    const fake = new FakeKubeApiServer();
    problemPods({ namespace: 'shop' }).seed(fake);
    problemPods({ namespace: 'other' }).seed(fake);
    await fake.listen();
    const path = join(dir, 'bin-config');
    writeFileSync(path, kubeconfigFor(fake.url));
    const store = await createTestStore('sqlite');
    const proc = await spawnServer(['--store', store.url, '--kubernetes', path, '--namespaces', 'shop']);
    try {
      await until(async () => (await fetch(`${proc.apiUrl}/readyz`)).status === 200, 'readyz', 20_000);
      const status = (await (await fetch(`${proc.apiUrl}/api/v1/kubernetes/status`)).json()) as {
        namespaces: string[];
        resources: Array<{ resource: string }>;
      };
      assert.deepEqual(status.namespaces, ['shop']);
      assert.ok(!status.resources.some((r) => r.resource === 'namespaces'));
      const pods = (await (await fetch(`${proc.apiUrl}/api/v1/kubernetes/pods`)).json()) as {
        items: Array<{ namespace: string }>;
      };
      assert.ok(pods.items.length > 0 && pods.items.every((p) => p.namespace === 'shop'));
      assert.equal(await proc.stop(), 0);
    } finally {
      await proc.kill();
      await fake.close();
      await store.cleanup();
    }
    const bin = fileURLToPath(new URL('../bin/signalbox-server.mjs', import.meta.url));
    const bad = spawnSync(
      process.execPath,
      [
        bin,
        '--kubernetes',
        path,
        '--kube-context',
        'nope',
        '--api-port',
        '0',
        '--otlp-port',
        '0',
        '--store',
        'sqlite::memory:',
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.notEqual(bad.status, 0);
    assert.match(
      bad.stderr + bad.stdout,
      /invalid setting --kube-context \/ SIGNALBOX_KUBE_CONTEXT: "nope" is not a context/,
    );
  });
});

describe('fake API server CLI (for the dashboard browser tests)', () => {
  it('serves a scenario, writes a kubeconfig, plays steps, and stops on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('./fakes/kube-apiserver-cli.ts', import.meta.url));
    const out = join(dir, 'cli-kubeconfig.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        '--scenario',
        'demo',
        '--step-every',
        '200ms',
        '--log-every',
        '100ms',
        '--kubeconfig-out',
        out,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines: Array<Record<string, string>> = [];
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) lines.push(JSON.parse(line) as Record<string, string>);
    });
    try {
      await until(() => lines.length > 0, 'the CLI to listen', 30_000);
      const { url, scenario } = lines[0]!;
      assert.equal(scenario, 'demo');
      assert.equal(loadKubeConfig({ mode: 'kubeconfig', path: out }, undefined).cluster, url);
      const list = (await (await fetch(`${url}/apis/apps/v1/namespaces/shop/deployments`)).json()) as {
        kind: string;
        items: Array<{ metadata: { name: string } }>;
      };
      assert.equal(list.kind, 'DeploymentList');
      assert.ok(list.items.some((d) => d.metadata.name === 'orders'));
      await until(() => lines.some((l) => l.step === 'new revision'), 'a scenario step');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
