// Pure logic of the Kubernetes source: pod problems and status, rollout state, events, address
// matching. Objects come from the fake API server's builders (real API shapes, as JSON — the
// way a watch delivers them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventsV1Event, V1DaemonSet, V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { describeEvent } from '../src/kubernetes/events.js';
import { comparePods, describePod, kubectlStatus } from '../src/kubernetes/pods.js';
import { matchPod, podStatus, splitAddress } from '../src/kubernetes/registry-link.js';
import { rbacRules } from '../src/kubernetes/resources.js';
import { daemonSetRollout, deploymentRollout, statefulSetRollout } from '../src/kubernetes/rollout.js';
import type { EventView } from '../src/kubernetes/schemas.js';
import {
  daemonSet,
  deployment,
  event,
  type KubeObject,
  pod,
  running,
  statefulSet,
  terminated,
  waiting,
} from './fakes/kube-objects.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const asPod = (o: KubeObject) => o as unknown as V1Pod;

function view(p: KubeObject, events: EventView[] = []) {
  return describePod(asPod(p), { services: [], instanceIds: [], workload: null, app: null, events, now: NOW });
}

const base = { namespace: 'shop', name: 'orders-abc', containers: [{ name: 'orders', image: 'orders:1' }] };

describe('pod problems', () => {
  it('a healthy pod has none and reads Running', () => {
    const v = view(pod({ ...base, createdAt: NOW - 3_600_000 }));
    assert.equal(v.status, 'Running');
    assert.equal(v.severity, 'ok');
    assert.equal(v.ready, true);
    assert.deepEqual(v.problems, []);
    assert.equal(v.ready_containers, 1);
    assert.equal(v.total_containers, 1);
  });

  it('CrashLoopBackOff: critical, with the restart count and the last exit', () => {
    const v = view(
      pod({
        ...base,
        statuses: [
          {
            name: 'orders',
            ready: false,
            restartCount: 7,
            state: waiting('CrashLoopBackOff', 'back-off 5m0s restarting failed container'),
            lastState: terminated('Error', 1, NOW - 62_000, NOW - 60_000, 'x'),
          },
        ],
      }),
    );
    assert.equal(v.status, 'CrashLoopBackOff');
    assert.equal(v.severity, 'critical');
    assert.equal(v.restarts, 7);
    assert.equal(v.last_restart_at, NOW - 60_000);
    assert.equal(v.problems[0]?.code, 'crash_loop');
    assert.equal(v.problems[0]?.container, 'orders');
    assert.match(v.problems[0]!.message, /restarted 7 times, last exit Error \(exit code 1\)/);
    assert.equal(v.problems[0]?.since_at, NOW - 60_000);
    assert.equal(v.containers[0]?.last_termination?.exit_code, 1);
  });

  it('OOMKilled in lastState: critical when recent, warning when old, names the memory limit', () => {
    const recent = view(
      pod({
        namespace: 'shop',
        name: 'inv',
        containers: [{ name: 'inv', image: 'inv:1', memoryLimit: '128Mi' }],
        statuses: [
          {
            name: 'inv',
            ready: true,
            restartCount: 1,
            state: running(NOW - 50_000),
            lastState: terminated('OOMKilled', 137, NOW - 600_000, NOW - 60_000, 'y'),
          },
        ],
      }),
    );
    const oom = recent.problems.find((p) => p.code === 'oom_killed');
    assert.equal(oom?.severity, 'critical');
    assert.equal(oom!.message, 'inv was OOMKilled (exit code 137); memory limit 128Mi');
    assert.equal(oom!.since_at, NOW - 60_000);
    // The restart is explained by the OOM kill; no separate restarts problem.
    assert.equal(recent.problems.filter((p) => p.code === 'restarts').length, 0);

    const old = view(
      pod({
        namespace: 'shop',
        name: 'inv',
        containers: [{ name: 'inv', image: 'inv:1' }],
        statuses: [
          {
            name: 'inv',
            ready: true,
            restartCount: 1,
            state: running(NOW - 86_000_000),
            lastState: terminated('OOMKilled', 137, NOW - 90_000_000, NOW - 86_400_000, 'y'),
          },
        ],
      }),
    );
    assert.equal(old.problems.find((p) => p.code === 'oom_killed')?.severity, 'warning');
  });

  it('ImagePullBackOff: critical with the image', () => {
    const v = view(
      pod({
        ...base,
        statuses: [
          { name: 'orders', ready: false, state: waiting('ImagePullBackOff', 'Back-off pulling image "orders:1"') },
        ],
      }),
    );
    assert.equal(v.status, 'ImagePullBackOff');
    assert.equal(v.problems[0]?.code, 'image_pull');
    assert.match(v.problems[0]!.message, /cannot pull image orders:1: ImagePullBackOff/);
  });

  it('Pending and unschedulable: critical with the scheduler message', () => {
    const v = view(pod({ ...base, unschedulable: '0/3 nodes are available: 3 Insufficient memory.' }));
    assert.equal(v.status, 'Pending');
    assert.equal(v.node, null);
    assert.equal(v.problems[0]?.code, 'unschedulable');
    assert.match(v.problems[0]!.message, /Insufficient memory/);
  });

  it('a scheduled pod Pending for long is a warning; a fresh one is not', () => {
    const stuck = pod({
      ...base,
      phase: 'Pending',
      createdAt: NOW - 10 * 60_000,
      statuses: [{ name: 'orders', ready: false, state: waiting('ContainerCreating') }],
    });
    assert.equal(view(stuck).problems[0]?.code, 'pending');
    assert.equal(view(stuck).problems[0]!.message, 'Still pending 5 minutes after creation: ContainerCreating');
    const fresh = pod({
      ...base,
      phase: 'Pending',
      createdAt: NOW - 10_000,
      statuses: [{ name: 'orders', ready: false, state: waiting('ContainerCreating') }],
    });
    assert.deepEqual(view(fresh).problems, []);
  });

  it('failing readiness probe: warning, with the kubelet Unhealthy event text', () => {
    const p = pod({ ...base, statuses: [{ name: 'orders', ready: false, state: running(NOW - 600_000) }] });
    assert.match(view(p).problems[0]!.message, /running but not ready/);
    const unhealthy = describeEvent(
      event({
        regarding: p,
        reason: 'Unhealthy',
        note: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
        container: 'orders',
        count: 7,
        lastAt: NOW - 5_000,
      }) as unknown as EventsV1Event,
    );
    const v = view(p, [unhealthy]);
    assert.equal(v.status, 'Running');
    assert.equal(v.ready, false);
    assert.equal(v.problems[0]?.code, 'probe_failing');
    assert.equal(v.problems[0]?.severity, 'warning');
    assert.equal(
      v.problems[0]?.message,
      'orders: Readiness probe failed: HTTP probe failed with statuscode: 503 (7 times)',
    );
  });

  it('a recent liveness probe failure is a problem even while ready', () => {
    const p = pod(base);
    const liveness = describeEvent(
      event({
        regarding: p,
        reason: 'Unhealthy',
        note: 'Liveness probe failed: Get "http://10.0.0.1:8080/livez": context deadline exceeded',
        container: 'orders',
        lastAt: NOW - 60_000,
      }) as unknown as EventsV1Event,
    );
    assert.equal(view(p, [liveness]).problems[0]?.code, 'probe_failing');
    const stale = { ...liveness, last_at: NOW - 3_600_000 };
    assert.deepEqual(view(p, [stale]).problems, []);
  });

  it('recent restarts without a crash loop are a warning; old ones are history', () => {
    const restarted = (at: number) =>
      pod({
        ...base,
        statuses: [
          {
            name: 'orders',
            ready: true,
            restartCount: 2,
            state: running(at + 1000),
            lastState: terminated('Error', 2, at - 1000, at, 'z'),
          },
        ],
      });
    assert.equal(view(restarted(NOW - 120_000)).problems[0]?.code, 'restarts');
    assert.match(
      view(restarted(NOW - 120_000)).problems[0]!.message,
      /restarted 2 times, last after Error \(exit code 2\)/,
    );
    assert.deepEqual(view(restarted(NOW - 5 * 3_600_000)).problems, []);
  });

  it('Failed and Evicted pods, and pods stuck terminating', () => {
    const evicted = pod({ ...base, phase: 'Failed', statuses: [] });
    (evicted.status as Record<string, unknown>).reason = 'Evicted';
    (evicted.status as Record<string, unknown>).message = 'The node was low on resource: memory.';
    assert.equal(view(evicted).problems[0]?.code, 'evicted');
    assert.equal(kubectlStatus(asPod(evicted)), 'Evicted');

    const stuck = pod(base);
    stuck.metadata.deletionTimestamp = new Date(NOW - 300_000).toISOString();
    const v = view(stuck);
    assert.equal(v.status, 'Terminating');
    assert.equal(v.deleting, true);
    assert.equal(v.problems[0]?.code, 'terminating_stuck');
  });

  it('sorts problems first: critical, then warning, then by restarts and name', () => {
    const healthy = view(pod({ ...base, name: 'a-healthy' }));
    const crash = view(
      pod({
        ...base,
        name: 'z-crash',
        statuses: [
          {
            name: 'orders',
            ready: false,
            restartCount: 3,
            state: waiting('CrashLoopBackOff'),
            lastState: terminated('Error', 1, NOW - 2000, NOW - 1000, 'c'),
          },
        ],
      }),
    );
    const probe = view(
      pod({ ...base, name: 'm-probe', statuses: [{ name: 'orders', ready: false, state: running(NOW - 60_000) }] }),
    );
    assert.deepEqual(
      [healthy, probe, crash].sort(comparePods).map((p) => p.name),
      ['z-crash', 'm-probe', 'a-healthy'],
    );
  });

  it('reads list objects (Date times) the same as watch objects (string times)', () => {
    const json = pod({
      ...base,
      statuses: [
        {
          name: 'orders',
          ready: true,
          restartCount: 1,
          state: running(NOW - 1000),
          lastState: terminated('Error', 1, NOW - 3000, NOW - 2000, 'd'),
        },
      ],
    });
    const typed = structuredClone(json) as unknown as V1Pod;
    typed.metadata!.creationTimestamp = new Date(json.metadata.creationTimestamp!);
    const last = typed.status!.containerStatuses![0]!.lastState!.terminated!;
    last.finishedAt = new Date(last.finishedAt as unknown as string);
    last.startedAt = new Date(last.startedAt as unknown as string);
    const a = view(json);
    const b = describePod(typed, { services: [], instanceIds: [], workload: null, app: null, events: [], now: NOW });
    assert.deepEqual(b, a);
  });
});

