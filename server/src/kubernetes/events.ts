// events.k8s.io/v1 events, normalized. Kubelet events arrive through the core API and carry the
// deprecated* fields (no eventTime); controllers that use events.k8s.io set eventTime and a
// series for repeats. Both read the same here: first/last occurrence and a count.
import type { EventsV1Event } from '@kubernetes/client-node';
import { millis, namespaceOf, uidOf } from './objects.js';
import type { EventView } from './schemas.js';

export function describeEvent(e: EventsV1Event): EventView {
  const created = millis(e.metadata?.creationTimestamp) ?? 0;
  const first = millis(e.deprecatedFirstTimestamp) ?? millis(e.eventTime) ?? created;
  const last = millis(e.series?.lastObservedTime) ?? millis(e.deprecatedLastTimestamp) ?? millis(e.eventTime) ?? first;
  return {
    uid: uidOf(e),
    namespace: namespaceOf(e),
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    note: e.note ?? '',
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    first_at: first,
    last_at: Math.max(first, last),
    regarding: {
      kind: e.regarding?.kind ?? '',
      namespace: e.regarding?.namespace ?? namespaceOf(e),
      name: e.regarding?.name ?? '',
      uid: e.regarding?.uid ?? null,
      field_path: e.regarding?.fieldPath ?? null,
    },
    reporting_controller: e.reportingController ?? e.deprecatedSource?.component ?? null,
  };
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** Events indexed by the object they are about (by uid and by kind/namespace/name). */
export class EventIndex {
  private readonly byUid = new Map<string, EventView>();
  private readonly byObject = new Map<string, Set<string>>();

  upsert(raw: EventsV1Event): { view: EventView; previous: EventView | undefined } {
    const view = describeEvent(raw);
    const previous = this.byUid.get(view.uid);
    if (previous) this.unlink(previous);
    this.byUid.set(view.uid, view);
    for (const key of this.keys(view)) {
      let set = this.byObject.get(key);
      if (!set) {
        set = new Set();
        this.byObject.set(key, set);
      }
      set.add(view.uid);
    }
    return { view, previous };
  }

  remove(raw: EventsV1Event): void {
    const previous = this.byUid.get(uidOf(raw));
    if (!previous) return;
    this.unlink(previous);
    this.byUid.delete(previous.uid);
  }

  /** Events about an object, by uid when known (survives renames and recreation), else by name. */
  about(kind: string, namespace: string, name: string, uid?: string | null): EventView[] {
    const uids = new Set<string>();
    for (const key of [uid ? `uid:${uid}` : null, `obj:${objectKey(kind, namespace, name)}`]) {
      if (!key) continue;
      for (const id of this.byObject.get(key) ?? []) uids.add(id);
    }
    const out: EventView[] = [];
    for (const id of uids) {
      const view = this.byUid.get(id);
      // Events by name of an object that was deleted and recreated belong to the old one.
      if (view && (!uid || !view.regarding.uid || view.regarding.uid === uid)) out.push(view);
    }
    return out;
  }

  all(): IterableIterator<EventView> {
    return this.byUid.values();
  }

  get size(): number {
    return this.byUid.size;
  }

  private keys(view: EventView): string[] {
    const keys = [`obj:${objectKey(view.regarding.kind, view.regarding.namespace, view.regarding.name)}`];
    if (view.regarding.uid) keys.push(`uid:${view.regarding.uid}`);
    return keys;
  }

  private unlink(view: EventView): void {
    for (const key of this.keys(view)) {
      const set = this.byObject.get(key);
      set?.delete(view.uid);
      if (set?.size === 0) this.byObject.delete(key);
    }
  }
}

export function newestFirst(a: EventView, b: EventView): number {
  return b.last_at - a.last_at || a.uid.localeCompare(b.uid);
}
