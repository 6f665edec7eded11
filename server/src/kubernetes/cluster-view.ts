// The read side of the Kubernetes source: namespaces, workloads with their rollout, pods with
// their problems first, services and their pods, events about an object. Everything is derived
// from the informer caches at query time (a few milliseconds for thousands of pods), so what the
// API shows is never older than the last watch event.
import type {
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1ObjectMeta,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { Errors } from '../errors.js';
import type { ClusterCache } from './cluster-cache.js';
import { newestFirst } from './events.js';
import { appLabelOf, controllerOf, labelsOf, millis, nameOf, namespaceOf, selects, uidOf } from './objects.js';
import { PodViewCache } from './pod-view-cache.js';
import { comparePods, describePod, severityRank, worstSeverity } from './pods.js';
import type { ResourceName } from './resources.js';
import { daemonSetRollout, deploymentRollout, replicaSetRollout, statefulSetRollout } from './rollout.js';
import type {
  EventView,
  NamespaceView,
  PodView,
  ResourceStatus,
  ServiceView,
  SourceStatusView,
  WorkloadKind,
  WorkloadView,
} from './schemas.js';

/** Which registry instances run in a pod (kept by the registry link; none without a registry). */
export interface InstanceLookup {
  instancesOfPod(namespace: string, name: string): string[];
  /** Changes whenever the pod → instances mapping does (cached pod views depend on it). */
  readonly generation: number;
}

export interface ClusterViewOptions {
  cluster: string;
  context: string | null;
  warningLogs: boolean;
  now?: () => number;
}

type Severity = 'critical' | 'warning' | 'ok';

function atLeast(severity: Severity, filter: 'critical' | 'warning' | 'problems' | undefined): boolean {
  if (!filter) return true;
  return severityRank(severity) >= (filter === 'critical' ? 2 : 1);
}

function worst(severities: Iterable<Severity>): Severity {
  let out: Severity = 'ok';
  for (const s of severities) if (severityRank(s) > severityRank(out)) out = s;
  return out;
}

/** Lookups built once per request and shared by every pod it describes. */
class Snapshot {
  private readonly servicesByNs = new Map<string, V1Service[]>();
  private readonly endpointPodsByNs = new Map<string, Map<string, Set<string>>>();
  private readonly views = new Map<string, PodView>();
  private readonly servicesByPod = new Map<string, string[]>();

  constructor(
    private readonly cache: ClusterCache,
    private readonly instances: InstanceLookup,
    private readonly viewCache: PodViewCache,
    readonly now: number,
  ) {}

  services(namespace: string): V1Service[] {
    let found = this.servicesByNs.get(namespace);
    if (!found) {
      found = this.cache.list('services', namespace);
      this.servicesByNs.set(namespace, found);
    }
    return found;
  }

  /** pod name → services whose endpointslices name it (covers services without a selector). */
  endpointPods(namespace: string): Map<string, Set<string>> {
    let found = this.endpointPodsByNs.get(namespace);
    if (!found) {
      found = new Map();
      for (const slice of this.cache.list('endpointslices', namespace)) {
        const service = labelsOf(slice)['kubernetes.io/service-name'];
        if (!service) continue;
        for (const endpoint of slice.endpoints ?? []) {
          const ref = endpoint.targetRef;
          if (ref?.kind !== 'Pod' || !ref.name) continue;
          let set = found.get(ref.name);
          if (!set) {
            set = new Set();
            found.set(ref.name, set);
          }
          set.add(service);
        }
      }
      this.endpointPodsByNs.set(namespace, found);
    }
    return found;
  }

  servicesOf(pod: V1Pod): string[] {
    const uid = uidOf(pod);
    let found = this.servicesByPod.get(uid);
    if (!found) {
      found = this.matchServices(pod);
      this.servicesByPod.set(uid, found);
    }
    return found;
  }

  private matchServices(pod: V1Pod): string[] {
    const ns = namespaceOf(pod);
    const labels = labelsOf(pod);
    const names = new Set<string>();
    for (const svc of this.services(ns)) if (selects(svc.spec?.selector, labels)) names.add(nameOf(svc));
    for (const svc of this.endpointPods(ns).get(nameOf(pod)) ?? []) names.add(svc);
    return [...names].sort();
  }

  workloadOf(pod: V1Pod): { kind: string; name: string } | null {
    const owner = controllerOf(pod);
    if (!owner) return null;
    if (owner.kind === 'ReplicaSet') {
      const rs = this.cache.get('replicasets', namespaceOf(pod), owner.name);
      const rsOwner = rs ? controllerOf(rs) : undefined;
      if (rsOwner?.kind === 'Deployment') return { kind: 'Deployment', name: rsOwner.name };
      if (!rs) {
        // Not (yet) in the cache: the deployment controller names ReplicaSets <deployment>-<hash>.
        const guess = owner.name.replace(/-[a-z0-9]{6,10}$/, '');
        if (guess !== owner.name && this.cache.get('deployments', namespaceOf(pod), guess)) {
          return { kind: 'Deployment', name: guess };
        }
      }
    }
    return { kind: owner.kind, name: owner.name };
  }

  describe(pod: V1Pod): PodView {
    const uid = uidOf(pod);
    let view = this.views.get(uid);
    if (view) return view;
    view = this.viewCache.get(pod, this.instances.generation, this.now);
    if (!view) {
      const ns = namespaceOf(pod);
      const name = nameOf(pod);
      view = describePod(pod, {
        services: this.servicesOf(pod),
        instanceIds: this.instances.instancesOfPod(ns, name),
        workload: this.workloadOf(pod),
        app: appLabelOf(labelsOf(pod)),
        events: this.cache.events.about('Pod', ns, name, pod.metadata?.uid),
        now: this.now,
      });
      this.viewCache.set(pod, view, this.instances.generation, this.now);
    }
    this.views.set(uid, view);
    return view;
  }
}

const NO_INSTANCES: InstanceLookup = { instancesOfPod: () => [], generation: 0 };

export class ClusterView {
  private readonly now: () => number;
  readonly podViews: PodViewCache;

  constructor(
    private readonly cache: ClusterCache,
    private readonly options: ClusterViewOptions,
    private instances: InstanceLookup = NO_INSTANCES,
  ) {
    this.now = options.now ?? Date.now;
    this.podViews = new PodViewCache(cache);
  }

  setInstanceLookup(lookup: InstanceLookup): void {
    this.instances = lookup;
  }

  private snapshot(): Snapshot {
    const reason = this.cache.notSyncedReason();
    if (reason) {
      throw Errors.unavailable(`The Kubernetes caches are still loading: ${reason}`, {
        extra: { retryAfterSeconds: 1 },
      });
    }
    return new Snapshot(this.cache, this.instances, this.podViews, this.now());
  }

  /** Describes one pod straight from the cache (no sync check): for the registry link. */
  describePodNow(pod: V1Pod): PodView {
    return new Snapshot(this.cache, this.instances, this.podViews, this.now()).describe(pod);
  }

  status(): SourceStatusView {
    const timing = this.cache.syncTiming();
    const resources: ResourceStatus[] = [];
    for (const name of [
      'namespaces',
      'pods',
      'services',
      'endpointslices',
      'deployments',
      'statefulsets',
      'daemonsets',
      'replicasets',
      'events',
    ] as ResourceName[]) {
      const informers = this.cache.informersOf(name);
      if (informers.length === 0) continue;
      const errors = informers.filter((i) => i.stats.lastErrorAt !== null);
      const lastError = errors.sort((a, b) => (b.stats.lastErrorAt ?? 0) - (a.stats.lastErrorAt ?? 0))[0];
      const eventTimes = informers.map((i) => i.stats.lastEventAt).filter((t): t is number => t !== null);
      resources.push({
        resource: name,
        synced: informers.every((i) => i.synced),
        objects: informers.reduce((n, i) => n + i.list().length, 0),
        lists: informers.reduce((n, i) => n + i.stats.lists, 0),
        watch_restarts: informers.reduce((n, i) => n + i.stats.watchRestarts, 0),
        resource_version: informers.map((i) => i.resourceVersion).join(','),
        last_event_at: eventTimes.length ? Math.max(...eventTimes) : null,
        last_error: lastError?.stats.lastError ?? null,
        last_error_at: lastError?.stats.lastErrorAt ?? null,
      });
    }
    return {
      cluster: this.options.cluster,
      context: this.options.context,
      namespaces: this.cache.namespaceScope ? [...this.cache.namespaceScope] : null,
      synced: this.cache.synced,
      synced_at: timing?.at ?? null,
      sync_duration_ms: timing?.durationMs ?? null,
      warning_logs: this.options.warningLogs,
      resources,
    };
  }

  namespaces(): NamespaceView[] {
    const snap = this.snapshot();
    const names = new Set<string>(this.cache.namespaceScope ?? []);
    const phases = new Map<string, string>();
    for (const ns of this.cache.list('namespaces')) {
      names.add(nameOf(ns));
      phases.set(nameOf(ns), ns.status?.phase ?? 'Active');
    }
    for (const pod of this.cache.list('pods')) names.add(namespaceOf(pod));
    return [...names].sort().map((name) => {
      const pods = this.cache.list('pods', name).map((p) => snap.describe(p));
      const problemPods = pods.filter((p) => p.severity !== 'ok');
      let warnings = 0;
      for (const e of this.cache.events.all()) if (e.namespace === name && e.type === 'Warning') warnings += 1;
      return {
        name,
        phase: phases.get(name) ?? null,
        pods: pods.length,
        problem_pods: problemPods.length,
        workloads: this.workloadObjects(name).length,
        services: this.cache.list('services', name).length,
        warning_events: warnings,
        severity: worst(pods.map((p) => p.severity)),
      };
    });
  }

  private workloadObjects(namespace?: string): Array<{ kind: WorkloadKind; obj: { metadata?: V1ObjectMeta } }> {
    const out: Array<{ kind: WorkloadKind; obj: { metadata?: V1ObjectMeta } }> = [];
    for (const obj of this.cache.list('deployments', namespace)) out.push({ kind: 'Deployment', obj });
    for (const obj of this.cache.list('statefulsets', namespace)) out.push({ kind: 'StatefulSet', obj });
    for (const obj of this.cache.list('daemonsets', namespace)) out.push({ kind: 'DaemonSet', obj });
    for (const obj of this.cache.list('replicasets', namespace)) {
      // ReplicaSets of a Deployment are its revisions, shown through the Deployment.
      if (controllerOf(obj)?.kind === 'Deployment') continue;
      out.push({ kind: 'ReplicaSet', obj });
    }
    return out;
  }

  private describeWorkload(kind: WorkloadKind, obj: { metadata?: V1ObjectMeta }, pods: PodView[]): WorkloadView {
    const ns = namespaceOf(obj);
    const name = nameOf(obj);
    // Every workload kind has spec.selector and spec.template; only the rollout figures differ.
    const spec = (obj as V1Deployment | V1StatefulSet | V1DaemonSet | V1ReplicaSet).spec;
    const selector: Record<string, string> = spec?.selector?.matchLabels ?? {};
    const images = (spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
    const rollout: WorkloadView['rollout'] = {
      Deployment: () => deploymentRollout(obj as V1Deployment),
      StatefulSet: () => statefulSetRollout(obj as V1StatefulSet),
      DaemonSet: () => daemonSetRollout(obj as V1DaemonSet),
      ReplicaSet: () => replicaSetRollout(obj as V1ReplicaSet),
    }[kind]();
    const events = this.workloadEvents(kind, ns, name, obj.metadata?.uid, pods);
    const podSeverity = worst(pods.map((p) => p.severity));
    // A stalled rollout is critical even when no pod shows why; one still progressing with
    // unavailable replicas is a warning.
    const rolloutSeverity: Severity =
      rollout.state === 'stalled'
        ? 'critical'
        : rollout.unavailable > 0 || rollout.available < rollout.desired
          ? 'warning'
          : 'ok';
    return {
      kind,
      namespace: ns,
      name,
      uid: uidOf(obj),
      created_at: millis(obj.metadata?.creationTimestamp) ?? 0,
      images,
      selector,
      rollout,
      pods: pods.length,
      problem_pods: pods.filter((p) => p.severity !== 'ok').length,
      severity: worst([podSeverity, rolloutSeverity]),
      warning_events: events.filter((e) => e.type === 'Warning').length,
    };
  }

  private workloadEvents(
    kind: string,
    ns: string,
    name: string,
    uid: string | undefined,
    pods: PodView[],
  ): EventView[] {
    const out = new Map<string, EventView>();
    const add = (events: EventView[]) => {
      for (const e of events) out.set(e.uid, e);
    };
    add(this.cache.events.about(kind, ns, name, uid));
    if (kind === 'Deployment') {
      for (const rs of this.cache.list('replicasets', ns)) {
        const owner = controllerOf(rs);
        if (owner?.kind === 'Deployment' && owner.name === name)
          add(this.cache.events.about('ReplicaSet', ns, nameOf(rs), rs.metadata?.uid));
      }
    }
    for (const pod of pods) add(this.cache.events.about('Pod', ns, pod.name, pod.uid));
    return [...out.values()].sort(newestFirst);
  }

  private podsByWorkload(snap: Snapshot, namespace?: string): Map<string, PodView[]> {
    const map = new Map<string, PodView[]>();
    for (const pod of this.cache.list('pods', namespace)) {
      const view = snap.describe(pod);
      if (!view.workload) continue;
      const key = `${view.workload.kind}/${view.namespace}/${view.workload.name}`;
      let list = map.get(key);
      if (!list) {
        list = [];
        map.set(key, list);
      }
      list.push(view);
    }
    return map;
  }

  workloads(filter: { namespace?: string; kind?: WorkloadKind }): { items: WorkloadView[]; total: number } {
    const snap = this.snapshot();
    const pods = this.podsByWorkload(snap, filter.namespace);
    const items = this.workloadObjects(filter.namespace)
      .filter((w) => !filter.kind || w.kind === filter.kind)
      .map((w) =>
        this.describeWorkload(w.kind, w.obj, pods.get(`${w.kind}/${namespaceOf(w.obj)}/${nameOf(w.obj)}`) ?? []),
      )
      .sort(
        (a, b) =>
          severityRank(b.severity) - severityRank(a.severity) ||
          a.namespace.localeCompare(b.namespace) ||
          a.name.localeCompare(b.name),
      );
    return { items, total: items.length };
  }

  workload(
    namespace: string,
    kind: WorkloadKind,
    name: string,
  ): { workload: WorkloadView; pods: PodView[]; events: EventView[] } {
    const snap = this.snapshot();
    const resource = (
      {
        Deployment: 'deployments',
        StatefulSet: 'statefulsets',
        DaemonSet: 'daemonsets',
        ReplicaSet: 'replicasets',
      } as const
    )[kind];
    const obj = this.cache.get(resource, namespace, name);
    if (!obj) throw Errors.notFound(`There is no ${kind} "${name}" in namespace "${namespace}"`);
    const pods = (this.podsByWorkload(snap, namespace).get(`${kind}/${namespace}/${name}`) ?? []).sort(comparePods);
    const workload = this.describeWorkload(kind, obj, pods);
    return { workload, pods, events: this.workloadEvents(kind, namespace, name, obj.metadata?.uid, pods) };
  }

  pods(filter: {
    namespace?: string;
    app?: string;
    node?: string;
    severity?: 'critical' | 'warning' | 'problems';
    limit?: number;
  }): { items: PodView[]; total: number } {
    const snap = this.snapshot();
    const matches: PodView[] = [];
    for (const pod of this.cache.list('pods', filter.namespace)) {
      if (filter.node && pod.spec?.nodeName !== filter.node) continue;
      const view = snap.describe(pod);
      if (filter.app && view.app !== filter.app && !view.services.includes(filter.app)) continue;
      if (!atLeast(view.severity, filter.severity)) continue;
      matches.push(view);
    }
    matches.sort(comparePods);
    return { items: matches.slice(0, filter.limit ?? 500), total: matches.length };
  }

  pod(namespace: string, name: string): { pod: PodView; events: EventView[] } {
    const snap = this.snapshot();
    const pod = this.cache.get('pods', namespace, name);
    if (!pod) throw Errors.notFound(`There is no pod "${name}" in namespace "${namespace}"`);
    return {
      pod: snap.describe(pod),
      events: this.cache.events.about('Pod', namespace, name, pod.metadata?.uid).sort(newestFirst),
    };
  }

  /** The pod object itself (for logs: containers and their states). */
  rawPod(namespace: string, name: string): V1Pod | undefined {
    return this.cache.get('pods', namespace, name);
  }

  private describeService(snap: Snapshot, svc: V1Service): { view: ServiceView; pods: PodView[] } {
    const ns = namespaceOf(svc);
    const name = nameOf(svc);
    const pods = this.cache
      .list('pods', ns)
      .filter((p) => snap.servicesOf(p).includes(name))
      .map((p) => snap.describe(p))
      .sort(comparePods);
    let endpoints = 0;
    let ready = 0;
    for (const slice of this.cache.list('endpointslices', ns) as V1EndpointSlice[]) {
      if (labelsOf(slice)['kubernetes.io/service-name'] !== name) continue;
      for (const e of slice.endpoints ?? []) {
        endpoints += 1;
        // The API says a missing ready condition means ready.
        if (e.conditions?.ready !== false) ready += 1;
      }
    }
    const selector = svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 ? svc.spec.selector : null;
    const problemPods = pods.filter((p) => p.severity !== 'ok');
    return {
      view: {
        namespace: ns,
        name,
        uid: uidOf(svc),
        type: svc.spec?.type ?? 'ClusterIP',
        cluster_ip: svc.spec?.clusterIP ?? null,
        ports: (svc.spec?.ports ?? []).map((p) => ({
          name: p.name ?? null,
          port: p.port,
          target_port: p.targetPort === undefined ? null : String(p.targetPort),
          protocol: p.protocol ?? 'TCP',
        })),
        selector,
        created_at: millis(svc.metadata?.creationTimestamp) ?? 0,
        pods: pods.length,
        ready_endpoints: ready,
        endpoints,
        problem_pods: problemPods.length,
        // Pods that exist but none ready behind the service: nothing answers it.
        severity: worst([
          worstSeverity(problemPods.flatMap((p) => p.problems)),
          pods.length > 0 && ready === 0 ? 'critical' : 'ok',
        ]),
      },
      pods,
    };
  }

  services(filter: { namespace?: string }): { items: ServiceView[]; total: number } {
    const snap = this.snapshot();
    const items = this.cache
      .list('services', filter.namespace)
      .map((s) => this.describeService(snap, s).view)
      .sort(
        (a, b) =>
          severityRank(b.severity) - severityRank(a.severity) ||
          a.namespace.localeCompare(b.namespace) ||
          a.name.localeCompare(b.name),
      );
    return { items, total: items.length };
  }

  servicePods(namespace: string, name: string): { service: ServiceView; pods: PodView[] } {
    const snap = this.snapshot();
    const svc = this.cache.get('services', namespace, name);
    if (!svc) throw Errors.notFound(`There is no service "${name}" in namespace "${namespace}"`);
    const { view, pods } = this.describeService(snap, svc);
    return { service: view, pods };
  }

  events(filter: {
    namespace?: string;
    kind?: string;
    name?: string;
    uid?: string;
    type?: 'Normal' | 'Warning';
    limit?: number;
  }): { items: EventView[]; total: number } {
    this.snapshot();
    let events: EventView[];
    if (filter.uid || (filter.kind && filter.name)) {
      if (filter.name && !filter.namespace && filter.kind !== 'Node' && filter.kind !== 'Namespace') {
        throw Errors.validation('To find events by name, give the namespace too (or the uid)', {
          fields: [{ path: '/querystring/namespace', message: 'is required with name' }],
        });
      }
      events = filter.uid
        ? [...this.cache.events.all()].filter((e) => e.regarding.uid === filter.uid)
        : this.cache.events.about(filter.kind!, filter.namespace ?? '', filter.name!);
    } else {
      if (filter.name && !filter.kind) {
        throw Errors.validation('To find events by name, give the kind too', {
          fields: [{ path: '/querystring/kind', message: 'is required with name' }],
        });
      }
      events = [...this.cache.events.all()];
    }
    const matches = events
      .filter(
        (e) =>
          (!filter.namespace || e.namespace === filter.namespace) &&
          (!filter.kind || e.regarding.kind === filter.kind) &&
          (!filter.type || e.type === filter.type),
      )
      .sort(newestFirst);
    return { items: matches.slice(0, filter.limit ?? 100), total: matches.length };
  }
}
