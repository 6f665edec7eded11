// Our rules for every rendered overlay, as functions that list violations ("Kind/name: what is
// wrong") so a failing test says exactly what to fix, and so tests can prove each rule fires by
// breaking a copy of the manifests.
import type { K8sObject } from './kustomize.js';
import { selects } from './netpol.js';
import { namedPorts, nodeHeapLimit, parseImage, quantity, type Workload, workloads } from './workloads.js';

// biome-ignore lint/suspicious/noExplicitAny: containers as rendered
type Any = any;

const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

/** Every container has startup, liveness and readiness probes (kubelet restarts, routing, slow starts). */
export function probeViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const w of workloads(objects)) {
    for (const c of w.podSpec.containers ?? []) {
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        if (!c[probe]) out.push(`${w.id}: container ${c.name} has no ${probe}`);
      }
    }
  }
  return out;
}

/** Requests and limits for CPU and memory, requests within limits, Node's heap within the limit. */
export function resourceViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const w of workloads(objects)) {
    for (const c of w.containers) {
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[resource] === undefined)
            out.push(`${w.id}: container ${c.name} has no ${kind}.${resource}`);
        }
      }
      for (const resource of ['cpu', 'memory']) {
        const request = c.resources?.requests?.[resource];
        const limit = c.resources?.limits?.[resource];
        if (request !== undefined && limit !== undefined && quantity(request) > quantity(limit)) {
          out.push(`${w.id}: container ${c.name} requests more ${resource} (${request}) than its limit (${limit})`);
        }
      }
      const heap = nodeHeapLimit(c);
      const memory = c.resources?.limits?.memory;
      if (heap !== undefined && memory !== undefined && heap > 0.85 * quantity(memory)) {
        out.push(`${w.id}: container ${c.name} lets V8's heap grow past 85% of its memory limit (${memory})`);
      }
    }
  }
  return out;
}

function effective(w: Workload, c: Any, field: string): Any {
  return c.securityContext?.[field] ?? w.podSpec.securityContext?.[field];
}

/** The restricted Pod Security Standard and a read-only root filesystem, for every container. */
export function securityViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const w of workloads(objects)) {
    const spec = w.podSpec;
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[host]) out.push(`${w.id}: uses ${host}`);
    for (const c of w.containers) {
      const where = `${w.id}: container ${c.name}`;
      if (effective(w, c, 'runAsNonRoot') !== true) out.push(`${where} does not set runAsNonRoot: true`);
      if (effective(w, c, 'runAsUser') === 0) out.push(`${where} runs as uid 0`);
      if (effective(w, c, 'seccompProfile')?.type !== 'RuntimeDefault')
        out.push(`${where} has no RuntimeDefault seccomp profile`);
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) out.push(`${where} has a writable root filesystem`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${where} does not set allowPrivilegeEscalation: false`);
      if (sc.privileged) out.push(`${where} is privileged`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where} does not drop ALL capabilities`);
      if ((sc.capabilities?.add ?? []).length > 0) out.push(`${where} adds capabilities ${sc.capabilities.add}`);
    }
  }
  return out;
}

/**
 * Images carry a tag that is not `latest`; images named in `expectedTags` carry exactly that
 * tag (ours: the version in the package's package.json). Third-party tags are full versions.
 */
export function imageViolations(objects: K8sObject[], expectedTags: Record<string, string>): string[] {
  const out: string[] = [];
  for (const w of workloads(objects)) {
    for (const c of w.containers) {
      const where = `${w.id}: container ${c.name} image ${c.image}`;
      const { name, tag, digest } = parseImage(String(c.image));
      if (!tag && !digest) out.push(`${where} has no tag`);
      else if (tag === 'latest') out.push(`${where} uses latest`);
      else if (expectedTags[name] !== undefined && tag !== expectedTags[name]) {
        out.push(`${where} should be tagged ${expectedTags[name]}`);
      } else if (expectedTags[name] === undefined && tag && !/^\d+\.\d+\.\d+/.test(tag)) {
        out.push(`${where} is not pinned to a full version`);
      }
      if (c.imagePullPolicy === 'Always') out.push(`${where} pulls Always (a pinned tag needs IfNotPresent)`);
    }
  }
  return out;
}

export const RECOMMENDED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
] as const;

/**
 * The recommended app.kubernetes.io labels on every object and pod template; a pod's version
 * label names the version of the image it runs; selectors never include the version (a
 * selector cannot change after the first apply, the version changes with every release).
 */
export function labelViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    for (const label of RECOMMENDED_LABELS) {
      if (!o.metadata.labels?.[label]) out.push(`${id(o)}: no ${label} label`);
    }
  }
  for (const w of workloads(objects)) {
    for (const label of RECOMMENDED_LABELS) {
      if (!w.templateLabels[label]) out.push(`${w.id}: pod template has no ${label} label`);
    }
    const main = w.podSpec.containers?.[0];
    const tag = main ? parseImage(String(main.image)).tag : undefined;
    const version = w.templateLabels['app.kubernetes.io/version'];
    if (tag && version && !tag.startsWith(version)) {
      out.push(`${w.id}: version label ${version} does not match its image tag ${tag}`);
    }
    const selector = w.object.spec?.selector?.matchLabels ?? {};
    if ('app.kubernetes.io/version' in selector) out.push(`${w.id}: selector includes the version label`);
    if (!selects(w.object.spec?.selector, w.templateLabels))
      out.push(`${w.id}: selector does not match its pod template`);
  }
  return out;
}

