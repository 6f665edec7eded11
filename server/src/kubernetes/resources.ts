// The resources the source watches: where each lives in the API, and therefore which RBAC rules
// the source needs. One table, so the informers, the RBAC rules written down for the manifests
// and the status page never disagree.
import type {
  EventsV1Event,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Namespace,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';

/**
 * The objects in the caches. Their TypeScript types are client-node's models, but they are the
 * API server's JSON as is (lists and watch events alike): times are RFC 3339 strings where the
 * models say Date. objects.ts reads both.
 */
export interface ResourceObjects {
  namespaces: V1Namespace;
  pods: V1Pod;
  services: V1Service;
  endpointslices: V1EndpointSlice;
  deployments: V1Deployment;
  statefulsets: V1StatefulSet;
  daemonsets: V1DaemonSet;
  replicasets: V1ReplicaSet;
  events: EventsV1Event;
}
export type ResourceName = keyof ResourceObjects;

export interface ResourceDefinition<K extends ResourceName = ResourceName> {
  name: K;
  /** API group ('' for core). */
  group: string;
  version: string;
  /** Cluster-scoped resources are only watched when all namespaces are. */
  clusterScoped: boolean;
}

function define<K extends ResourceName>(def: ResourceDefinition<K>): ResourceDefinition<K> {
  return def;
}

export const RESOURCES = {
  namespaces: define({
    name: 'namespaces',
    group: '',
    version: 'v1',
    clusterScoped: true,
  }),
  pods: define({
    name: 'pods',
    group: '',
    version: 'v1',
    clusterScoped: false,
  }),
  services: define({
    name: 'services',
    group: '',
    version: 'v1',
    clusterScoped: false,
  }),
  endpointslices: define({
    name: 'endpointslices',
    group: 'discovery.k8s.io',
    version: 'v1',
    clusterScoped: false,
  }),
  deployments: define({
    name: 'deployments',
    group: 'apps',
    version: 'v1',
    clusterScoped: false,
  }),
  statefulsets: define({
    name: 'statefulsets',
    group: 'apps',
    version: 'v1',
    clusterScoped: false,
  }),
  daemonsets: define({
    name: 'daemonsets',
    group: 'apps',
    version: 'v1',
    clusterScoped: false,
  }),
  replicasets: define({
    name: 'replicasets',
    group: 'apps',
    version: 'v1',
    clusterScoped: false,
  }),
  events: define({
    name: 'events',
    group: 'events.k8s.io',
    version: 'v1',
    clusterScoped: false,
  }),
} satisfies { [K in ResourceName]: ResourceDefinition<K> };

export const RESOURCE_NAMES = Object.keys(RESOURCES) as ResourceName[];

/** The watch (and list) path of a resource, across all namespaces or in one. */
export function resourcePath(def: ResourceDefinition, namespace: string | undefined): string {
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  return namespace && !def.clusterScoped ? `${base}/namespaces/${namespace}/${def.name}` : `${base}/${def.name}`;
}

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/**
 * The RBAC rules the source needs: get/list/watch on every watched resource and get on pods/log.
 * With --namespaces they go into a Role per namespace (namespaces itself is then not needed);
 * without, into a ClusterRole.
 */
export function rbacRules(options: { allNamespaces: boolean }): RbacRule[] {
  const byGroup = new Map<string, string[]>();
  for (const def of Object.values(RESOURCES)) {
    if (def.clusterScoped && !options.allNamespaces) continue;
    byGroup.set(def.group, [...(byGroup.get(def.group) ?? []), def.name]);
  }
  const rules = [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources,
    verbs: ['get', 'list', 'watch'],
  }));
  rules.push({ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] });
  return rules;
}
