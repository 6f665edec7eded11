// The watched cluster in memory: one informer per resource (per namespace with --namespaces),
// the events index, and a fan-out of changes to whoever reacts to them (the registry link, the
// warning-event log writer). Queries read the informers' caches directly; nothing is copied.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { EventIndex } from './events.js';
import { type InformerObserver, type InformerOptions, ResourceInformer } from './informers.js';
import {
  RESOURCE_NAMES,
  RESOURCES,
  type ResourceDefinition,
  type ResourceName,
  type ResourceObjects,
} from './resources.js';

export interface ClusterChange<K extends ResourceName = ResourceName> {
  resource: K;
  type: 'upsert' | 'remove';
  object: ResourceObjects[K];
}

export type ChangeListener = (change: ClusterChange) => void;

export interface ClusterCacheOptions {
  /** Watch only these namespaces; empty for all (then namespaces themselves are watched too). */
  namespaces: readonly string[];
  informer: InformerOptions;
  logger: Logger;
  observer?: InformerObserver;
}

export class ClusterCache {
  readonly events = new EventIndex();
  private readonly informers = new Map<ResourceName, ResourceInformer<ResourceName>[]>();
  private readonly listeners = new Set<ChangeListener>();
  private startedAt: number | null = null;

  constructor(
    kc: KubeConfig,
    private readonly options: ClusterCacheOptions,
  ) {
    const scoped = options.namespaces.length > 0;
    for (const name of RESOURCE_NAMES) {
      const def = RESOURCES[name] as ResourceDefinition<ResourceName>;
      // A namespace-limited source may only hold Roles in its namespaces: no cluster-scoped lists.
      if (def.clusterScoped && scoped) continue;
      const namespaces: (string | undefined)[] = scoped && !def.clusterScoped ? [...options.namespaces] : [undefined];
      this.informers.set(
        name,
        namespaces.map(
          (ns) =>
            new ResourceInformer(
              kc,
              def,
              ns,
              {
                upsert: (obj) => this.changed(name, 'upsert', obj),
                remove: (obj) => this.changed(name, 'remove', obj),
              },
              options.informer,
              options.logger,
              options.observer,
            ),
        ),
      );
    }
  }

  get namespaceScope(): readonly string[] | null {
    return this.options.namespaces.length > 0 ? this.options.namespaces : null;
  }

  watches(resource: ResourceName): boolean {
    return this.informers.has(resource);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.startedAt ??= Date.now();
    for (const group of this.informers.values()) for (const informer of group) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].flat().map((i) => i.stop()));
  }

  get synced(): boolean {
    return [...this.informers.values()].every((group) => group.every((i) => i.synced));
  }

  async whenSynced(): Promise<void> {
    await Promise.all([...this.informers.values()].flat().map((i) => i.whenSynced()));
  }

  /** Null when every cache has loaded, else which have not (for /readyz). */
  notSyncedReason(): string | null {
    const waiting = [...this.informers.values()].flat().filter((i) => !i.synced);
    if (waiting.length === 0) return null;
    const names = [...new Set(waiting.map((i) => i.definition.name))];
    const error = waiting.find((i) => i.stats.lastError)?.stats.lastError;
    return `waiting for the first list of ${names.join(', ')}${error ? ` (last error: ${error})` : ''}`;
  }

  /** When the caches first all held their lists, and how long that took from start. */
  syncTiming(): { at: number; durationMs: number } | null {
    if (!this.synced || this.startedAt === null) return null;
    const at = Math.max(...[...this.informers.values()].flat().map((i) => i.firstSyncAt ?? 0));
    return { at, durationMs: at - this.startedAt };
  }

  informersOf(resource: ResourceName): readonly ResourceInformer<ResourceName>[] {
    return this.informers.get(resource) ?? [];
  }

  list<K extends ResourceName>(resource: K, namespace?: string): ResourceObjects[K][] {
    const out: ResourceObjects[K][] = [];
    for (const informer of (this.informers.get(resource) ?? []) as ResourceInformer<K>[]) {
      if (namespace !== undefined && informer.namespace !== undefined && informer.namespace !== namespace) continue;
      out.push(...informer.list(namespace));
    }
    return out;
  }

  get<K extends ResourceName>(
    resource: K,
    namespace: string | undefined,
    name: string,
  ): ResourceObjects[K] | undefined {
    const group = (this.informers.get(resource) ?? []) as ResourceInformer<K>[];
    for (const informer of group) {
      if (informer.namespace !== undefined && informer.namespace !== namespace) continue;
      const found = informer.get(name, namespace);
      if (found) return found;
    }
    return undefined;
  }

  private changed<K extends ResourceName>(resource: K, type: 'upsert' | 'remove', object: ResourceObjects[K]): void {
    if (resource === 'events') {
      const event = object as ResourceObjects['events'];
      if (type === 'upsert') this.events.upsert(event);
      else this.events.remove(event);
    }
    const change = { resource, type, object } as ClusterChange;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.error({ err: error, resource }, 'kubernetes change listener failed');
      }
    }
  }
}

export function objectName(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? '?'}`;
}
