// Where each service runs — its deployment environments and Kubernetes namespaces — so the
// topology can be grouped and filtered by them. The minute buckets carry no such dimension (and
// adding one would multiply every bucket row), so the placement comes from three other sources,
// best first:
//   1. the registry's live instances: the environment each agent registered with and its
//      `k8s.namespace.name` label (from the downward API). The service says this about itself,
//      per instance, and it is current: the most exact source there is.
//   2. the Kubernetes source, when it is on: namespaces of the pods the registry link matched to
//      the service's instances (also those matched by pod IP, without labels), else of
//      Kubernetes Services named like the service (e.g. an uninstrumented one seen only as a
//      `peer.service`). Matching is by address or name convention, so it only fills gaps.
//   3. the resources of the spans it sent (`deployment.environment.name`, the older
//      `deployment.environment`, `k8s.namespace.name`), read from the small resource catalog
//      table — never from raw spans — for services that are traced but not registered.
// A source that knows anything about a field of a service wins for that field; later ones only
// fill what is still empty. The whole picture is read at most every FRESH_MS and served from
// memory in between, so the topology query stays a read of the buckets.
import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export interface Placement {
  environments: string[];
  namespaces: string[];
}

/** What placement needs from the registry (RegistryService provides it). */
export interface RegistryPlacementPort {
  listLiveInstances(): Promise<
    Array<{ id: string; service: string; environment: string | null; labels: Record<string, string> }>
  >;
}

/** What placement needs from the Kubernetes source (see `kubernetesPlacementPort`). */
export interface KubernetesPlacementPort {
  /** Pods with the registry instances that run in them. */
  pods(): Iterable<{ namespace: string; instanceIds: readonly string[] }>;
  /** Kubernetes Services: namespace and name. */
  services(): Iterable<{ namespace: string; name: string }>;
}

export const NAMESPACE_LABEL = 'k8s.namespace.name';
const ENVIRONMENT_KEYS = ['deployment.environment.name', 'deployment.environment'] as const;
/** How often a resource's last_seen_ms is refreshed by ingest (telemetry/storage/catalog.ts). */
const RESOURCE_REFRESH_MS = 10 * 60_000;
/** Values kept per node and field; more are dropped (a service in 20 namespaces is a label, not a group). */
const MAX_VALUES = 20;

export interface PlacementOptions {
  /** A snapshot younger than this is served as is, ms. */
  freshMs: number;
  /** An older one is served while a new one is read in the background, up to this age, ms. */
  maxStaleMs: number;
  now?: () => number;
}

export const DEFAULT_PLACEMENT_OPTIONS: PlacementOptions = { freshMs: 5000, maxStaleMs: 60_000 };

interface ResourceRow {
  service: string;
  environment: string | null;
  namespace: string | null;
  lastSeen: number;
}

interface Snapshot {
  at: number;
  /** service → values from the registry (1) or Kubernetes (2), already merged by precedence. */
  environments: Map<string, Set<string>>;
  namespaces: Map<string, Set<string>>;
  resources: ResourceRow[];
}

