// Pod views kept between requests. Describing 5,000 pods takes a few hundred milliseconds of CPU;
// a dashboard polling the pods list would spend it again every few seconds for pods that did
// not change. A view stays valid while nothing it was built from changed: the pod itself (its
// resourceVersion), the Services, EndpointSlices, ReplicaSets and Deployments of its namespace,
// the events about it, the registry instances matched to pods, and, for the parts that depend
// on the clock ("recent" restarts, probe events within ten minutes), a short time to live.
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterCache, ClusterChange } from './cluster-cache.js';
import { namespaceOf, uidOf } from './objects.js';
import type { PodView } from './schemas.js';

export const POD_VIEW_TTL_MS = 10_000;

interface Entry {
  view: PodView;
  resourceVersion: string | undefined;
  namespaceGeneration: number;
  eventGeneration: number;
  instanceGeneration: number;
  at: number;
}

export class PodViewCache {
  private readonly entries = new Map<string, Entry>();
  private readonly namespaceGenerations = new Map<string, number>();
  private readonly eventGenerations = new Map<string, number>();
  hits = 0;
  misses = 0;

  constructor(
    cache: ClusterCache,
    private readonly ttlMs = POD_VIEW_TTL_MS,
  ) {
    cache.onChange((change) => this.changed(change));
  }

  get(pod: V1Pod, instanceGeneration: number, now: number): PodView | undefined {
    const entry = this.entries.get(uidOf(pod));
    if (
      entry &&
      entry.resourceVersion === pod.metadata?.resourceVersion &&
      entry.namespaceGeneration === (this.namespaceGenerations.get(namespaceOf(pod)) ?? 0) &&
      entry.eventGeneration === (this.eventGenerations.get(podKey(pod)) ?? 0) &&
      entry.instanceGeneration === instanceGeneration &&
      now - entry.at < this.ttlMs
    ) {
      this.hits += 1;
      return entry.view;
    }
    this.misses += 1;
    return undefined;
  }

  set(pod: V1Pod, view: PodView, instanceGeneration: number, now: number): void {
    this.entries.set(uidOf(pod), {
      view,
      resourceVersion: pod.metadata?.resourceVersion,
      namespaceGeneration: this.namespaceGenerations.get(namespaceOf(pod)) ?? 0,
      eventGeneration: this.eventGenerations.get(podKey(pod)) ?? 0,
      instanceGeneration,
      at: now,
    });
  }

  get size(): number {
    return this.entries.size;
  }

  private changed(change: ClusterChange): void {
    switch (change.resource) {
      case 'pods':
        if (change.type === 'remove') {
          const pod = change.object as V1Pod;
          this.entries.delete(uidOf(pod));
          this.eventGenerations.delete(podKey(pod));
        }
        break;
      case 'events': {
        const regarding = (change as ClusterChange<'events'>).object.regarding;
        if (regarding?.kind === 'Pod')
          bump(this.eventGenerations, `${regarding.namespace ?? ''}/${regarding.name ?? ''}`);
        break;
      }
      case 'services':
      case 'endpointslices':
      case 'replicasets':
      case 'deployments':
        bump(this.namespaceGenerations, namespaceOf(change.object));
        break;
      default:
        break;
    }
  }
}

function podKey(pod: V1Pod): string {
  return `${namespaceOf(pod)}/${pod.metadata?.name ?? ''}`;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
