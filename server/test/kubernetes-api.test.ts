// The Kubernetes API end to end: the real server (settings → kubeconfig file → informers)
// against the fake API server, playing the scenarios: a rolling update, a crash-looping pod, an
// OOMKilled container, a deleted service, problem pods, a dropped watch, an expired
// resourceVersion; pod logs (tail, previous, container choice, follow over SSE); pods matched
// to registry instances with their readiness merged into the instance status.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubernetesModule } from '../src/kubernetes/module.js';
import type { EventView, NamespaceView, PodView, ServiceView, WorkloadView } from '../src/kubernetes/schemas.js';
import { FakeKubeApiServer, kubeconfigFor } from './fakes/kube-apiserver.js';
import { until } from './fakes/kube-client.js';
import { event, pod, running } from './fakes/kube-objects.js';
import {
  crashLoop,
  deletedService,
  oomKilled,
  problemPods,
  rollingUpdate,
  type Scenario,
} from './fakes/kube-scenarios.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events response as it arrives. */
async function openSse(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const events: SseEvent[] = [];
  let ended = false;
  const pump = (async () => {
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let split = buffer.indexOf('\n\n');
        while (split !== -1) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
          split = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by the test
    }
    ended = true;
  })();
  return {
    res,
    events,
    get ended() {
      return ended;
    },
    async next(event: string, predicate: (data: never) => boolean = () => true, timeoutMs = 5000) {
      await until(
        () => events.some((e) => e.event === event && predicate(e.data as never)),
        `SSE event ${event}`,
        timeoutMs,
      );
      return events.find((e) => e.event === event && predicate(e.data as never))!.data;
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

for (const kind of STORE_KINDS) {
  describe(`kubernetes API [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let fake: FakeKubeApiServer;
    let server: RunningServer;
    let dir: string;
    let api: string;
    const scenarios: Record<string, Scenario> = {
      rolling: rollingUpdate(),
      crash: crashLoop(),
      oom: oomKilled(),
      deleted: deletedService(),
      problems: problemPods(),
    };

    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${api}/api/v1/kubernetes${path}`);
      assert.equal(res.status, 200, `${path}: ${res.status} ${await res.clone().text()}`);
      return (await res.json()) as T;
    };
    const module = () => server.app.modules.get('kubernetes') as KubernetesModule;
    /** Waits until the source has seen everything the fake has written (events included). */
    const caughtUp = async () => {
      const head = Number(fake.resourceVersion);
      fake.sendBookmarks();
      await until(
        () =>
          module()
            .cache.informersOf('pods')
            .every((i) => Number(i.resourceVersion) >= head) &&
          module()
            .cache.informersOf('events')
            .every((i) => Number(i.resourceVersion) >= head),
        'the informers to catch up',
      );
    };

    before(async () => {
      store = await createTestStore(kind);
      fake = new FakeKubeApiServer();
      for (const s of Object.values(scenarios)) s.seed(fake);
      // A pod with a sidecar whose default container is named by annotation.
      fake.apply(
        pod({
          namespace: 'shop',
          name: 'search-0',
          labels: { app: 'search' },
          containers: [
            { name: 'search', image: 'search:1' },
            { name: 'envoy', image: 'envoy:1.31', port: 15000 },
          ],
          annotations: { 'kubectl.kubernetes.io/default-container': 'search' },
        }),
      );
      fake.appendLog('shop', 'search-0', 'search', ['search ready']);
      fake.appendLog('shop', 'search-0', 'envoy', ['envoy: all clusters initialized']);
      await fake.listen();
      dir = mkdtempSync(join(tmpdir(), 'signalbox-kube-'));
      const kubeconfig = join(dir, 'kubeconfig.yaml');
      writeFileSync(kubeconfig, kubeconfigFor(fake.url, { context: 'fake-ctx' }));
      server = await startServer({
        store: store.url,
        kubernetes: { mode: 'kubeconfig', path: kubeconfig },
        kubeContext: 'fake-ctx',
      });
      api = server.apiUrl;
      await until(async () => (await fetch(`${api}/readyz`)).status === 200, 'readyz', 15_000);
    });
    after(async () => {
      await server?.close();
      await fake?.close();
      await store?.cleanup();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('reports the source: cluster, context, caches synced, one list per resource', async () => {
      const status = await get<{
        cluster: string;
        context: string;
        synced: boolean;
        sync_duration_ms: number;
        namespaces: null;
        resources: Array<{ resource: string; synced: boolean; lists: number; objects: number }>;
      }>('/status');
      assert.equal(status.cluster, fake.url);
      assert.equal(status.context, 'fake-ctx');
      assert.equal(status.synced, true);
      assert.equal(status.namespaces, null);
      assert.ok(status.sync_duration_ms >= 0);
      assert.deepEqual(
        status.resources.map((r) => r.resource),
        [
          'namespaces',
          'pods',
          'services',
          'endpointslices',
          'deployments',
          'statefulsets',
          'daemonsets',
          'replicasets',
          'events',
        ],
      );
      assert.ok(status.resources.every((r) => r.synced && r.lists === 1));
      assert.equal(status.resources.find((r) => r.resource === 'pods')?.objects, fake.count('pods'));
    });

    it('lists namespaces with counts and the worst severity', async () => {
      const { items } = await get<{ items: NamespaceView[] }>('/namespaces');
      const shop = items.find((n) => n.name === 'shop')!;
      assert.equal(shop.phase, 'Active');
      assert.equal(shop.pods, fake.count('pods'));
      assert.equal(shop.severity, 'critical');
      assert.equal(shop.problem_pods, 5, 'crash loop, OOM, image pull, unschedulable, failing probe');
      assert.ok(shop.warning_events >= 4);
      assert.equal(shop.services, fake.list('services', 'shop').length);
    });

    it('lists pods with problems first, and what each is', async () => {
      const { items, total } = await get<{ items: PodView[]; total: number }>('/pods?namespace=shop');
      assert.equal(total, fake.count('pods'));
      assert.deepEqual(
        items.slice(0, 5).map((p) => [p.problems[0]?.code, p.severity]),
        [
          ['crash_loop', 'critical'],
          ['oom_killed', 'critical'],
          ['image_pull', 'critical'],
          ['unschedulable', 'critical'],
          ['probe_failing', 'warning'],
        ],
      );
      assert.ok(items.slice(5).every((p) => p.severity === 'ok'));
      const crash = items[0]!;
      assert.equal(crash.status, 'CrashLoopBackOff');
      assert.equal(crash.restarts, 4);
      assert.deepEqual(crash.workload, { kind: 'Deployment', name: 'payments' });
      assert.deepEqual(crash.services, ['payments']);
      assert.equal(crash.app, 'payments');
      assert.equal(
        items[4]!.problems[0]!.message,
        'gateway: Readiness probe failed: HTTP probe failed with statuscode: 503 (7 times)',
      );

      const critical = await get<{ items: PodView[]; total: number }>('/pods?severity=critical');
      assert.equal(critical.total, 4);
      const gateway = await get<{ items: PodView[] }>('/pods?app=gateway');
      assert.equal(gateway.items.length, 2);
      const limited = await get<{ items: PodView[]; total: number }>('/pods?limit=2');
      assert.equal(limited.items.length, 2);
      assert.equal(limited.total, fake.count('pods'));
    });

    it('a pod view follows new events about the pod (views are cached between requests)', async () => {
      // An orders pod: the rolling update replaces them all later.
      const before = await get<{ items: PodView[] }>('/pods?app=orders');
      const healthy = before.items.find((p) => p.severity === 'ok')!;
      const hits = module().view.podViews.hits;
      await get('/pods?app=orders');
      assert.ok(module().view.podViews.hits > hits, 'the second request was served from the cache');
      fake.apply(
        event({
          regarding: fake.get('pods', 'shop', healthy.name)!,
          reason: 'Unhealthy',
          note: 'Liveness probe failed: Get "http://10.244.0.9:8080/livez": context deadline exceeded',
          container: 'orders',
        }),
      );
      await caughtUp();
      const after = (await get<{ items: PodView[] }>('/pods?app=orders')).items.find((p) => p.name === healthy.name)!;
      assert.equal(after.problems[0]?.code, 'probe_failing');
      assert.match(after.problems[0]!.message, /Liveness probe failed/);
    });

    it('shows one pod with its events', async () => {
      const name = (await get<{ items: PodView[] }>('/pods?app=payments')).items[0]!.name;
      const detail = await get<{ pod: PodView; events: EventView[] }>(`/namespaces/shop/pods/${name}`);
      assert.equal(detail.pod.name, name);
      const backOff = detail.events.find((e) => e.reason === 'BackOff')!;
      assert.equal(backOff.type, 'Warning');
      assert.equal(backOff.count, 12);
      assert.equal(backOff.regarding.field_path, 'spec.containers{payments}');
      const missing = await fetch(`${api}/api/v1/kubernetes/namespaces/shop/pods/nope`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { code: string }).code, 'SB_NOT_FOUND');
    });

    it('finds events for an object, by kind+namespace+name or uid, and refuses a name without namespace', async () => {
      const pods = await get<{ items: PodView[] }>('/pods?app=notifications');
      const p = pods.items[0]!;
      const byName = await get<{ items: EventView[] }>(`/events?kind=Pod&namespace=shop&name=${p.name}`);
      assert.equal(byName.items[0]?.reason, 'Failed');
      assert.match(byName.items[0]!.note, /Failed to pull image/);
      const byUid = await get<{ items: EventView[] }>(`/events?uid=${p.uid}`);
      assert.deepEqual(byUid.items, byName.items);
      const warnings = await get<{ items: EventView[] }>('/events?type=Warning&namespace=shop');
      assert.ok(warnings.items.every((e) => e.type === 'Warning'));
      assert.ok(
        warnings.items.every((e, i) => i === 0 || warnings.items[i - 1]!.last_at >= e.last_at),
        'newest first',
      );
      const bad = await fetch(`${api}/api/v1/kubernetes/events?kind=Pod&name=x`);
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path, '/querystring/namespace');
      const badKind = await fetch(`${api}/api/v1/kubernetes/workloads?kind=CronJob`);
      assert.equal(badKind.status, 400);
    });

    it('reads logs: tail, container choice, previous instance, and says why it cannot', async () => {
      const gateway = (await get<{ items: PodView[] }>('/pods?app=gateway')).items.find((p) => p.severity === 'ok')!;
      const logs = await get<{
        container: string;
        lines: Array<{ time_ns: string; text: string }>;
        truncated: boolean;
      }>(`/namespaces/shop/pods/${gateway.name}/logs`);
      assert.equal(logs.container, 'gateway');
      assert.equal(logs.lines.length, 3);
      assert.match(logs.lines[2]!.text, /listening/);
      assert.match(logs.lines[0]!.time_ns, /^\d{19}$/);
      assert.equal(logs.truncated, false);
      const one = await get<{ lines: unknown[] }>(`/namespaces/shop/pods/${gateway.name}/logs?tail_lines=1`);
      assert.equal(one.lines.length, 1);

      const byDefault = await get<{ container: string; lines: Array<{ text: string }> }>(
        '/namespaces/shop/pods/search-0/logs',
      );
      assert.equal(byDefault.container, 'search');
      const sidecar = await get<{ container: string; lines: Array<{ text: string }> }>(
        '/namespaces/shop/pods/search-0/logs?container=envoy',
      );
      assert.deepEqual(
        sidecar.lines.map((l) => l.text),
        ['envoy: all clusters initialized'],
      );
      const wrong = await fetch(`${api}/api/v1/kubernetes/namespaces/shop/pods/search-0/logs?container=nginx`);
      assert.equal(wrong.status, 400);
      assert.match(((await wrong.json()) as { detail: string }).detail, /choose one of: search, envoy/);

      const crash = (await get<{ items: PodView[] }>('/pods?app=payments')).items[0]!;
      const current = await get<{ lines: Array<{ text: string }> }>(`/namespaces/shop/pods/${crash.name}/logs`);
      assert.match(current.lines.at(-1)!.text, /afterConnect/, 'a crash-looping container still shows its last run');
      const previous = await get<{ previous: boolean; lines: Array<{ text: string }> }>(
        `/namespaces/shop/pods/${crash.name}/logs?previous=true`,
      );
      assert.equal(previous.previous, true);
      assert.match(previous.lines[1]!.text, /ECONNREFUSED/);
      const noPrevious = await fetch(
        `${api}/api/v1/kubernetes/namespaces/shop/pods/${gateway.name}/logs?previous=true`,
      );
      assert.equal(noPrevious.status, 409);
      assert.match(((await noPrevious.json()) as { detail: string }).detail, /no previous terminated instance/);
      const pulling = (await get<{ items: PodView[] }>('/pods?app=notifications')).items[0]!;
      const notStarted = await fetch(`${api}/api/v1/kubernetes/namespaces/shop/pods/${pulling.name}/logs`);
      assert.equal(notStarted.status, 409);
      assert.match(
        ((await notStarted.json()) as { detail: string }).detail,
        /has not started yet \(ImagePullBackOff\)/,
      );
      const badTail = await fetch(`${api}/api/v1/kubernetes/namespaces/shop/pods/${gateway.name}/logs?tail_lines=-1`);
      assert.equal(badTail.status, 400);
    });

    it('follows a log over SSE, and stops reading when the client goes', async () => {
      const gateway = (await get<{ items: PodView[] }>('/pods?app=gateway')).items.find((p) => p.severity === 'ok')!;
      const stream = await openSse(
        `${api}/api/v1/kubernetes/namespaces/shop/pods/${gateway.name}/logs/stream?tail_lines=2`,
      );
      assert.equal(stream.res.status, 200);
      assert.match(stream.res.headers.get('content-type') ?? '', /text\/event-stream/);
      assert.deepEqual(await stream.next('open'), { namespace: 'shop', pod: gateway.name, container: 'gateway' });
      await until(() => stream.events.filter((e) => e.event === 'line').length === 2, 'the two tail lines');
      await until(() => fake.logFollowers('shop', gateway.name) === 1, 'the follow request at the API server');
      fake.appendLog('shop', gateway.name, 'gateway', ['GET /api/orders 200 12ms']);
      const line = (await stream.next('line', (d: { text: string }) => d.text === 'GET /api/orders 200 12ms')) as {
        time_ns: string;
      };
      assert.match(line.time_ns, /^\d{19}$/);
      await stream.close();
      await until(() => fake.logFollowers('shop', gateway.name) === 0, 'the upstream follow to stop');

      const again = await openSse(
        `${api}/api/v1/kubernetes/namespaces/shop/pods/${gateway.name}/logs/stream?tail_lines=0`,
      );
      await again.next('open');
      await until(() => fake.logFollowers('shop', gateway.name) === 1, 'the second follow');
      fake.endLogStreams('shop', gateway.name);
      const end = (await again.next('end')) as { reason: string };
      assert.match(end.reason, /container stopped/);
      await until(() => again.ended, 'the stream to end');
      assert.equal(again.events.filter((e) => e.event === 'line').length, 0, 'tail_lines=0 sends only new lines');
      const missing = await fetch(`${api}/api/v1/kubernetes/namespaces/shop/pods/nope/logs/stream`);
      assert.equal(missing.status, 404);
      assert.match(missing.headers.get('content-type') ?? '', /problem\+json/);
    });

    it('plays a rolling update: progressing with the counts at each step, complete at the end', async () => {
      const orders = async () =>
        (await get<{ items: WorkloadView[] }>('/workloads?namespace=shop&kind=Deployment')).items.find(
          (w) => w.name === 'orders',
        )!;
      assert.equal((await orders()).rollout.state, 'complete');
      const seen: string[] = [];
      for (const step of scenarios.rolling!.steps) {
        step.apply(fake);
        await caughtUp();
        const w = await orders();
        const r = w.rollout;
        seen.push(
          `${step.name}: ${r.state} ${r.updated}/${r.desired} current=${r.current} unavailable=${r.unavailable} pods=${w.pods}`,
        );
      }
      assert.deepEqual(seen, [
        'new revision: progressing 0/3 current=3 unavailable=0 pods=3',
        'surge 1: progressing 1/3 current=4 unavailable=1 pods=4',
        'replace 1: progressing 1/3 current=3 unavailable=0 pods=3',
        'surge 2: progressing 2/3 current=4 unavailable=1 pods=4',
        'replace 2: progressing 2/3 current=3 unavailable=0 pods=3',
        'surge 3: progressing 3/3 current=4 unavailable=1 pods=4',
        'replace 3: complete 3/3 current=3 unavailable=0 pods=3',
        'complete: complete 3/3 current=3 unavailable=0 pods=3',
      ]);
      const detail = await get<{ workload: WorkloadView; pods: PodView[]; events: EventView[] }>(
        '/namespaces/shop/workloads/Deployment/orders',
      );
      assert.deepEqual(detail.workload.images, ['ghcr.io/signalbox/orders:1.5.0']);
      assert.ok(detail.pods.every((p) => p.containers[0]?.image === 'ghcr.io/signalbox/orders:1.5.0'));
      assert.ok(detail.events.some((e) => e.reason === 'ScalingReplicaSet'));
      const svc = await get<{ service: ServiceView; pods: PodView[] }>('/namespaces/shop/services/orders/pods');
      assert.equal(svc.service.ready_endpoints, 3);
      assert.deepEqual(svc.pods.map((p) => p.name).sort(), detail.pods.map((p) => p.name).sort());
    });

    it('plays a crash loop: restart, then crash again with one more back-off', async () => {
      const payments = async () => (await get<{ items: PodView[] }>('/pods?app=payments')).items[0]!;
      const [restart, crash] = scenarios.crash!.steps;
      restart!.apply(fake);
      await caughtUp();
      let p = await payments();
      assert.equal(p.status, 'Running');
      assert.equal(p.restarts, 5);
      assert.deepEqual(
        p.problems.map((x) => x.code),
        ['probe_failing', 'restarts'],
      );
      crash!.apply(fake);
      await caughtUp();
      p = await payments();
      assert.equal(p.status, 'CrashLoopBackOff');
      assert.equal(p.problems[0]?.code, 'crash_loop');
      const events = await get<{ items: EventView[] }>(`/events?kind=Pod&namespace=shop&name=${p.name}&type=Warning`);
      assert.equal(events.items.find((e) => e.reason === 'BackOff')?.count, 13);
    });

    it("puts the service's Warning events on its timeline (from the informer without --kube-warning-logs)", async () => {
      const timeline = (await (await fetch(`${api}/api/v1/services/payments/timeline`)).json()) as {
        events: Array<{ source: string; kind: string; summary: string; details: { count: number } }>;
      };
      const backOff = timeline.events.find((e) => e.source === 'kubernetes' && e.kind === 'k8s.BackOff');
      assert.ok(backOff, JSON.stringify(timeline.events));
      assert.equal(backOff.details.count, 13);
      assert.match(
        backOff.summary,
        /^Pod shop\/payments-.*: BackOff: Back-off restarting failed container payments .*\(13 times\)$/,
      );
      // The orders pod the liveness warning was about is gone (the rolling update replaced it):
      // the event still belongs to orders, by the name the deployment gave the pod. The Normal
      // ScalingReplicaSet events are not on the timeline.
      const orders = (await (await fetch(`${api}/api/v1/services/orders/timeline`)).json()) as {
        events: Array<{ source: string; kind: string }>;
      };
      assert.deepEqual(
        orders.events.filter((e) => e.source === 'kubernetes').map((e) => e.kind),
        ['k8s.Unhealthy'],
      );
    });

    it('plays an OOM kill: critical, names the limit, counts the restart', async () => {
      const inventory = async () => (await get<{ items: PodView[] }>('/pods?app=inventory')).items[0]!;
      let p = await inventory();
      assert.equal(p.problems[0]?.code, 'oom_killed');
      assert.match(p.problems[0]!.message, /memory limit 128Mi/);
      assert.equal(p.containers[0]?.last_termination?.reason, 'OOMKilled');
      assert.equal(p.containers[0]?.last_termination?.exit_code, 137);
      scenarios.oom!.steps[0]!.apply(fake);
      await caughtUp();
      p = await inventory();
      assert.equal(p.restarts, 2);
      assert.equal(p.severity, 'critical');
    });

    it('plays a deleted service: its pods page goes 404, the pods stay and lose it', async () => {
      const before = await get<{ service: ServiceView; pods: PodView[] }>('/namespaces/shop/services/users/pods');
      assert.equal(before.pods.length, 2);
      assert.equal(before.service.ready_endpoints, 2);
      assert.deepEqual(before.service.selector, { 'app.kubernetes.io/name': 'users' });
      scenarios.deleted!.steps[0]!.apply(fake);
      await until(
        async () => (await fetch(`${api}/api/v1/kubernetes/namespaces/shop/services/users/pods`)).status === 404,
        'the 404',
      );
      const pods = await get<{ items: PodView[] }>('/pods?app=users');
      assert.equal(pods.items.length, 2, 'still found by their app label');
      assert.ok(pods.items.every((p) => p.services.length === 0));
      const services = await get<{ items: ServiceView[] }>('/services?namespace=shop');
      assert.ok(!services.items.some((s) => s.name === 'users'));
    });

    it('survives a dropped watch and an expired resourceVersion (relist), visible in the status', async () => {
      const gateway = (await get<{ items: PodView[] }>('/pods?app=gateway')).items.find((p) => p.severity === 'ok')!;
      fake.dropWatches({ mode: 'abrupt' });
      fake.patch('pods', 'shop', gateway.name, { metadata: { labels: { tier: 'edge' } } });
      await until(
        async () => (await get<{ pod: PodView }>(`/namespaces/shop/pods/${gateway.name}`)).pod.labels.tier === 'edge',
        'the change after a dropped watch',
      );

      fake.setUnavailable(true);
      fake.delete('pods', 'shop', 'search-0');
      fake.compact();
      fake.setUnavailable(false);
      await until(
        async () => (await fetch(`${api}/api/v1/kubernetes/namespaces/shop/pods/search-0`)).status === 404,
        'the relist to drop search-0',
        15_000,
      );
      const status = await get<{ resources: Array<{ resource: string; lists: number; watch_restarts: number }> }>(
        '/status',
      );
      const pods = status.resources.find((r) => r.resource === 'pods')!;
      assert.equal(pods.lists, 2);
      assert.ok(pods.watch_restarts >= 2);
      const metrics = await (await fetch(`${api}/metrics`)).text();
      assert.match(metrics, /signalbox_kubernetes_lists_total\{resource="pods"\} 2/);
      assert.match(metrics, new RegExp(`signalbox_kubernetes_objects\\{resource="pods"\\} ${fake.count('pods')}`));
      assert.match(metrics, /signalbox_kubernetes_synced 1/);
    });

    it('matches registry instances to pods and merges pod readiness into their status', async () => {
      const gateways = (await get<{ items: PodView[] }>('/pods?app=gateway')).items;
      const unready = gateways.find((p) => p.severity !== 'ok')!;
      const ready = gateways.find((p) => p.severity === 'ok')!;
      const register = async (body: Record<string, unknown>) => {
        const res = await fetch(`${api}/api/v1/instances`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 201, await res.clone().text());
        return ((await res.json()) as { id: string }).id;
      };
      // By the pod name the agent reports (downward API), and by pod IP:port.
      const byName = await register({
        service: 'gateway',
        address: 'gateway-internal:8080',
        labels: { 'k8s.pod.name': unready.name, 'k8s.namespace.name': 'shop' },
      });
      const byIp = await register({ service: 'gateway', address: `${ready.pod_ip}:8080` });
      const unmatched = await register({ service: 'gateway', address: '192.0.2.10:8080' });
      await module().link!.reconcileNow();
      const instance = async (id: string) =>
        (await (await fetch(`${api}/api/v1/instances/${id}`)).json()) as {
          status: string;
          status_source: string;
          status_reason: string;
          sources: Array<{ source: string; status: string }>;
        };
      const a = await instance(byName);
      assert.equal(a.status, 'critical');
      assert.equal(a.status_source, 'kubernetes');
      assert.match(
        a.status_reason,
        new RegExp(`pod shop/${unready.name} is not ready: gateway: Readiness probe failed`),
      );
      const b = await instance(byIp);
      assert.equal(b.status, 'passing');
      assert.ok(b.sources.some((s) => s.source === 'kubernetes' && s.status === 'passing'));
      const c = await instance(unmatched);
      assert.ok(!c.sources.some((s) => s.source === 'kubernetes'));
      const podView = await get<{ pod: PodView }>(`/namespaces/shop/pods/${unready.name}`);
      assert.deepEqual(podView.pod.instance_ids, [byName]);

      // The pod turns ready: the link reports it on its own (no manual reconcile).
      fake.patch('pods', 'shop', unready.name, {
        status: {
          conditions: [
            { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString() },
          ],
          containerStatuses: [
            {
              name: 'gateway',
              ready: true,
              started: true,
              restartCount: 0,
              image: 'x',
              imageID: '',
              state: running(Date.now()),
              lastState: {},
            },
          ],
        },
      });
      await until(async () => (await instance(byName)).status === 'passing', 'the instance to turn passing', 10_000);

      // The pod is deleted: the instance is critical because its pod is gone.
      fake.delete('pods', 'shop', unready.name);
      await until(async () => /no longer exists/.test((await instance(byName)).status_reason), 'pod gone', 10_000);
    });

    it('documents its routes under the kubernetes tag', async () => {
      const doc = (await (await fetch(`${api}/openapi.json`)).json()) as {
        tags: Array<{ name: string }>;
        paths: Record<string, Record<string, { tags: string[] }>>;
      };
      assert.ok(doc.tags.some((t) => t.name === 'kubernetes'));
      for (const path of [
        '/api/v1/kubernetes/status',
        '/api/v1/kubernetes/namespaces',
        '/api/v1/kubernetes/workloads',
        '/api/v1/kubernetes/namespaces/{namespace}/workloads/{kind}/{name}',
        '/api/v1/kubernetes/pods',
        '/api/v1/kubernetes/namespaces/{namespace}/pods/{name}',
        '/api/v1/kubernetes/namespaces/{namespace}/pods/{name}/logs',
        '/api/v1/kubernetes/namespaces/{namespace}/pods/{name}/logs/stream',
        '/api/v1/kubernetes/services',
        '/api/v1/kubernetes/namespaces/{namespace}/services/{name}/pods',
        '/api/v1/kubernetes/events',
      ]) {
        assert.deepEqual(doc.paths[path]?.get?.tags, ['kubernetes'], path);
      }
    });

    it('ends open log streams when the server shuts down', async () => {
      const gateway = (await get<{ items: PodView[] }>('/pods?app=gateway')).items.find((p) => p.severity === 'ok')!;
      const stream = await openSse(`${api}/api/v1/kubernetes/namespaces/shop/pods/${gateway.name}/logs/stream`);
      await stream.next('open');
      const started = Date.now();
      await server.close();
      assert.ok(Date.now() - started < 5000, 'close did not wait on the stream');
      const end = (await stream.next('end')) as { reason: string };
      assert.match(end.reason, /shutting down/);
      await until(() => fake.logFollowers('shop', gateway.name) === 0, 'the upstream follow to stop');
      await stream.close();
    });
  });
}