function add(map: Map<string, Set<string>>, key: string, value: string | null | undefined): void {
  if (value === null || value === undefined || value === '') return;
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function sorted(values: Set<string> | undefined): string[] {
  return values ? [...values].sort().slice(0, MAX_VALUES) : [];
}

export class ServicePlacement {
  private registry: RegistryPlacementPort | undefined;
  private kubernetes: KubernetesPlacementPort | undefined;
  private snapshot: Snapshot | undefined;
  private reading: Promise<Snapshot> | undefined;
  private readonly now: () => number;
  private readonly resourceColumns: RawBuilder<unknown>;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly options: PlacementOptions = DEFAULT_PLACEMENT_OPTIONS,
  ) {
    this.now = options.now ?? Date.now;
    const postgres = store.dialect === 'postgres';
    const attribute = (key: string) => (postgres ? `attributes->>'${key}'` : `json_extract(attributes, '$."${key}"')`);
    this.resourceColumns = sql.raw(
      [
        `coalesce(${ENVIRONMENT_KEYS.map(attribute).join(', ')}) as environment`,
        `${attribute(NAMESPACE_LABEL)} as namespace`,
      ].join(', '),
    );
  }

  useRegistry(port: RegistryPlacementPort): void {
    this.registry = port;
    this.snapshot = undefined;
  }

  useKubernetes(port: KubernetesPlacementPort): void {
    this.kubernetes = port;
    this.snapshot = undefined;
  }

  /**
   * The placement of every known service, for a window starting at `sinceMs` (resources of spans
   * count only when seen since then). Never waits for a read when a recent picture is held.
   */
  async lookup(sinceMs: number): Promise<(service: string) => Placement> {
    const snapshot = await this.current();
    const resourceEnvironments = new Map<string, Set<string>>();
    const resourceNamespaces = new Map<string, Set<string>>();
    // A resource active in the window was stamped at most one refresh period before it.
    const seenSince = sinceMs - RESOURCE_REFRESH_MS;
    for (const row of snapshot.resources) {
      if (row.lastSeen < seenSince) continue;
      add(resourceEnvironments, row.service, row.environment);
      add(resourceNamespaces, row.service, row.namespace);
    }
    return (service) => ({
      environments: sorted(snapshot.environments.get(service) ?? resourceEnvironments.get(service)),
      namespaces: sorted(snapshot.namespaces.get(service) ?? resourceNamespaces.get(service)),
    });
  }

  private async current(): Promise<Snapshot> {
    const age = this.snapshot ? this.now() - this.snapshot.at : Number.POSITIVE_INFINITY;
    if (age < this.options.freshMs) return this.snapshot!;
    const reading = this.read();
    if (age <= this.options.maxStaleMs) {
      // Served stale; the next request gets the new picture.
      reading.catch(() => {});
      return this.snapshot!;
    }
    return reading;
  }

  /** One read at a time; concurrent callers share it. */
  private read(): Promise<Snapshot> {
    this.reading ??= this.readAll()
      .then((snapshot) => {
        this.snapshot = snapshot;
        return snapshot;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not read where services run; the topology shows no groups for now');
        // Keep what we had rather than fail the topology: placement only groups the graph.
        const fallback = this.snapshot ?? {
          at: this.now(),
          environments: new Map(),
          namespaces: new Map(),
          resources: [],
        };
        this.snapshot = { ...fallback, at: this.now() };
        return this.snapshot;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  private async readAll(): Promise<Snapshot> {
    const at = this.now();
    const [instances, resources] = await Promise.all([
      this.registry?.listLiveInstances() ?? Promise.resolve([]),
      this.readResources(),
    ]);
    const environments = new Map<string, Set<string>>();
    const namespaces = new Map<string, Set<string>>();
    const serviceOf = new Map<string, string>();
    for (const instance of instances) {
      serviceOf.set(instance.id, instance.service);
      add(environments, instance.service, instance.environment);
      add(namespaces, instance.service, instance.labels[NAMESPACE_LABEL]);
    }
    if (this.kubernetes) {
      const fromPods = new Map<string, Set<string>>();
      for (const pod of this.kubernetes.pods()) {
        for (const id of pod.instanceIds) {
          const service = serviceOf.get(id);
          if (service !== undefined) add(fromPods, service, pod.namespace);
        }
      }
      const byName = new Map<string, Set<string>>();
      for (const svc of this.kubernetes.services()) add(byName, svc.name, svc.namespace);
      for (const [service, found] of fromPods) if (!namespaces.has(service)) namespaces.set(service, found);
      for (const [service, found] of byName) if (!namespaces.has(service)) namespaces.set(service, found);
    }
    return { at, environments, namespaces, resources };
  }

  private async readResources(): Promise<ResourceRow[]> {
    const { rows } = await sql<{
      service: string;
      environment: unknown;
      namespace: unknown;
      last_seen: number | string;
    }>`select service, environment, namespace, max(last_seen_ms) as last_seen
      from (select service, ${this.resourceColumns}, last_seen_ms from telemetry_resources) as r
      where environment is not null or namespace is not null
      group by service, environment, namespace`.execute(this.store.db);
    const text = (value: unknown) => (value === null || value === undefined ? null : String(value).slice(0, 200));
    return rows.map((row) => ({
      service: row.service,
      environment: text(row.environment),
      namespace: text(row.namespace),
      lastSeen: Number(row.last_seen),
    }));
  }
}
