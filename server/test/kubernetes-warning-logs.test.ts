// Warning events stored as log records (--kube-warning-logs): found by log search under the
// service of the pod they concern, once per occurrence (a repeat is a new record, a re-delivery
// is not), never the events that were there before the source started; and on the service
// timeline, read back from the store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubernetesModule } from '../src/kubernetes/module.js';
import { FakeKubeApiServer, kubeconfigFor } from './fakes/kube-apiserver.js';
import { until } from './fakes/kube-client.js';
import { event } from './fakes/kube-objects.js';
import { crashLoop, problemPods } from './fakes/kube-scenarios.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

interface StoredLog {
  body: string;
  service: string;
  severity_text: string;
  severity_number: number;
  scope_name: string;
  time_at: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

for (const kind of STORE_KINDS) {
  describe(`kubernetes warning events as logs [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let fake: FakeKubeApiServer;
    let server: RunningServer;
    let dir: string;
    const crash = crashLoop();

    const module = () => server.app.modules.get('kubernetes') as KubernetesModule;
    const logsOf = async (service: string): Promise<StoredLog[]> => {
      await module().warningLogs!.flush();
      const res = await fetch(`${server.apiUrl}/api/v1/logs?service=${service}&min_severity=warn&limit=100`);
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { logs: StoredLog[] }).logs.filter(
        (l) => l.scope_name === 'signalbox.kubernetes.events',
      );
    };
    const caughtUp = async () => {
      const head = Number(fake.resourceVersion);
      fake.sendBookmarks();
      await until(
        () =>
          module()
            .cache.informersOf('events')
            .every((i) => Number(i.resourceVersion) >= head),
        'the events informer to catch up',
      );
    };

    before(async () => {
      store = await createTestStore(kind);
      fake = new FakeKubeApiServer();
      crash.seed(fake);
      problemPods().seed(fake);
      await fake.listen();
      dir = mkdtempSync(join(tmpdir(), 'signalbox-kube-logs-'));
      const path = join(dir, 'kubeconfig');
      writeFileSync(path, kubeconfigFor(fake.url));
      server = await startServer({ store: store.url, kubernetes: { mode: 'kubeconfig', path }, kubeWarningLogs: true });
      await until(async () => (await fetch(`${server.apiUrl}/readyz`)).status === 200, 'readyz', 15_000);
      await until(() => module().warningLogs !== undefined, 'the writer');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
      await store?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('says so in the source status', async () => {
      const status = (await (await fetch(`${server.apiUrl}/api/v1/kubernetes/status`)).json()) as {
        warning_logs: boolean;
      };
      assert.equal(status.warning_logs, true);
    });

    it('does not store the events that were there before it started', async () => {
      assert.deepEqual(await logsOf('payments'), []);
      assert.deepEqual(await logsOf('gateway'), []);
    });

    it('stores a repeat of a Warning event once, under the service of its pod, with the k8s attributes', async () => {
      crash.steps[0]!.apply(fake); // restart
      crash.steps[1]!.apply(fake); // crash: BackOff count 12 → 13
      await caughtUp();
      const logs = await logsOf('payments');
      assert.equal(logs.length, 1);
      const log = logs[0]!;
      assert.match(log.body, /^Back-off restarting failed container payments in pod /);
      assert.equal(log.severity_number, 13);
      assert.equal(log.severity_text, 'Warning');
      assert.equal(log.attributes['k8s.event.reason'], 'BackOff');
      assert.equal(log.attributes['k8s.event.count'], 13);
      assert.equal(log.attributes['k8s.object.kind'], 'Pod');
      assert.equal(log.attributes['k8s.object.fieldpath'], 'spec.containers{payments}');
      assert.equal(log.resource['k8s.namespace.name'], 'shop');
      assert.match(String(log.resource['k8s.pod.name']), /^payments-/);
      assert.equal(log.resource['service.name'], 'payments');
    });

    it('does not store a re-delivery (a relist after 410 Gone), nor Normal events', async () => {
      const pod = fake.list('pods', 'shop').find((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'gateway')!;
      fake.apply(
        event({
          regarding: pod,
          reason: 'Pulled',
          note: 'Container image already present on machine',
          type: 'Normal',
          container: 'gateway',
        }),
      );
      fake.setUnavailable(true);
      fake.compact();
      fake.setUnavailable(false);
      await until(() => module().cache.informersOf('events')[0]!.stats.lists === 2, 'the events relist');
      await caughtUp();
      assert.equal((await logsOf('payments')).length, 1);
      assert.deepEqual(await logsOf('gateway'), []);
    });

    it('stores a new Warning event, and shows it on the service timeline', async () => {
      const pod = fake.list('pods', 'shop').find((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'gateway')!;
      fake.apply(
        event({
          regarding: pod,
          reason: 'Unhealthy',
          note: 'Liveness probe failed: connection refused',
          container: 'gateway',
        }),
      );
      await caughtUp();
      const logs = await logsOf('gateway');
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.body, 'Liveness probe failed: connection refused');
      const timeline = (await (await fetch(`${server.apiUrl}/api/v1/services/gateway/timeline`)).json()) as {
        events: Array<{ source: string; kind: string; summary: string }>;
        sources: Array<{ name: string; ok: boolean }>;
      };
      assert.ok(timeline.sources.some((s) => s.name === 'kubernetes' && s.ok));
      const k8s = timeline.events.filter((e) => e.source === 'kubernetes');
      assert.equal(k8s.length, 1);
      assert.equal(k8s[0]!.kind, 'k8s.Unhealthy');
      assert.match(k8s[0]!.summary, /^Pod shop\/gateway-.*: Unhealthy: Liveness probe failed: connection refused$/);
      const metrics = await (await fetch(`${server.apiUrl}/metrics`)).text();
      assert.match(metrics, /signalbox_kubernetes_warning_logs_total\{outcome="stored"\} 2/);
    });
  });
}
