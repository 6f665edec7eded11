// Route schemas of the Kubernetes API (TypeBox): request validation, response serialization,
// the OpenAPI document, and the types the service objects produce (so nothing is shaped twice).
import { type Static, type TSchema, Type } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Millis = (description: string) => Type.Integer({ description: `${description} (epoch milliseconds)` });
const Labels = Type.Record(Type.String(), Type.String());

export const NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$';
const ObjectName = (description: string) => Type.String({ pattern: NAME_PATTERN, maxLength: 253, description });

export const SeveritySchema = Type.Union([Type.Literal('critical'), Type.Literal('warning'), Type.Literal('ok')], {
  description: 'The worst problem of the object: critical > warning > ok',
});

export const PROBLEM_CODES = [
  'crash_loop',
  'oom_killed',
  'image_pull',
  'config_error',
  'unschedulable',
  'pending',
  'probe_failing',
  'restarts',
  'failed',
  'evicted',
  'terminating_stuck',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const ProblemSchema = Type.Object({
  code: Type.Enum(PROBLEM_CODES, { description: 'What kind of problem; stable, for filtering and icons' }),
  severity: Type.Union([Type.Literal('critical'), Type.Literal('warning')]),
  container: Nullable(Type.String({ description: 'The container it is about, if one' })),
  message: Type.String({ description: 'What an operator reads first' }),
  since_at: Nullable(Millis('When it started, when known')),
});
export type Problem = Static<typeof ProblemSchema>;

export const ContainerSchema = Type.Object({
  name: Type.String(),
  init: Type.Boolean({ description: 'An init container' }),
  image: Type.String(),
  ready: Type.Boolean(),
  restarts: Type.Integer(),
  state: Type.Union([
    Type.Literal('running'),
    Type.Literal('waiting'),
    Type.Literal('terminated'),
    Type.Literal('unknown'),
  ]),
  reason: Nullable(Type.String({ description: 'Reason of the waiting or terminated state' })),
  message: Nullable(Type.String()),
  started_at: Nullable(Millis('Start of the running state')),
  last_termination: Nullable(
    Type.Object({
      reason: Type.String({ description: 'e.g. OOMKilled, Error, Completed' }),
      exit_code: Type.Integer(),
      started_at: Nullable(Type.Integer()),
      finished_at: Nullable(Type.Integer()),
    }),
  ),
});
export type ContainerView = Static<typeof ContainerSchema>;

export const WorkloadRefSchema = Type.Object({
  kind: Type.String({ description: 'Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, …' }),
  name: Type.String(),
});

export const PodSchema = Type.Object({
  namespace: Type.String(),
  name: Type.String(),
  uid: Type.String(),
  status: Type.String({
    description: 'What `kubectl get pods` shows: Running, CrashLoopBackOff, Pending, Terminating, …',
  }),
  phase: Type.String({ description: 'Pending, Running, Succeeded, Failed or Unknown' }),
  severity: SeveritySchema,
  ready: Type.Boolean({ description: 'The Ready condition' }),
  ready_containers: Type.Integer(),
  total_containers: Type.Integer(),
  restarts: Type.Integer({ description: 'Sum of container restarts' }),
  last_restart_at: Nullable(Millis('Most recent container termination')),
  node: Nullable(Type.String()),
  pod_ip: Nullable(Type.String()),
  created_at: Millis('Creation'),
  started_at: Nullable(Millis('Start, once scheduled')),
  deleting: Type.Boolean({ description: 'Deletion requested (terminating)' }),
  app: Nullable(Type.String({ description: 'app.kubernetes.io/name or app label' })),
  workload: Nullable(WorkloadRefSchema),
  services: Type.Array(Type.String(), { description: 'Kubernetes Services in the namespace that select the pod' }),
  instance_ids: Type.Array(Type.String(), { description: 'Registry instances running in the pod' }),
  problems: Type.Array(ProblemSchema, { description: 'Worst first' }),
  containers: Type.Array(ContainerSchema),
  labels: Labels,
});
export type PodView = Static<typeof PodSchema>;

export const RolloutSchema = Type.Object({
  state: Type.Union(
    [Type.Literal('complete'), Type.Literal('progressing'), Type.Literal('stalled'), Type.Literal('paused')],
    {
      description: 'As `kubectl rollout status` decides it; stalled = progress deadline exceeded',
    },
  ),
  message: Type.String(),
  desired: Type.Integer({ description: 'Replicas asked for (DaemonSet: nodes that should run it)' }),
  current: Type.Integer({ description: 'Pods that exist now, old and new' }),
  updated: Type.Integer({ description: 'Pods of the newest revision' }),
  ready: Type.Integer(),
  available: Type.Integer(),
  unavailable: Type.Integer(),
  revision: Nullable(Type.String()),
});
export type Rollout = Static<typeof RolloutSchema>;

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export const WorkloadSchema = Type.Object({
  kind: Type.Enum(WORKLOAD_KINDS),
  namespace: Type.String(),
  name: Type.String(),
  uid: Type.String(),
  created_at: Millis('Creation'),
  images: Type.Array(Type.String()),
  selector: Labels,
  rollout: RolloutSchema,
  pods: Type.Integer(),
  problem_pods: Type.Integer({ description: 'Pods with a critical or warning problem' }),
  severity: SeveritySchema,
  warning_events: Type.Integer({ description: 'Warning events about the workload or its pods' }),
});
export type WorkloadView = Static<typeof WorkloadSchema>;

export const EventSchema = Type.Object({
  uid: Type.String(),
  namespace: Type.String(),
  type: Type.String({ description: 'Normal or Warning' }),
  reason: Type.String(),
  note: Type.String(),
  count: Type.Integer(),
  first_at: Millis('First occurrence'),
  last_at: Millis('Last occurrence'),
  regarding: Type.Object({
    kind: Type.String(),
    namespace: Type.String(),
    name: Type.String(),
    uid: Nullable(Type.String()),
    field_path: Nullable(Type.String()),
  }),
  reporting_controller: Nullable(Type.String()),
});
export type EventView = Static<typeof EventSchema>;

export const ServicePortSchema = Type.Object({
  name: Nullable(Type.String()),
  port: Type.Integer(),
  target_port: Nullable(Type.String()),
  protocol: Type.String(),
});

export const ServiceSchema = Type.Object({
  namespace: Type.String(),
  name: Type.String(),
  uid: Type.String(),
  type: Type.String(),
  cluster_ip: Nullable(Type.String()),
  ports: Type.Array(ServicePortSchema),
  selector: Nullable(Labels),
  created_at: Millis('Creation'),
  pods: Type.Integer({ description: 'Pods the service selects (or its endpointslices name)' }),
  ready_endpoints: Type.Integer({ description: 'Endpoints with conditions.ready in its endpointslices' }),
  endpoints: Type.Integer(),
  problem_pods: Type.Integer(),
  severity: SeveritySchema,
});
export type ServiceView = Static<typeof ServiceSchema>;

export const NamespaceSchema = Type.Object({
  name: Type.String(),
  phase: Nullable(Type.String({ description: 'Active or Terminating; null when namespaces are not watched' })),
  pods: Type.Integer(),
  problem_pods: Type.Integer(),
  workloads: Type.Integer(),
  services: Type.Integer(),
  warning_events: Type.Integer(),
  severity: SeveritySchema,
});
export type NamespaceView = Static<typeof NamespaceSchema>;

export const ResourceStatusSchema = Type.Object({
  resource: Type.String({ description: 'pods, services, endpointslices, …' }),
  synced: Type.Boolean({ description: 'The first list has been loaded' }),
  objects: Type.Integer(),
  lists: Type.Integer({ description: 'Full lists so far: 1 + relists after 410 Gone or restarts' }),
  watch_restarts: Type.Integer({ description: 'Watches restarted after an error' }),
  resource_version: Type.String({ description: 'Last resourceVersion seen (events and bookmarks)' }),
  last_event_at: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  last_error_at: Nullable(Type.Integer()),
});
export type ResourceStatus = Static<typeof ResourceStatusSchema>;

export const SourceStatusSchema = Type.Object({
  cluster: Type.String({ description: 'API server URL' }),
  context: Nullable(Type.String({ description: 'kubeconfig context, null in-cluster' })),
  namespaces: Nullable(Type.Array(Type.String(), { description: 'Watched namespaces; null for all' })),
  synced: Type.Boolean(),
  synced_at: Nullable(Type.Integer()),
  sync_duration_ms: Nullable(Type.Integer({ description: 'From start to every cache loaded' })),
  warning_logs: Type.Boolean({ description: 'Warning events are stored as log records' }),
  resources: Type.Array(ResourceStatusSchema),
});
export type SourceStatusView = Static<typeof SourceStatusSchema>;

export const LogLineSchema = Type.Object({
  time_ns: Nullable(Type.String({ description: 'Kubelet timestamp, nanoseconds since the epoch as a decimal string' })),
  text: Type.String(),
});
export type LogLine = Static<typeof LogLineSchema>;

export const LogsSchema = Type.Object({
  namespace: Type.String(),
  pod: Type.String(),
  container: Type.String(),
  previous: Type.Boolean(),
  lines: Type.Array(LogLineSchema),
  truncated: Type.Boolean({ description: 'The byte limit cut the output' }),
});

// --------------------------------------------------------------------------------------------
// Requests

const severityFilter = Type.Union([Type.Literal('critical'), Type.Literal('warning'), Type.Literal('problems')], {
  description: '`critical`: only critical; `warning`: warning or worse; `problems`: same as warning',
});

export const NamespaceParams = Type.Object({ namespace: ObjectName('Namespace') });
export const PodParams = Type.Object({ namespace: ObjectName('Namespace'), name: ObjectName('Pod name') });
export const ServiceParams = Type.Object({ namespace: ObjectName('Namespace'), name: ObjectName('Service name') });
export const WorkloadParams = Type.Object({
  namespace: ObjectName('Namespace'),
  kind: Type.Enum(WORKLOAD_KINDS),
  name: ObjectName('Workload name'),
});

export const WorkloadQuery = Type.Object(
  {
    namespace: Type.Optional(ObjectName('Only this namespace')),
    kind: Type.Optional(Type.Enum(WORKLOAD_KINDS)),
  },
  { additionalProperties: false },
);

export const PodQuery = Type.Object(
  {
    namespace: Type.Optional(ObjectName('Only this namespace')),
    app: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 253,
        description:
          'Pods of this application: app.kubernetes.io/name or app label, or selected by a Service of that name',
      }),
    ),
    node: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    severity: Type.Optional(severityFilter),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  },
  { additionalProperties: false },
);