describe('rollout state', () => {
  it('deployment: progressing through a rolling update, complete at the end, stalled past the deadline', () => {
    const input = { namespace: 'shop', name: 'orders', replicas: 3, image: 'orders:2', generation: 2 };
    const d = (s: Parameters<typeof deployment>[1]) =>
      deploymentRollout(deployment(input, s) as unknown as V1Deployment);
    const notObserved = d({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 0,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    assert.equal(notObserved.state, 'progressing');
    assert.match(notObserved.message, /spec update to be observed/);
    const surge = d({ replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 });
    assert.deepEqual(
      {
        state: surge.state,
        desired: surge.desired,
        current: surge.current,
        updated: surge.updated,
        available: surge.available,
        unavailable: surge.unavailable,
      },
      { state: 'progressing', desired: 3, current: 4, updated: 1, available: 3, unavailable: 1 },
    );
    assert.equal(surge.message, '1 of 3 new replicas updated');
    const oldLeft = d({ replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    assert.equal(oldLeft.message, '1 old replicas pending termination');
    const waitingAvailable = d({ replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 });
    assert.equal(waitingAvailable.message, '2 of 3 updated replicas available');
    assert.equal(d({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }).state, 'complete');
    const stalled = d({
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      progressing: {
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "orders-x" has timed out progressing.',
      },
    });
    assert.equal(stalled.state, 'stalled');
    assert.match(stalled.message, /timed out progressing/);
    const paused = deployment(input) as unknown as V1Deployment;
    paused.spec!.paused = true;
    assert.equal(deploymentRollout(paused).state, 'paused');
  });

  it('statefulset and daemonset', () => {
    const sts = (ready: number) =>
      statefulSetRollout(
        statefulSet(
          { namespace: 'db', name: 'pg', replicas: 3, image: 'pg:16' },
          { replicas: 3, readyReplicas: ready, updatedReplicas: 3 },
        ) as unknown as V1StatefulSet,
      );
    assert.equal(sts(2).state, 'progressing');
    assert.equal(sts(2).unavailable, 1);
    assert.equal(sts(3).state, 'complete');
    const ds = (available: number, updated: number) =>
      daemonSetRollout(
        daemonSet(
          { namespace: 'p', name: 'agent', image: 'a:1' },
          { desired: 3, updated, available },
        ) as unknown as V1DaemonSet,
      );
    assert.equal(ds(3, 2).message, '2 of 3 updated pods scheduled');
    assert.equal(ds(2, 3).state, 'progressing');
    assert.equal(ds(2, 3).unavailable, 1);
    assert.equal(ds(3, 3).state, 'complete');
  });
});

describe('events', () => {
  it('reads kubelet (deprecated*) and events.k8s.io (eventTime, series) events alike', () => {
    const p = pod(base);
    const kubelet = describeEvent(
      event({
        regarding: p,
        reason: 'BackOff',
        note: 'Back-off restarting failed container',
        count: 5,
        firstAt: NOW - 600_000,
        lastAt: NOW - 1000,
        container: 'orders',
      }) as unknown as EventsV1Event,
    );
    assert.deepEqual(
      {
        count: kubelet.count,
        first: kubelet.first_at,
        last: kubelet.last_at,
        by: kubelet.reporting_controller,
        path: kubelet.regarding.field_path,
      },
      { count: 5, first: NOW - 600_000, last: NOW - 1000, by: 'kubelet', path: 'spec.containers{orders}' },
    );
    const controller = describeEvent(
      event({
        regarding: p,
        reason: 'ScalingReplicaSet',
        note: 'Scaled up',
        type: 'Normal',
        style: 'controller',
        count: 3,
        firstAt: NOW - 5000,
        lastAt: NOW - 2000,
      }) as unknown as EventsV1Event,
    );
    assert.deepEqual(
      { count: controller.count, first: controller.first_at, last: controller.last_at },
      { count: 3, first: NOW - 5000, last: NOW - 2000 },
    );
  });
});

describe('pods ↔ registry instances', () => {
  const a = asPod(pod({ ...base, name: 'orders-a', podIP: '10.244.1.5' }));
  const b = asPod(pod({ ...base, namespace: 'other', name: 'orders-a', podIP: '10.244.1.6' }));
  const byName = new Map([['orders-a', [a, b]]]);
  const byIp = new Map([
    ['10.244.1.5', [a]],
    ['10.244.1.6', [b]],
  ]);

  it('splits addresses', () => {
    assert.deepEqual(splitAddress('10.0.0.1:8080'), { host: '10.0.0.1', port: 8080 });
    assert.deepEqual(splitAddress('[fd00::1]:80'), { host: 'fd00::1', port: 80 });
    assert.deepEqual(splitAddress('orders'), { host: 'orders', port: null });
  });

  it('matches by k8s.pod.name (with k8s.namespace.name), else by pod IP', () => {
    assert.equal(
      matchPod({ address: 'x:1', labels: { 'k8s.pod.name': 'orders-a', 'k8s.namespace.name': 'other' } }, byName, byIp),
      b,
    );
    // The same name in two namespaces and no namespace label: ambiguous by name, so the address decides.
    assert.equal(
      matchPod({ address: '10.244.1.5:8080', labels: { 'k8s.pod.name': 'orders-a' } }, byName, byIp),
      undefined,
    );
    assert.equal(matchPod({ address: '10.244.1.5:8080', labels: {} }, byName, byIp), a);
    assert.equal(matchPod({ address: '10.9.9.9:8080', labels: {} }, byName, byIp), undefined);
  });

  it('host-network pods sharing an IP are told apart by container port', () => {
    const h1 = asPod(
      pod({ ...base, name: 'h1', podIP: '10.0.0.11', containers: [{ name: 'h1', image: 'x', port: 9100 }] }),
    );
    const h2 = asPod(
      pod({ ...base, name: 'h2', podIP: '10.0.0.11', containers: [{ name: 'h2', image: 'x', port: 9200 }] }),
    );
    h1.spec!.hostNetwork = true;
    h2.spec!.hostNetwork = true;
    const ips = new Map([['10.0.0.11', [h1, h2]]]);
    assert.equal(matchPod({ address: '10.0.0.11:9200', labels: {} }, new Map(), ips), h2);
    assert.equal(matchPod({ address: '10.0.0.11:9999', labels: {} }, new Map(), ips), undefined);
  });

  it('reports readiness as the registry status', () => {
    assert.deepEqual(podStatus(a, undefined), { status: 'passing', reason: 'pod shop/orders-a is ready' });
    const notReady = asPod(pod({ ...base, statuses: [{ name: 'orders', ready: false, state: running(NOW) }] }));
    assert.equal(
      podStatus(notReady, 'orders: Readiness probe failed').reason,
      'pod shop/orders-abc is not ready: orders: Readiness probe failed',
    );
    assert.equal(podStatus(notReady, undefined).status, 'critical');
  });
});

describe('RBAC the source needs', () => {
  it('get/list/watch on every watched resource and get on pods/log; no namespaces when limited', () => {
    const all = rbacRules({ allNamespaces: true });
    assert.deepEqual(all, [
      { apiGroups: [''], resources: ['namespaces', 'pods', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ]);
    assert.deepEqual(rbacRules({ allNamespaces: false })[0]?.resources, ['pods', 'services']);
  });
});
