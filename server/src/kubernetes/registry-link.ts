// Pods ↔ registry instances. An instance runs in a pod when the agent reported the pod's name
// (label `k8s.pod.name`, from the downward API; `k8s.namespace.name` narrows it when present) or
// when its address is the pod's IP (and, for host-network pods sharing the node's IP, one of the
// pod's container ports). The pod's readiness is then reported to the registry as the
// `kubernetes` status source, so an instance's status merges health checks, heartbeats and pod
// readiness, and says which decided it.
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ClusterCache } from './cluster-cache.js';
import type { ClusterView, InstanceLookup } from './cluster-view.js';
import { nameOf, namespaceOf } from './objects.js';

export const POD_NAME_LABEL = 'k8s.pod.name';
export const NAMESPACE_LABEL = 'k8s.namespace.name';
export const STATUS_SOURCE = 'kubernetes';

/** What the link needs from the registry (RegistryService provides it). */
export interface RegistryPort {
  listLiveInstances(): Promise<Array<{ id: string; address: string; labels: Record<string, string> }>>;
  reportExternalStatus(report: {
    instanceId: string;
    source: string;
    status: 'passing' | 'warning' | 'critical';
    reason: string;
  }): Promise<boolean>;
}

export interface RegistryLinkOptions {
  /** Re-match every instance this often (new registrations are found at the latest then). */
  resyncMs: number;
  /** Pod changes within this window are reconciled together. */
  debounceMs: number;
}

export const DEFAULT_REGISTRY_LINK_OPTIONS: RegistryLinkOptions = { resyncMs: 10_000, debounceMs: 200 };

/** Splits `host:port` / `[v6]:port` / `host`. */
export function splitAddress(address: string): { host: string; port: number | null } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : null };
  const idx = address.lastIndexOf(':');
  if (idx > 0 && address.indexOf(':') === idx && /^\d+$/.test(address.slice(idx + 1))) {
    return { host: address.slice(0, idx), port: Number(address.slice(idx + 1)) };
  }
  return { host: address, port: null };
}

function containerPorts(pod: V1Pod): number[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}

/** Finds the pod an instance runs in, or undefined. */
export function matchPod(
  instance: { address: string; labels: Record<string, string> },
  byName: ReadonlyMap<string, V1Pod[]>,
  byIp: ReadonlyMap<string, V1Pod[]>,
): V1Pod | undefined {
  const podName = instance.labels[POD_NAME_LABEL];
  if (podName) {
    const namespace = instance.labels[NAMESPACE_LABEL];
    const candidates = (byName.get(podName) ?? []).filter((p) => !namespace || namespaceOf(p) === namespace);
    // The same pod name in two namespaces without a namespace label is ambiguous: no match.
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) return undefined;
  }
  const { host, port } = splitAddress(instance.address);
  const candidates = byIp.get(host) ?? [];
  if (candidates.length === 1 && (port === null || !candidates[0]!.spec?.hostNetwork)) return candidates[0];
  if (port !== null) {
    const byPort = candidates.filter((p) => containerPorts(p).includes(port));
    if (byPort.length === 1) return byPort[0];
  }
  return undefined;
}

/** Readiness of a pod as a registry status, with the reason an operator reads. */
export function podStatus(
  pod: V1Pod,
  topProblem: string | undefined,
): { status: 'passing' | 'critical'; reason: string } {
  const id = `pod ${namespaceOf(pod)}/${nameOf(pod)}`;
  if (pod.metadata?.deletionTimestamp) return { status: 'critical', reason: `${id} is terminating` };
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return { status: 'passing', reason: `${id} is ready` };
  const why = topProblem ?? ready?.message ?? `phase ${pod.status?.phase ?? 'Unknown'}`;
  return { status: 'critical', reason: `${id} is not ready: ${why}` };
}

export class RegistryLink implements InstanceLookup {
  private podInstances = new Map<string, string[]>();
  private mappingSignature = '';
  generation = 0;
  /** instance id → pod key and the last report sent, so only changes are written. */
  private reported = new Map<string, { pod: string; report: string }>();
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  reconciles = 0;

  constructor(
    private readonly cache: ClusterCache,
    private readonly view: ClusterView,
    private readonly registry: RegistryPort,
    private readonly logger: Logger,
    private readonly options: RegistryLinkOptions = DEFAULT_REGISTRY_LINK_OPTIONS,
  ) {}

  instancesOfPod(namespace: string, name: string): string[] {
    return this.podInstances.get(`${namespace}/${name}`) ?? [];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.cache.onChange((change) => {
      if (change.resource === 'pods' || change.resource === 'events') this.schedule();
    });
    this.timer = setInterval(() => this.schedule(0), this.options.resyncMs);
    this.timer.unref();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    await this.running;
  }

  /** Reconciles now (tests, and the resync timer); concurrent calls coalesce. */
  async reconcileNow(): Promise<void> {
    if (this.running) {
      // The running pass loops once more, so it sees whatever changed before this call.
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.reconcile();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.warn({ err: error }, 'matching registry instances to pods failed; retrying at the next change');
      } finally {
        this.running = undefined;
      }
    })();
    await this.running;
  }

  private schedule(delay = this.options.debounceMs): void {
    if (this.stopped || !this.cache.synced) return;
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.reconcileNow();
    }, delay);
    this.debounce.unref();
  }

  private async reconcile(): Promise<void> {
    if (!this.cache.synced) return;
    const instances = await this.registry.listLiveInstances();
    const byName = new Map<string, V1Pod[]>();
    const byIp = new Map<string, V1Pod[]>();
    for (const pod of this.cache.list('pods')) {
      const name = nameOf(pod);
      byName.set(name, [...(byName.get(name) ?? []), pod]);
      const ip = pod.status?.podIP;
      if (ip) byIp.set(ip, [...(byIp.get(ip) ?? []), pod]);
    }
    const podInstances = new Map<string, string[]>();
    const live = new Set<string>();
    for (const instance of instances) {
      live.add(instance.id);
      const pod = matchPod(instance, byName, byIp);
      const previous = this.reported.get(instance.id);
      let report: { status: 'passing' | 'critical'; reason: string } | undefined;
      let podKey: string;
      if (pod) {
        podKey = `${namespaceOf(pod)}/${nameOf(pod)}`;
        podInstances.set(podKey, [...(podInstances.get(podKey) ?? []), instance.id]);
        const view = this.view.describePodNow(pod);
        report = podStatus(pod, view.problems[0]?.message);
      } else if (previous && !this.cache.get('pods', previous.pod.split('/')[0], previous.pod.split('/')[1]!)) {
        // It ran in a pod that is gone; say so until the instance leaves the registry.
        podKey = previous.pod;
        report = { status: 'critical', reason: `pod ${previous.pod} no longer exists` };
      } else {
        continue;
      }
      const text = `${report.status}|${report.reason}`;
      if (previous?.report === text && previous.pod === podKey) continue;
      const accepted = await this.registry.reportExternalStatus({
        instanceId: instance.id,
        source: STATUS_SOURCE,
        status: report.status,
        reason: report.reason,
      });
      if (accepted) this.reported.set(instance.id, { pod: podKey, report: text });
    }
    for (const id of this.reported.keys()) if (!live.has(id)) this.reported.delete(id);
    const signature = JSON.stringify([...podInstances]);
    if (signature !== this.mappingSignature) {
      this.mappingSignature = signature;
      this.generation += 1;
    }
    this.podInstances = podInstances;
    this.reconciles += 1;
  }
}
