// Evaluates Kubernetes NetworkPolicy ingress rules the way the API defines them, so tests can ask
// "may this source reach that pod on that port?" of the rendered manifests instead of matching
// YAML shapes. Semantics (networking.k8s.io/v1): a pod selected by no Ingress policy accepts
// everything; once selected, a connection is allowed when any rule of any selecting policy
// matches both the port (no ports = all) and the source (no `from` = every source). A peer with
// only podSelector means pods in the policy's namespace; only namespaceSelector, every pod in
// the matching namespaces; both, pods matching both; ipBlock, addresses outside the pod network.
import type { K8sObject } from './kustomize.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** A connection's source: a pod (namespace and labels) or an address outside the cluster. */
export type Source = { pod: { namespace: string; labels: Record<string, string> } } | { external: string };

export interface Target {
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports of the target pod, to resolve `port: api` in rules. */
  namedPorts: Record<string, number>;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const inValues = has && (expression.values ?? []).includes(value as string);
    const ok = {
      In: inValues,
      NotIn: !inValues,
      Exists: has,
      DoesNotExist: !has,
    }[expression.operator];
    if (!ok) return false;
  }
  return true;
}

/** Labels Kubernetes puts on every namespace (1.22+): what namespaceSelectors can match on. */
export function namespaceLabels(namespace: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': namespace };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
}

// biome-ignore lint/suspicious/noExplicitAny: a NetworkPolicy peer as rendered
function peerMatches(peer: any, policyNamespace: string, source: Source): boolean {
  if (peer.ipBlock) {
    if (!('external' in source)) return false;
    const { cidr, except = [] } = peer.ipBlock as { cidr: string; except?: string[] };
    return inCidr(source.external, cidr) && !except.some((e) => inCidr(source.external, e));
  }
  if (!('pod' in source)) return false;
  const { namespace, labels } = source.pod;
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, namespaceLabels(namespace))) return false;
  } else if (namespace !== policyNamespace) {
    return false;
  }
  return peer.podSelector ? selects(peer.podSelector, labels) : true;
}

// biome-ignore lint/suspicious/noExplicitAny: a NetworkPolicy port as rendered
function portMatches(rulePort: any, port: number, target: Target): boolean {
  if (rulePort.protocol && rulePort.protocol !== 'TCP') return false;
  if (rulePort.port === undefined) return true;
  const start = typeof rulePort.port === 'string' ? target.namedPorts[rulePort.port] : rulePort.port;
  if (start === undefined) return false;
  return port >= start && port <= (rulePort.endPort ?? start);
}

function isIngressPolicy(policy: K8sObject): boolean {
  const types: string[] | undefined = policy.spec?.policyTypes;
  return types ? types.includes('Ingress') : true;
}

/** The Ingress policies that select the target pod (it is isolated when there is at least one). */
export function policiesFor(objects: K8sObject[], target: Target): K8sObject[] {
  return objects.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      (o.metadata.namespace ?? '') === target.namespace &&
      isIngressPolicy(o) &&
      selects(o.spec?.podSelector ?? {}, target.labels),
  );
}

export function allowed(objects: K8sObject[], source: Source, target: Target, port: number): boolean {
  const policies = policiesFor(objects, target);
  if (policies.length === 0) return true;
  return policies.some((policy) =>
    // biome-ignore lint/suspicious/noExplicitAny: rules as rendered
    (policy.spec.ingress ?? []).some((rule: any) => {
      const ports = rule.ports ?? [];
      if (ports.length > 0 && !ports.some((p: unknown) => portMatches(p, port, target))) return false;
      const from = rule.from ?? [];
      return (
        from.length === 0 || from.some((peer: unknown) => peerMatches(peer, policy.metadata.namespace ?? '', source))
      );
    }),
  );
}
