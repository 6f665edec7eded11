// Small readers over Kubernetes objects as the informers hold them: the API server's JSON, where
// times are RFC 3339 strings. client-node's model types say Date (what its typed calls return),
// so the readers here accept both.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';

/** Epoch milliseconds of a Kubernetes time (Date from a list, RFC 3339 string from a watch). */
export function millis(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export interface HasMetadata {
  metadata?: V1ObjectMeta;
}

export function nameOf(obj: HasMetadata): string {
  return obj.metadata?.name ?? '';
}

export function namespaceOf(obj: HasMetadata): string {
  return obj.metadata?.namespace ?? '';
}

export function uidOf(obj: HasMetadata): string {
  return obj.metadata?.uid ?? `${namespaceOf(obj)}/${nameOf(obj)}`;
}

export function labelsOf(obj: HasMetadata): Record<string, string> {
  return obj.metadata?.labels ?? {};
}

export function controllerOf(obj: HasMetadata): V1OwnerReference | undefined {
  const owners = obj.metadata?.ownerReferences ?? [];
  return owners.find((o) => o.controller) ?? owners[0];
}

/** True when every key/value of the selector is among the labels (an empty selector selects nothing). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels[k] === v);
}

/** The application a pod belongs to, by the recommended label, the older `app` label, else none. */
export function appLabelOf(labels: Record<string, string>): string | null {
  return labels['app.kubernetes.io/name'] ?? labels.app ?? null;
}
