// Scenarios for the fake API server: a seed (the cluster as it is) and steps (what controllers
// and the kubelet would write next). Tests apply the steps one by one and check the API after
// each; the CLI plays them on a timer for the dashboard. Faults of the server itself (dropped
// watches, expired resourceVersions) are methods of FakeKubeApiServer, used by the tests.
import type { FakeKubeApiServer } from './kube-apiserver.js';
import {
  type ContainerStatusInput,
  daemonSet,
  deployment,
  endpointSlice,
  event,
  type KubeObject,
  namespace,
  pod,
  replicaSet,
  replicaSetName,
  running,
  service,
  statefulSet,
  templateHash,
  terminated,
  waiting,
} from './kube-objects.js';

export interface ScenarioStep {
  name: string;
  apply(server: FakeKubeApiServer): void;
}

export interface Scenario {
  name: string;
  description: string;
  seed(server: FakeKubeApiServer): void;
  steps: ScenarioStep[];
}

export function podName(rs: string, index: number): string {
  return `${rs}-${templateHash(`${rs}/${index}`).slice(0, 5)}`;
}

const IMAGE = (name: string, version: string) => `ghcr.io/signalbox/${name}:${version}`;

/** Startup lines an app in the demo would log. */
function startupLog(name: string): string[] {
  return [
    `{"level":"info","msg":"${name} starting","version":"1.4.2"}`,
    `{"level":"info","msg":"connected to nats","url":"nats://nats:4222"}`,
    `{"level":"info","msg":"listening","port":8080}`,
  ];
}

function ensureNamespace(server: FakeKubeApiServer, name: string): void {
  if (!server.get('namespaces', undefined, name)) server.apply(namespace(name));
}

interface AppInput {
  namespace: string;
  name: string;
  replicas: number;
  image: string;
  /** Container statuses per pod index (default: running and ready). */
  statuses?: (index: number, podName: string) => ContainerStatusInput[] | undefined;
  memoryLimit?: string;
}

/** A Deployment with its ReplicaSet, pods, Service and EndpointSlice, as a cluster would hold them. */
export function seedApp(server: FakeKubeApiServer, input: AppInput): KubeObject[] {
  ensureNamespace(server, input.namespace);
  const rsName = replicaSetName(input);
  const hash = rsName.slice(input.name.length + 1);
  const pods = Array.from({ length: input.replicas }, (_, i) => {
    const name = podName(rsName, i);
    const statuses = input.statuses?.(i, name);
    const ready = statuses ? statuses.every((s) => s.ready !== false) : true;
    return pod({
      namespace: input.namespace,
      name,
      labels: { 'app.kubernetes.io/name': input.name, 'pod-template-hash': hash },
      owner: { kind: 'ReplicaSet', name: rsName },
      containers: [
        { name: input.name, image: input.image, ...(input.memoryLimit ? { memoryLimit: input.memoryLimit } : {}) },
      ],
      ...(statuses ? { statuses } : {}),
      ...(ready ? {} : { phase: 'Running' as const }),
    });
  });
  const readyCount = pods.filter((p) =>
    (p.status as { conditions: { type: string; status: string }[] }).conditions.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  ).length;
  server.apply(
    deployment(input, {
      replicas: input.replicas,
      updatedReplicas: input.replicas,
      readyReplicas: readyCount,
      availableReplicas: readyCount,
    }),
  );
  server.apply(
    replicaSet(input, { replicas: input.replicas, readyReplicas: readyCount, availableReplicas: readyCount }),
  );
  const stored = pods.map((p) => server.apply(p));
  server.apply(service({ namespace: input.namespace, name: input.name }));
  server.apply(endpointSlice({ namespace: input.namespace, name: input.name }, stored));
  return stored;
}

// ---------------------------------------------------------------------------------------------
// A rolling update: a Deployment moves from one image to the next, one pod at a time (surge 1).

