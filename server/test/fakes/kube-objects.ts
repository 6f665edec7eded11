// Builders for Kubernetes objects shaped like real API responses (`kubectl get -o json`), so the
// source under test meets what a cluster sends: managedFields, ownerReferences, conditions,
// containerStatuses with state/lastState, events.k8s.io/v1 events with deprecated* fields as the
// kubelet's events carry them, endpointslices with conditions. Plain JSON, no client types: the
// fake API server serves them as they are.
import { createHash } from 'node:crypto';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  [key: string]: unknown;
};

export interface Metadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** A deterministic uid from a seed, shaped like the API server's (v4 layout). */
export function uidFor(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The 10-character hash the deployment controller puts in pod-template-hash. */
export function templateHash(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = createHash('sha1').update(seed).digest();
  return Array.from(bytes.subarray(0, 10), (b) => alphabet[b % alphabet.length]).join('');
}

function suffix(seed: string, length = 5): string {
  return templateHash(`suffix:${seed}`).slice(0, length);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function managedFields(manager: string, operation: 'Update' | 'Apply', ms: number, subresource?: string) {
  return {
    manager,
    operation,
    apiVersion: 'v1',
    time: isoTime(ms),
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { '.': {} } },
      'f:spec': { 'f:containers': {} },
      ...(subresource ? { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:phase': {} } } : {}),
    },
    ...(subresource ? { subresource } : {}),
  };
}

export function namespace(name: string, now = Date.now()): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: uidFor(`ns/${name}`),
      creationTimestamp: isoTime(now - 86_400_000),
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

// ---------------------------------------------------------------------------------------------
// Containers and pods

export type ContainerState =
  | { running: { startedAt: string } }
  | { waiting: { reason: string; message?: string } }
  | { terminated: Terminated };

export interface Terminated {
  exitCode: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
  signal?: number;
}

export interface ContainerSpecInput {
  name: string;
  image: string;
  port?: number;
  readinessProbe?: boolean;
  memoryLimit?: string;
}

export interface ContainerStatusInput {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: { terminated: Terminated } | Record<string, never>;
}

export interface PodInput {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  owner?: { kind: string; name: string; apiVersion?: string };
  containers: ContainerSpecInput[];
  /** Defaults to every container running and ready. */
  statuses?: ContainerStatusInput[];
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  podIP?: string;
  nodeName?: string | null;
  createdAt?: number;
  /** Pending pods the scheduler could not place: PodScheduled False / Unschedulable. */
  unschedulable?: string;
  annotations?: Record<string, string>;
}

export function containerSpec(c: ContainerSpecInput) {
  return {
    name: c.name,
    image: c.image,
    ports: [{ name: 'http', containerPort: c.port ?? 8080, protocol: 'TCP' }],
    env: [
      { name: 'K8S_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'K8S_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
    ],
    resources: {
      limits: { memory: c.memoryLimit ?? '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    },
    ...(c.readinessProbe === false
      ? {}
      : {
          readinessProbe: {
            httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' },
            periodSeconds: 5,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
          livenessProbe: {
            httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' },
            initialDelaySeconds: 10,
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
        }),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function containerID(seed: string): string {
  return `containerd://${createHash('sha256').update(seed).digest('hex')}`;
}

export function running(startedAt: number): ContainerState {
  return { running: { startedAt: isoTime(startedAt) } };
}

export function waiting(reason: string, message?: string): ContainerState {
  return { waiting: message === undefined ? { reason } : { reason, message } };
}

export function terminated(
  reason: string,
  exitCode: number,
  startedAt: number,
  finishedAt: number,
  seed: string,
): { terminated: Terminated } {
  return {
    terminated: {
      exitCode,
      reason,
      startedAt: isoTime(startedAt),
      finishedAt: isoTime(finishedAt),
      containerID: containerID(seed),
    },
  };
}

export function pod(input: PodInput): KubeObject {
  const now = Date.now();
  const created = input.createdAt ?? now - 3_600_000;
  const phase = input.phase ?? (input.unschedulable ? 'Pending' : 'Running');
  const scheduled = !input.unschedulable && input.nodeName !== null;
  const nodeName = scheduled ? (input.nodeName ?? `node-${(hashNumber(input.name) % 3) + 1}`) : undefined;
  const podIP =
    scheduled && phase !== 'Pending' ? (input.podIP ?? podIPFor(`${input.namespace}/${input.name}`)) : undefined;
  const statuses: ContainerStatusInput[] = scheduled
    ? (input.statuses ?? input.containers.map((c) => ({ name: c.name, ready: phase === 'Running', restartCount: 0 })))
    : [];
  const specByName = new Map(input.containers.map((c) => [c.name, c]));
  const containerStatuses = statuses.map((s) => {
    const spec = specByName.get(s.name);
    const state = s.state ?? (phase === 'Running' ? running(created + 5_000) : waiting('ContainerCreating'));
    const isRunning = 'running' in state;
    return {
      name: s.name,
      ready: s.ready ?? isRunning,
      started: isRunning,
      restartCount: s.restartCount ?? 0,
      image: spec?.image ?? 'unknown',
      imageID:
        isRunning || s.lastState ? `${(spec?.image ?? '').split(':')[0]}@sha256:${suffix(spec?.image ?? '', 10)}` : '',
      ...(isRunning || s.lastState ? { containerID: containerID(`${input.namespace}/${input.name}/${s.name}`) } : {}),
      state,
      lastState: s.lastState ?? {},
    };
  });
  const allReady = containerStatuses.length > 0 && containerStatuses.every((s) => s.ready);
  const notReady = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  const transition = isoTime(created + 5_000);
  const conditions = scheduled
    ? [
        {
          type: 'PodReadyToStartContainers',
          status: podIP ? 'True' : 'False',
          lastProbeTime: null,
          lastTransitionTime: transition,
        },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(created) },
        allReady
          ? { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: transition }
          : {
              type: 'Ready',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: transition,
              reason: 'ContainersNotReady',
              message: `containers with unready status: [${notReady.join(' ')}]`,
            },
        allReady
          ? { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: transition }
          : {
              type: 'ContainersReady',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: transition,
              reason: 'ContainersNotReady',
              message: `containers with unready status: [${notReady.join(' ')}]`,
            },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: isoTime(created) },
      ]
    : [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: isoTime(created),
          reason: 'Unschedulable',
          message: input.unschedulable ?? '0/3 nodes are available: 3 Insufficient cpu.',
        },
      ];
  const ownerApiVersion = input.owner?.apiVersion ?? 'apps/v1';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      ...(input.owner ? { generateName: `${input.owner.name}-` } : {}),
      namespace: input.namespace,
      uid: uidFor(`pod/${input.namespace}/${input.name}`),
      creationTimestamp: isoTime(created),
      labels: input.labels ?? {},
      ...(input.annotations ? { annotations: input.annotations } : {}),
      ...(input.owner
        ? {
            ownerReferences: [
              {
                apiVersion: ownerApiVersion,
                kind: input.owner.kind,
                name: input.owner.name,
                uid: uidFor(`${input.owner.kind.toLowerCase()}/${input.namespace}/${input.owner.name}`),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
      managedFields: [
        managedFields('kube-controller-manager', 'Update', created),
        ...(scheduled ? [managedFields('kubelet', 'Update', created + 5_000, 'status')] : []),
      ],
    },
    spec: {
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: input.containers.map(containerSpec),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      ...(nodeName ? { nodeName } : {}),
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase,
      conditions,
      ...(scheduled
        ? {
            hostIP: `10.0.0.${10 + (hashNumber(nodeName ?? '') % 3)}`,
            hostIPs: [{ ip: `10.0.0.${10 + (hashNumber(nodeName ?? '') % 3)}` }],
            startTime: isoTime(created),
            containerStatuses,
          }
        : {}),
      ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
      qosClass: 'Burstable',
    },
  };
}

function hashNumber(seed: string): number {
  return createHash('sha1').update(seed).digest().readUInt32BE(0);
}

/** A stable pod IP in 10.244.0.0/16 for a namespace/name. */
export function podIPFor(seed: string): string {
  const n = hashNumber(seed);
  return `10.244.${(n >>> 8) & 0xff}.${(n & 0xfd) + 2}`;
}

// ---------------------------------------------------------------------------------------------
// Workloads

export interface WorkloadInput {
  namespace: string;
  name: string;
  replicas: number;
  image: string;
  labels?: Record<string, string>;
  generation?: number;
  createdAt?: number;
}

function podTemplate(input: WorkloadInput, labels: Record<string, string>) {
  return {
    metadata: { labels },
    spec: {
      containers: [containerSpec({ name: input.name, image: input.image })],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    },
  };
}

export function appLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'signalbox-demo' };
}

export interface DeploymentStatusInput {
  observedGeneration?: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  progressing?: { status: 'True' | 'False'; reason: string; message: string };
}

export function deployment(input: WorkloadInput, status?: DeploymentStatusInput): KubeObject {
  const labels = input.labels ?? appLabels(input.name);
  const created = input.createdAt ?? Date.now() - 86_400_000;
  const generation = input.generation ?? 1;
  const s = status ?? {
    replicas: input.replicas,
    updatedReplicas: input.replicas,
    readyReplicas: input.replicas,
    availableReplicas: input.replicas,
  };
  const unavailable = Math.max(0, s.replicas - s.availableReplicas);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      uid: uidFor(`deployment/${input.namespace}/${input.name}`),
      generation,
      creationTimestamp: isoTime(created),
      labels,
      annotations: { 'deployment.kubernetes.io/revision': String(generation) },
      managedFields: [managedFields('kubectl-client-side-apply', 'Update', created)],
    },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'] ?? input.name } },
      template: podTemplate(input, labels),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: s.observedGeneration ?? generation,
      replicas: s.replicas,
      updatedReplicas: s.updatedReplicas,
      readyReplicas: s.readyReplicas,
      availableReplicas: s.availableReplicas,
      ...(unavailable > 0 ? { unavailableReplicas: unavailable } : {}),
      conditions: [
        s.availableReplicas >= input.replicas - Math.floor(input.replicas / 4)
          ? {
              type: 'Available',
              status: 'True',
              lastUpdateTime: isoTime(created),
              lastTransitionTime: isoTime(created),
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
            }
          : {
              type: 'Available',
              status: 'False',
              lastUpdateTime: isoTime(created),
              lastTransitionTime: isoTime(created),
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            },
        {
          type: 'Progressing',
          status: s.progressing?.status ?? 'True',
          lastUpdateTime: isoTime(created),
          lastTransitionTime: isoTime(created),
          reason: s.progressing?.reason ?? 'NewReplicaSetAvailable',
          message:
            s.progressing?.message ??
            `ReplicaSet "${input.name}-${templateHash(`${input.namespace}/${input.name}/${input.image}`)}" has successfully progressed.`,
        },
      ],
    },
  };
}

export function replicaSetName(input: { namespace: string; name: string; image: string }): string {
  return `${input.name}-${templateHash(`${input.namespace}/${input.name}/${input.image}`)}`;
}

export function replicaSet(
  input: WorkloadInput,
  status: { replicas: number; readyReplicas: number; availableReplicas: number },
  revision = 1,
): KubeObject {
  const labels = input.labels ?? appLabels(input.name);
  const name = replicaSetName(input);
  const hash = name.slice(input.name.length + 1);
  const created = input.createdAt ?? Date.now() - 86_400_000;
  const podLabels = { ...labels, 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: input.namespace,
      uid: uidFor(`replicaset/${input.namespace}/${name}`),
      generation: 1,
      creationTimestamp: isoTime(created),
      labels: podLabels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(input.replicas),
        'deployment.kubernetes.io/max-replicas': String(input.replicas + Math.ceil(input.replicas / 4)),
        'deployment.kubernetes.io/revision': String(revision),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: input.name,
          uid: uidFor(`deployment/${input.namespace}/${input.name}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [managedFields('kube-controller-manager', 'Update', created)],
    },
    spec: {
      replicas: input.replicas,
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': labels['app.kubernetes.io/name'] ?? input.name,
          'pod-template-hash': hash,
        },
      },
      template: podTemplate(input, podLabels),
    },
    status: {
      replicas: status.replicas,
      fullyLabeledReplicas: status.replicas,
      readyReplicas: status.readyReplicas,
      availableReplicas: status.availableReplicas,
      observedGeneration: 1,
    },
  };
}

export function statefulSet(
  input: WorkloadInput,
  status: { replicas: number; readyReplicas: number; updatedReplicas: number; availableReplicas?: number },
): KubeObject {
  const labels = input.labels ?? appLabels(input.name);
  const created = input.createdAt ?? Date.now() - 86_400_000;
  const revision = `${input.name}-${templateHash(`${input.namespace}/${input.name}/${input.image}`)}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      uid: uidFor(`statefulset/${input.namespace}/${input.name}`),
      generation: input.generation ?? 1,
      creationTimestamp: isoTime(created),
      labels,
    },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'] ?? input.name } },
      serviceName: input.name,
      template: podTemplate(input, labels),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      observedGeneration: input.generation ?? 1,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      currentReplicas: status.updatedReplicas,
      updatedReplicas: status.updatedReplicas,
      availableReplicas: status.availableReplicas ?? status.readyReplicas,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    },
  };
}

export function daemonSet(
  input: Omit<WorkloadInput, 'replicas'>,
  status: { desired: number; updated: number; available: number; ready?: number },
): KubeObject {
  const labels = input.labels ?? appLabels(input.name);
  const created = input.createdAt ?? Date.now() - 86_400_000;
  const unavailable = Math.max(0, status.desired - status.available);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      uid: uidFor(`daemonset/${input.namespace}/${input.name}`),
      generation: input.generation ?? 1,
      creationTimestamp: isoTime(created),
      labels,
      annotations: { 'deprecated.daemonset.template.generation': String(input.generation ?? 1) },
    },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'] ?? input.name } },
      template: podTemplate({ ...input, replicas: 0 }, labels),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: status.desired,
      numberMisscheduled: 0,
      desiredNumberScheduled: status.desired,
      numberReady: status.ready ?? status.available,
      observedGeneration: input.generation ?? 1,
      updatedNumberScheduled: status.updated,
      numberAvailable: status.available,
      ...(unavailable > 0 ? { numberUnavailable: unavailable } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Services and endpointslices

export function service(input: {
  namespace: string;
  name: string;
  selector?: Record<string, string> | null;
  port?: number;
  createdAt?: number;
}): KubeObject {
  const created = input.createdAt ?? Date.now() - 86_400_000;
  const n = hashNumber(`svc/${input.namespace}/${input.name}`);
  const clusterIP = `10.96.${(n >>> 8) & 0xff}.${(n & 0xfd) + 2}`;
  const selector = input.selector === null ? undefined : (input.selector ?? { 'app.kubernetes.io/name': input.name });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      uid: uidFor(`service/${input.namespace}/${input.name}`),
      creationTimestamp: isoTime(created),
      labels: appLabels(input.name),
      managedFields: [managedFields('kubectl-client-side-apply', 'Update', created)],
    },
    spec: {
      ports: [{ name: 'http', protocol: 'TCP', port: input.port ?? 80, targetPort: 'http' }],
      ...(selector ? { selector } : {}),
      clusterIP,
      clusterIPs: [clusterIP],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}

/** The endpointslice the controller keeps for a service, listing the given pods. */
export function endpointSlice(
  svc: { namespace: string; name: string },
  pods: readonly KubeObject[],
  port = 8080,
): KubeObject {
  const name = `${svc.name}-${suffix(`eps/${svc.namespace}/${svc.name}`)}`;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      generateName: `${svc.name}-`,
      namespace: svc.namespace,
      uid: uidFor(`endpointslice/${svc.namespace}/${name}`),
      creationTimestamp: isoTime(Date.now() - 86_400_000),
      labels: {
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': svc.name,
      },
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': isoTime(Date.now()) },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc.name,
          uid: uidFor(`service/${svc.namespace}/${svc.name}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints: pods
      .filter((p) => (p.status as { podIP?: string }).podIP)
      .map((p) => {
        const status = p.status as { podIP: string; conditions?: { type: string; status: string }[] };
        const ready = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        const terminating = p.metadata.deletionTimestamp !== undefined;
        return {
          addresses: [status.podIP],
          conditions: { ready: ready && !terminating, serving: ready, terminating },
          targetRef: { kind: 'Pod', namespace: svc.namespace, name: p.metadata.name, uid: p.metadata.uid },
          nodeName: (p.spec as { nodeName?: string }).nodeName,
          zone: 'zone-a',
        };
      }),
    ports: [{ name: 'http', port, protocol: 'TCP' }],
  };
}

// ---------------------------------------------------------------------------------------------
// events.k8s.io/v1 events

export interface EventInput {
  regarding: KubeObject;
  reason: string;
  note: string;
  type?: 'Normal' | 'Warning';
  count?: number;
  firstAt?: number;
  lastAt?: number;
  /** The container a kubelet event is about (fieldPath spec.containers{name}). */
  container?: string;
  /** Kubelet events come through the core API (deprecated* fields, no eventTime); controllers
   * using events.k8s.io set eventTime and series instead. */
  style?: 'kubelet' | 'controller';
  reportingController?: string;
}

export function event(input: EventInput): KubeObject {
  const r = input.regarding;
  const last = input.lastAt ?? Date.now();
  const first = input.firstAt ?? last;
  const count = input.count ?? 1;
  const name = `${r.metadata.name}.${createHash('sha1').update(`${r.metadata.uid}/${input.reason}/${input.note}`).digest('hex').slice(0, 16)}`;
  const regarding = {
    kind: r.kind,
    namespace: r.metadata.namespace,
    name: r.metadata.name,
    uid: r.metadata.uid,
    apiVersion: r.apiVersion,
    resourceVersion: r.metadata.resourceVersion,
    ...(input.container ? { fieldPath: `spec.containers{${input.container}}` } : {}),
  };
  const base = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: {
      name,
      namespace: r.metadata.namespace ?? 'default',
      uid: uidFor(`event/${name}`),
      creationTimestamp: isoTime(first),
    },
    regarding,
    note: input.note,
    reason: input.reason,
    type: input.type ?? 'Warning',
  };
  if ((input.style ?? 'kubelet') === 'kubelet') {
    const node = (r.spec as { nodeName?: string } | undefined)?.nodeName ?? 'node-1';
    return {
      ...base,
      eventTime: null,
      reportingController: 'kubelet',
      reportingInstance: node,
      deprecatedSource: { component: 'kubelet', host: node },
      deprecatedFirstTimestamp: isoTime(first),
      deprecatedLastTimestamp: isoTime(last),
      deprecatedCount: count,
    };
  }
  return {
    ...base,
    eventTime: microTime(first),
    reportingController: input.reportingController ?? 'deployment-controller',
    reportingInstance: `${input.reportingController ?? 'deployment-controller'}-control-plane`,
    action: input.reason,
    ...(count > 1 ? { series: { count, lastObservedTime: microTime(last) } } : {}),
  };
}