export const ServiceQuery = Type.Object(
  { namespace: Type.Optional(ObjectName('Only this namespace')) },
  { additionalProperties: false },
);

export const EventQuery = Type.Object(
  {
    namespace: Type.Optional(ObjectName('Only this namespace')),
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'Kind of the object, e.g. Pod' })),
    name: Type.Optional(ObjectName('Name of the object (needs namespace for namespaced kinds)')),
    uid: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'uid of the object' })),
    type: Type.Optional(Type.Union([Type.Literal('Normal'), Type.Literal('Warning')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const LOG_LIMITS = { defaultTailLines: 200, maxTailLines: 10_000, limitBytes: 4 * 1024 * 1024 } as const;

export const LogQuery = Type.Object(
  {
    container: Type.Optional(ObjectName('Container; default: the default-container annotation, else the first')),
    tail_lines: Type.Optional(
      Type.Integer({ minimum: 0, maximum: LOG_LIMITS.maxTailLines, default: LOG_LIMITS.defaultTailLines }),
    ),
    previous: Type.Optional(
      Type.Boolean({ default: false, description: 'The previous (terminated) container instance' }),
    ),
    since_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
  },
  { additionalProperties: false },
);

export const LogStreamQuery = Type.Object(
  {
    container: Type.Optional(ObjectName('Container; default: the default-container annotation, else the first')),
    tail_lines: Type.Optional(Type.Integer({ minimum: 0, maximum: LOG_LIMITS.maxTailLines, default: 100 })),
    since_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
  },
  { additionalProperties: false },
);

export const ListOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer({ description: 'Matches before the limit' }) });

export const PodDetailSchema = Type.Object({
  pod: PodSchema,
  events: Type.Array(EventSchema, { description: 'Events about the pod, newest first' }),
});

export const WorkloadDetailSchema = Type.Object({
  workload: WorkloadSchema,
  pods: Type.Array(PodSchema, { description: 'Problems first' }),
  events: Type.Array(EventSchema, { description: 'Events about the workload, its ReplicaSets and pods, newest first' }),
});

export const ServicePodsSchema = Type.Object({
  service: ServiceSchema,
  pods: Type.Array(PodSchema, { description: 'Problems first' }),
});
