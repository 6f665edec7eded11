// Pod-bearing objects of a rendered overlay, and the small Kubernetes value helpers the checks
// share (quantities, env lookups).
import type { K8sObject } from './kustomize.js';

// biome-ignore lint/suspicious/noExplicitAny: pod specs and containers as rendered
type Any = any;

export interface Workload {
  object: K8sObject;
  /** `Deployment/signalbox-server` */
  id: string;
  namespace: string;
  templateLabels: Record<string, string>;
  podSpec: Any;
  containers: Any[];
}

export function podTemplate(object: K8sObject): Any | undefined {
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template;
    case 'Pod':
      return { metadata: object.metadata, spec: object.spec };
    default:
      return undefined;
  }
}

export function workloads(objects: K8sObject[]): Workload[] {
  const out: Workload[] = [];
  for (const object of objects) {
    const template = podTemplate(object);
    if (!template) continue;
    out.push({
      object,
      id: `${object.kind}/${object.metadata.name}`,
      namespace: object.metadata.namespace ?? '',
      templateLabels: template.metadata?.labels ?? {},
      podSpec: template.spec,
      containers: [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])],
    });
  }
  return out;
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not in the rendered overlay`);
  return found;
}

export function workload(objects: K8sObject[], kind: string, name: string): Workload {
  const found = workloads(objects).find((w) => w.id === `${kind}/${name}`);
  if (!found) throw new Error(`${kind}/${name} is not in the rendered overlay`);
  return found;
}

export function container(w: Workload, name: string): Any {
  const found = w.containers.find((c) => c.name === name);
  if (!found) throw new Error(`${w.id} has no container ${name}`);
  return found;
}

export function envVar(c: Any, name: string): Any | undefined {
  return (c.env ?? []).find((e: Any) => e.name === name);
}

/** Named container ports of a workload's pods. */
export function namedPorts(w: Workload): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const c of w.containers) for (const p of c.ports ?? []) if (p.name) ports[p.name] = p.containerPort;
  return ports;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes quantity ("250m", "1Gi", "2") as a number of base units (cores or bytes). */
export function quantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a Kubernetes quantity`);
  const suffix = match[2] ?? '';
  return Number(match[1]) * (BINARY[suffix] ?? DECIMAL[suffix] ?? Number.NaN);
}

/** `--max-old-space-size=768` in NODE_OPTIONS, in bytes, or undefined. */
export function nodeHeapLimit(c: Any): number | undefined {
  const value: string | undefined = envVar(c, 'NODE_OPTIONS')?.value;
  const match = value ? /--max-old-space-size=(\d+)/.exec(value) : null;
  return match ? Number(match[1]) * 2 ** 20 : undefined;
}

/** Splits `repo/name:tag@digest` into its parts. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@') as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}