export function rollingUpdate(
  options: { namespace?: string; name?: string; replicas?: number; from?: string; to?: string } = {},
): Scenario {
  const ns = options.namespace ?? 'shop';
  const name = options.name ?? 'orders';
  const replicas = options.replicas ?? 3;
  const from = options.from ?? IMAGE(name, '1.4.2');
  const to = options.to ?? IMAGE(name, '1.5.0');
  const oldRs = replicaSetName({ namespace: ns, name, image: from });
  const newRs = replicaSetName({ namespace: ns, name, image: to });
  const labels = (rs: string) => ({ 'app.kubernetes.io/name': name, 'pod-template-hash': rs.slice(name.length + 1) });
  const base = { namespace: ns, name, replicas };
  const steps: ScenarioStep[] = [];

  const deploymentAt = (
    generation: number,
    status: { replicas: number; updated: number; ready: number; available: number },
    progressing: { reason: string; message: string },
  ) =>
    deployment(
      { ...base, image: to, generation },
      {
        observedGeneration: generation,
        replicas: status.replicas,
        updatedReplicas: status.updated,
        readyReplicas: status.ready,
        availableReplicas: status.available,
        progressing: { status: 'True', ...progressing },
      },
    );
  const progressingMessage = { reason: 'ReplicaSetUpdated', message: `ReplicaSet "${newRs}" is progressing.` };

  steps.push({
    name: 'new revision',
    apply(server) {
      server.apply(deploymentAt(2, { replicas, updated: 0, ready: replicas, available: replicas }, progressingMessage));
      server.apply(replicaSet({ ...base, image: to }, { replicas: 0, readyReplicas: 0, availableReplicas: 0 }, 2));
      server.apply(
        event({
          regarding: server.get('deployments', ns, name)!,
          reason: 'ScalingReplicaSet',
          note: `Scaled up replica set ${newRs} from 0 to 1`,
          type: 'Normal',
          style: 'controller',
        }),
      );
    },
  });
  for (let k = 0; k < replicas; k += 1) {
    steps.push({
      name: `surge ${k + 1}`,
      apply(server) {
        server.apply(
          pod({
            namespace: ns,
            name: podName(newRs, k),
            labels: labels(newRs),
            owner: { kind: 'ReplicaSet', name: newRs },
            containers: [{ name, image: to }],
            phase: 'Pending',
            statuses: [{ name, ready: false, state: waiting('ContainerCreating') }],
            createdAt: Date.now(),
          }),
        );
        server.apply(
          deploymentAt(
            2,
            { replicas: replicas + 1, updated: k + 1, ready: replicas, available: replicas },
            progressingMessage,
          ),
        );
        server.apply(
          replicaSet({ ...base, image: to }, { replicas: k + 1, readyReplicas: k, availableReplicas: k }, 2),
        );
      },
    });
    steps.push({
      name: `replace ${k + 1}`,
      apply(server) {
        server.apply(
          pod({
            namespace: ns,
            name: podName(newRs, k),
            labels: labels(newRs),
            owner: { kind: 'ReplicaSet', name: newRs },
            containers: [{ name, image: to }],
            createdAt: Date.now() - 5_000,
          }),
        );
        server.appendLog(ns, podName(newRs, k), name, startupLog(name));
        server.delete('pods', ns, podName(oldRs, k));
        server.apply(
          replicaSet(
            { ...base, image: from, replicas: replicas - k - 1 },
            { replicas: replicas - k - 1, readyReplicas: replicas - k - 1, availableReplicas: replicas - k - 1 },
            1,
          ),
        );
        server.apply(
          replicaSet({ ...base, image: to }, { replicas: k + 1, readyReplicas: k + 1, availableReplicas: k + 1 }, 2),
        );
        server.apply(
          deploymentAt(2, { replicas, updated: k + 1, ready: replicas, available: replicas }, progressingMessage),
        );
        server.apply(
          endpointSlice(
            { namespace: ns, name },
            server.list('pods', ns).filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === name),
          ),
        );
      },
    });
  }
  steps.push({
    name: 'complete',
    apply(server) {
      server.apply(
        deploymentAt(
          2,
          { replicas, updated: replicas, ready: replicas, available: replicas },
          { reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRs}" has successfully progressed.` },
        ),
      );
    },
  });
  return {
    name: 'rolling-update',
    description: `Deployment ${ns}/${name} rolls from ${from} to ${to}, ${replicas} pods, one at a time`,
    seed(server) {
      const pods = seedApp(server, { ...base, image: from });
      for (const p of pods) server.appendLog(ns, p.metadata.name, name, startupLog(name));
    },
    steps,
  };
}