/** Every namespaced object names its namespace, so `kubectl apply -k` never depends on -n. */
export function namespaceViolations(objects: K8sObject[], namespace: string): string[] {
  const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'PersistentVolume', 'StorageClass']);
  return objects
    .filter((o) => !clusterScoped.has(o.kind) && o.metadata.namespace !== namespace)
    .map((o) => `${id(o)}: namespace is ${o.metadata.namespace ?? 'unset'}, expected ${namespace}`);
}

/** Services select pods that exist and target ports those pods name; Ingresses route to them. */
export function routingViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  const pods = workloads(objects);
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const backends = pods.filter(
      (w) =>
        w.namespace === service.metadata.namespace && selects({ matchLabels: service.spec.selector }, w.templateLabels),
    );
    if (backends.length === 0) {
      out.push(`${id(service)}: selects no pods`);
      continue;
    }
    for (const port of service.spec.ports ?? []) {
      for (const w of backends) {
        const target = port.targetPort ?? port.port;
        const ok = typeof target === 'string' ? target in namedPorts(w) : Object.values(namedPorts(w)).includes(target);
        if (!ok) out.push(`${id(service)}: port ${port.name} targets ${target}, which ${w.id} does not expose`);
      }
    }
  }
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of ingress.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === backend?.name);
        if (!service) out.push(`${id(ingress)}: ${path.path} routes to missing Service ${backend?.name}`);
        else if (
          !(service.spec.ports ?? []).some((p: Any) => p.name === backend.port?.name || p.port === backend.port?.number)
        ) {
          out.push(`${id(ingress)}: ${path.path} routes to a port Service ${backend.name} does not have`);
        }
      }
    }
  }
  return out;
}

/** Every pod is selected by an Ingress NetworkPolicy, so nothing is open by default. */
export function isolationViolations(objects: K8sObject[]): string[] {
  const policies = objects.filter(
    (o) => o.kind === 'NetworkPolicy' && (o.spec.policyTypes ?? ['Ingress']).includes('Ingress'),
  );
  return workloads(objects)
    .filter(
      (w) =>
        !policies.some((p) => p.metadata.namespace === w.namespace && selects(p.spec.podSelector, w.templateLabels)),
    )
    .map((w) => `${w.id}: no NetworkPolicy selects its pods, so they accept traffic from anywhere`);
}

/** A pod template's service-account token is mounted only where a role is bound to its account. */
export function tokenViolations(objects: K8sObject[]): string[] {
  const bound = new Set(
    objects
      .filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')
      .flatMap((b) =>
        (b.subjects ?? []).filter((s: Any) => s.kind === 'ServiceAccount').map((s: Any) => s.name as string),
      ),
  );
  const out: string[] = [];
  for (const w of workloads(objects)) {
    const account = w.podSpec.serviceAccountName ?? 'default';
    const mounted = w.podSpec.automountServiceAccountToken !== false;
    if (mounted && !bound.has(account)) out.push(`${w.id}: mounts a token for ${account}, which has no role`);
  }
  return out;
}

export interface RbacRule {
  apiGroup: string;
  resource: string;
  verbs: string[];
}

/** Flattens Role/ClusterRole rules to one entry per (group, resource), sorted: easy to compare. */
export function flattenRules(role: K8sObject): RbacRule[] {
  const out: RbacRule[] = [];
  for (const rule of role.rules ?? []) {
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? [])
        out.push({ apiGroup, resource, verbs: [...(rule.verbs ?? [])].sort() });
    }
  }
  return out.sort((a, b) => `${a.apiGroup}/${a.resource}`.localeCompare(`${b.apiGroup}/${b.resource}`));
}

/** Read-only, no wildcards, no secrets, no non-resource URLs, and every binding resolves. */
export function rbacViolations(objects: K8sObject[]): string[] {
  const out: string[] = [];
  const READ = new Set(['get', 'list', 'watch']);
  for (const role of objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    for (const rule of role.rules ?? []) {
      for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
        if ((rule[field] ?? []).includes('*')) out.push(`${id(role)}: wildcard in ${field}`);
      }
      if (rule.nonResourceURLs) out.push(`${id(role)}: grants non-resource URLs`);
      for (const verb of rule.verbs ?? []) if (!READ.has(verb)) out.push(`${id(role)}: grants ${verb}`);
      if ((rule.resources ?? []).includes('secrets')) out.push(`${id(role)}: reads secrets`);
    }
  }
  for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    const role = objects.find((o) => o.kind === binding.roleRef.kind && o.metadata.name === binding.roleRef.name);
    if (!role) out.push(`${id(binding)}: binds missing ${binding.roleRef.kind}/${binding.roleRef.name}`);
    for (const subject of binding.subjects ?? []) {
      const account = objects.find(
        (o) =>
          o.kind === 'ServiceAccount' && o.metadata.name === subject.name && o.metadata.namespace === subject.namespace,
      );
      if (subject.kind !== 'ServiceAccount' || !account) {
        out.push(
          `${id(binding)}: subject ${subject.kind}/${subject.namespace}/${subject.name} is not a ServiceAccount of this install`,
        );
      }
    }
  }
  return out;
}

/** All the rules above that hold for every overlay. */
export function allViolations(
  objects: K8sObject[],
  options: { namespace: string; expectedTags: Record<string, string> },
): string[] {
  return [
    ...probeViolations(objects),
    ...resourceViolations(objects),
    ...securityViolations(objects),
    ...imageViolations(objects, options.expectedTags),
    ...labelViolations(objects),
    ...namespaceViolations(objects, options.namespace),
    ...routingViolations(objects),
    ...isolationViolations(objects),
    ...tokenViolations(objects),
    ...rbacViolations(objects),
  ];
}