// ---------------------------------------------------------------------------------------------
// A crash-looping container: exits with an error, the kubelet backs off, restarts, again.

export function crashLoop(options: { namespace?: string; name?: string } = {}): Scenario {
  const ns = options.namespace ?? 'shop';
  const name = options.name ?? 'payments';
  const image = IMAGE(name, '2.1.0');
  const rs = replicaSetName({ namespace: ns, name, image });
  const podId = podName(rs, 0);
  let restarts = 4;
  const crashLines = [
    `{"level":"info","msg":"${name} starting","version":"2.1.0"}`,
    `{"level":"error","msg":"cannot connect to postgres","error":"connect ECONNREFUSED 10.96.0.12:5432"}`,
    'Error: connect ECONNREFUSED 10.96.0.12:5432',
    '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
  ];
  const crashed = (at: number): ContainerStatusInput => ({
    name,
    ready: false,
    restartCount: restarts,
    state: waiting(
      'CrashLoopBackOff',
      `back-off 1m20s restarting failed container=${name} pod=${podId}_${ns}(${podId})`,
    ),
    lastState: terminated('Error', 1, at - 2_000, at, `${podId}/${restarts}`),
  });
  const applyPod = (server: FakeKubeApiServer, statuses: ContainerStatusInput[]) => {
    const existing = server.get('pods', ns, podId);
    server.apply(
      pod({
        namespace: ns,
        name: podId,
        labels: { 'app.kubernetes.io/name': name, 'pod-template-hash': rs.slice(name.length + 1) },
        owner: { kind: 'ReplicaSet', name: rs },
        containers: [{ name, image }],
        statuses,
        ...(existing ? { createdAt: Date.parse(existing.metadata.creationTimestamp!) } : {}),
      }),
    );
  };
  const backOff = (server: FakeKubeApiServer, count: number) =>
    server.apply(
      event({
        regarding: server.get('pods', ns, podId)!,
        reason: 'BackOff',
        note: `Back-off restarting failed container ${name} in pod ${podId}_${ns}(${server.get('pods', ns, podId)!.metadata.uid})`,
        container: name,
        count,
        firstAt: Date.now() - 10 * 60_000,
      }),
    );
  return {
    name: 'crash-loop',
    description: `Pod ${ns}/${podId} exits with an error at start and is in CrashLoopBackOff`,
    seed(server) {
      seedApp(server, { namespace: ns, name, replicas: 1, image, statuses: () => [crashed(Date.now() - 30_000)] });
      server.appendLog(ns, podId, name, crashLines, Date.now() - 120_000);
      server.rotateLog(ns, podId, name);
      server.appendLog(ns, podId, name, crashLines, Date.now() - 30_000);
      backOff(server, 12);
    },
    steps: [
      {
        name: 'restart',
        apply(server) {
          restarts += 1;
          const at = Date.now();
          applyPod(server, [
            {
              name,
              ready: false,
              restartCount: restarts,
              state: running(at),
              lastState: terminated('Error', 1, at - 40_000, at - 38_000, `${podId}/${restarts}`),
            },
          ]);
          server.rotateLog(ns, podId, name);
          server.appendLog(ns, podId, name, crashLines.slice(0, 1));
        },
      },
      {
        name: 'crash',
        apply(server) {
          server.appendLog(ns, podId, name, crashLines.slice(1));
          server.endLogStreams(ns, podId, name);
          applyPod(server, [crashed(Date.now())]);
          backOff(server, 13);
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// An OOMKilled container: its memory limit is too low; the kernel kills it, the kubelet restarts it.

export function oomKilled(options: { namespace?: string; name?: string } = {}): Scenario {
  const ns = options.namespace ?? 'shop';
  const name = options.name ?? 'inventory';
  const image = IMAGE(name, '3.0.1');
  const rs = replicaSetName({ namespace: ns, name, image });
  const podId = podName(rs, 0);
  const status = (restarts: number, at: number): ContainerStatusInput => ({
    name,
    ready: true,
    restartCount: restarts,
    state: running(at + 1_000),
    lastState: terminated('OOMKilled', 137, at - 600_000, at, `${podId}/${restarts}`),
  });
  return {
    name: 'oom-killed',
    description: `Pod ${ns}/${podId} was OOMKilled (limit 128Mi) and restarted`,
    seed(server) {
      seedApp(server, {
        namespace: ns,
        name,
        replicas: 1,
        image,
        memoryLimit: '128Mi',
        statuses: () => [status(1, Date.now() - 120_000)],
      });
      server.appendLog(ns, podId, name, ['loading catalogue', 'cache warmed: 180000 items'], Date.now() - 700_000);
      server.rotateLog(ns, podId, name);
      server.appendLog(ns, podId, name, startupLog(name));
    },
    steps: [
      {
        name: 'oom again',
        apply(server) {
          const existing = server.get('pods', ns, podId)!;
          server.apply(
            pod({
              namespace: ns,
              name: podId,
              labels: existing.metadata.labels!,
              owner: { kind: 'ReplicaSet', name: rs },
              containers: [{ name, image, memoryLimit: '128Mi' }],
              statuses: [status(2, Date.now())],
              createdAt: Date.parse(existing.metadata.creationTimestamp!),
            }),
          );
          server.rotateLog(ns, podId, name);
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// A deleted service: its Service and EndpointSlice go away; the pods stay.

export function deletedService(options: { namespace?: string; name?: string } = {}): Scenario {
  const ns = options.namespace ?? 'shop';
  const name = options.name ?? 'users';
  return {
    name: 'deleted-service',
    description: `Service ${ns}/${name} is deleted while its Deployment keeps running`,
    seed(server) {
      seedApp(server, { namespace: ns, name, replicas: 2, image: IMAGE(name, '1.0.0') });
    },
    steps: [
      {
        name: 'delete service',
        apply(server) {
          server.delete('services', ns, name);
          for (const slice of server.list('endpointslices', ns)) {
            if (slice.metadata.labels?.['kubernetes.io/service-name'] === name) {
              server.delete('endpointslices', ns, slice.metadata.name);
            }
          }
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Pods an operator must see first: an image that cannot be pulled, a pod nothing can schedule,
// a container failing its readiness probe, beside a healthy one.

export function problemPods(options: { namespace?: string } = {}): Scenario {
  const ns = options.namespace ?? 'shop';
  return {
    name: 'problem-pods',
    description: `ImagePullBackOff, Unschedulable and a failing readiness probe in ${ns}`,
    seed(server) {
      const badImage = IMAGE('notifications', '9.9.9');
      const [pulling] = seedApp(server, {
        namespace: ns,
        name: 'notifications',
        replicas: 1,
        image: badImage,
        statuses: () => [
          {
            name: 'notifications',
            ready: false,
            state: waiting('ImagePullBackOff', `Back-off pulling image "${badImage}"`),
          },
        ],
      });
      server.apply(
        event({
          regarding: pulling!,
          reason: 'Failed',
          note: `Failed to pull image "${badImage}": rpc error: code = NotFound desc = failed to pull and unpack image "${badImage}": not found`,
          container: 'notifications',
          count: 6,
        }),
      );
      ensureNamespace(server, ns);
      const pending = server.apply(
        pod({
          namespace: ns,
          name: 'reports-batch',
          labels: { 'app.kubernetes.io/name': 'reports' },
          containers: [{ name: 'reports', image: IMAGE('reports', '1.0.0'), memoryLimit: '64Gi' }],
          unschedulable:
            '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
        }),
      );
      server.apply(
        event({
          regarding: pending,
          reason: 'FailedScheduling',
          note: '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
          style: 'controller',
          reportingController: 'default-scheduler',
        }),
      );
      const [probing] = seedApp(server, {
        namespace: ns,
        name: 'gateway',
        replicas: 2,
        image: IMAGE('gateway', '1.2.0'),
        statuses: (i) =>
          i === 0 ? [{ name: 'gateway', ready: false, state: running(Date.now() - 600_000) }] : undefined,
      });
      server.apply(
        event({
          regarding: probing!,
          reason: 'Unhealthy',
          note: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          container: 'gateway',
          count: 7,
        }),
      );
      for (const p of server.list('pods', ns)) {
        if (p.metadata.labels?.['app.kubernetes.io/name'] === 'gateway') {
          server.appendLog(ns, p.metadata.name, 'gateway', startupLog('gateway'));
        }
      }
    },
    steps: [],
  };
}

// ---------------------------------------------------------------------------------------------
// The demo: everything above in `shop`, platform workloads beside it. The CLI plays its steps.

export function demo(): Scenario {
  const parts = [rollingUpdate(), crashLoop(), oomKilled(), problemPods(), deletedService({ name: 'users' })];
  return {
    name: 'demo',
    description:
      'A shop namespace with a rolling update, a crash loop, an OOM kill, image pull and scheduling problems; platform workloads',
    seed(server) {
      for (const part of parts) part.seed(server);
      ensureNamespace(server, 'platform');
      server.apply(
        statefulSet(
          { namespace: 'platform', name: 'postgres', replicas: 1, image: 'postgres:16.4' },
          { replicas: 1, readyReplicas: 1, updatedReplicas: 1 },
        ),
      );
      server.apply(
        pod({
          namespace: 'platform',
          name: 'postgres-0',
          labels: { 'app.kubernetes.io/name': 'postgres' },
          owner: { kind: 'StatefulSet', name: 'postgres' },
          containers: [{ name: 'postgres', image: 'postgres:16.4', port: 5432 }],
        }),
      );
      server.apply(service({ namespace: 'platform', name: 'postgres', port: 5432 }));
      server.apply(
        daemonSet(
          { namespace: 'platform', name: 'node-agent', image: 'ghcr.io/signalbox/node-agent:0.9.0' },
          { desired: 3, updated: 3, available: 3 },
        ),
      );
      for (let i = 1; i <= 3; i += 1) {
        server.apply(
          pod({
            namespace: 'platform',
            name: `node-agent-${templateHash(`node-agent/${i}`).slice(0, 5)}`,
            labels: { 'app.kubernetes.io/name': 'node-agent' },
            owner: { kind: 'DaemonSet', name: 'node-agent' },
            containers: [{ name: 'node-agent', image: 'ghcr.io/signalbox/node-agent:0.9.0' }],
            nodeName: `node-${i}`,
          }),
        );
      }
    },
    // The rolling update plays through; the crash loop keeps crashing.
    steps: [...parts[0]!.steps, ...parts[4]!.steps, ...parts[1]!.steps],
  };
}

// ---------------------------------------------------------------------------------------------
// The benchmark's cluster: many namespaces, each with a few services of many pods.

export function benchCluster(options: {
  namespaces: number;
  servicesPerNamespace: number;
  podsPerService: number;
}): Scenario {
  return {
    name: 'bench',
    description: `${options.namespaces * options.servicesPerNamespace * options.podsPerService} pods in ${options.namespaces} namespaces`,
    seed(server) {
      for (let n = 0; n < options.namespaces; n += 1) {
        const ns = `team-${String(n).padStart(2, '0')}`;
        for (let s = 0; s < options.servicesPerNamespace; s += 1) {
          seedApp(server, {
            namespace: ns,
            name: `svc-${s}`,
            replicas: options.podsPerService,
            image: IMAGE(`svc-${s}`, '1.0.0'),
          });
        }
      }
    },
    steps: [],
  };
}

export const SCENARIOS: Record<string, () => Scenario> = {
  demo,
  'rolling-update': () => rollingUpdate(),
  'crash-loop': () => crashLoop(),
  'oom-killed': () => oomKilled(),
  'deleted-service': () => deletedService(),
  'problem-pods': () => problemPods(),
  bench: () => benchCluster({ namespaces: 50, servicesPerNamespace: 4, podsPerService: 25 }),
};
