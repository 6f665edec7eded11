// Our deployment rules, checked on every rendered overlay: probes, resources, the restricted
// security context, labels, pinned images, routing, network isolation and least-privilege RBAC.
// Each rule is also shown to fire on a deliberately broken copy, so a check that silently
// stopped checking would fail here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from './lib/kustomize.js';
import { NAMESPACE, OVERLAYS, overlayDir } from './lib/overlays.js';
import {
  allViolations,
  flattenRules,
  imageViolations,
  isolationViolations,
  labelViolations,
  probeViolations,
  rbacViolations,
  resourceViolations,
  routingViolations,
  securityViolations,
  tokenViolations,
} from './lib/policy.js';
import { readPackage } from './lib/repo.js';
import { container, envVar, find, workload } from './lib/workloads.js';

/** Our images carry the version of the package they are built from. */
const EXPECTED_TAGS = {
  'signalbox/server': readPackage('server').version,
  'signalbox/web': readPackage('web').version,
  'signalbox/demo': readPackage('demo-services').version,
};

const objectsOf = (overlay: (typeof OVERLAYS)[number]) => render(overlayDir(overlay)).objects;

for (const overlay of OVERLAYS) {
  it(`overlay ${overlay} keeps every rule`, () => {
    assert.deepEqual(allViolations(objectsOf(overlay), { namespace: NAMESPACE, expectedTags: EXPECTED_TAGS }), []);
  });
}

describe('the control plane container', () => {
  for (const overlay of OVERLAYS) {
    it(`probes /livez (startup, liveness) and /readyz (readiness) on the API port in ${overlay}`, () => {
      const server = container(workload(objectsOf(overlay), 'Deployment', 'signalbox-server'), 'server');
      assert.deepEqual(server.startupProbe.httpGet, { path: '/livez', port: 'api' });
      assert.deepEqual(server.livenessProbe.httpGet, { path: '/livez', port: 'api' });
      assert.deepEqual(server.readinessProbe.httpGet, { path: '/readyz', port: 'api' });
    });
  }
});

describe('each rule fires on a broken copy', () => {
  it('probes', () => {
    const objects = objectsOf('embedded');
    delete container(workload(objects, 'Deployment', 'signalbox-dashboard'), 'dashboard').startupProbe;
    assert.deepEqual(probeViolations(objects), [
      'Deployment/signalbox-dashboard: container dashboard has no startupProbe',
    ]);
  });

  it('resources', () => {
    const objects = objectsOf('embedded');
    const server = container(workload(objects, 'Deployment', 'signalbox-server'), 'server');
    delete server.resources.limits.cpu;
    server.resources.requests.memory = '2Gi';
    assert.deepEqual(resourceViolations(objects), [
      'Deployment/signalbox-server: container server has no limits.cpu',
      'Deployment/signalbox-server: container server requests more memory (2Gi) than its limit (1Gi)',
    ]);
    server.resources.requests.memory = '384Mi';
    server.env.find((e: { name: string }) => e.name === 'NODE_OPTIONS').value = '--max-old-space-size=1000';
    assert.match(resourceViolations(objects).join('\n'), /V8's heap grow past 85% of its memory limit/);
  });

  it('security context', () => {
    const objects = objectsOf('demo');
    const nats = workload(objects, 'Deployment', 'demo-nats');
    delete nats.podSpec.securityContext.runAsNonRoot;
    delete nats.podSpec.securityContext.seccompProfile;
    const c = container(nats, 'nats');
    delete c.securityContext.runAsNonRoot;
    delete c.securityContext.seccompProfile;
    c.securityContext.readOnlyRootFilesystem = false;
    c.securityContext.capabilities = { drop: ['NET_RAW'], add: ['NET_ADMIN'] };
    delete c.securityContext.allowPrivilegeEscalation;
    assert.deepEqual(securityViolations(objects), [
      'Deployment/demo-nats: container nats does not set runAsNonRoot: true',
      'Deployment/demo-nats: container nats has no RuntimeDefault seccomp profile',
      'Deployment/demo-nats: container nats has a writable root filesystem',
      'Deployment/demo-nats: container nats does not set allowPrivilegeEscalation: false',
      'Deployment/demo-nats: container nats does not drop ALL capabilities',
      'Deployment/demo-nats: container nats adds capabilities NET_ADMIN',
    ]);
  });

  it('pinned images', () => {
    const objects = objectsOf('demo');
    container(workload(objects, 'Deployment', 'demo-nats'), 'nats').image = 'nats:latest';
    container(workload(objects, 'Deployment', 'demo-users'), 'users').image = 'signalbox/demo';
    container(workload(objects, 'Deployment', 'signalbox-server'), 'server').image = 'signalbox/server:0.0.9';
    assert.deepEqual(imageViolations(objects, EXPECTED_TAGS), [
      'Deployment/demo-nats: container nats image nats:latest uses latest',
      'Deployment/demo-users: container users image signalbox/demo has no tag',
      `Deployment/signalbox-server: container server image signalbox/server:0.0.9 should be tagged ${EXPECTED_TAGS['signalbox/server']}`,
    ]);
  });

  it('labels', () => {
    const objects = objectsOf('ha');
    const labels = find(objects, 'PodDisruptionBudget', 'signalbox-server').metadata.labels ?? {};
    delete labels['app.kubernetes.io/part-of'];
    const dashboard = workload(objects, 'Deployment', 'signalbox-dashboard');
    dashboard.templateLabels['app.kubernetes.io/version'] = '0.0.1';
    dashboard.object.spec.selector.matchLabels['app.kubernetes.io/version'] = '0.0.1';
    assert.deepEqual(labelViolations(objects), [
      'PodDisruptionBudget/signalbox-server: no app.kubernetes.io/part-of label',
      `Deployment/signalbox-dashboard: version label 0.0.1 does not match its image tag ${EXPECTED_TAGS['signalbox/web']}`,
      'Deployment/signalbox-dashboard: selector includes the version label',
    ]);
  });

  it('routing', () => {
    const objects = objectsOf('embedded');
    find(objects, 'Service', 'signalbox-server').spec.ports[1].targetPort = 'grpc';
    find(objects, 'Ingress', 'signalbox').spec.rules[1].http.paths[0].backend.service.name = 'signalbox-api';
    assert.deepEqual(routingViolations(objects), [
      'Service/signalbox-server: port otlp targets grpc, which Deployment/signalbox-server does not expose',
      'Ingress/signalbox: /api/v1 routes to missing Service signalbox-api',
    ]);
  });

  it('network isolation', () => {
    const objects = objectsOf('demo').filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'demo-nats'));
    assert.deepEqual(isolationViolations(objects), [
      'Deployment/demo-nats: no NetworkPolicy selects its pods, so they accept traffic from anywhere',
    ]);
  });

  it('service-account tokens', () => {
    const objects = objectsOf('embedded');
    delete workload(objects, 'Deployment', 'signalbox-dashboard').podSpec.automountServiceAccountToken;
    assert.deepEqual(tokenViolations(objects), [
      'Deployment/signalbox-dashboard: mounts a token for default, which has no role',
    ]);
  });

  it('rbac', () => {
    const objects = objectsOf('embedded');
    const role = find(objects, 'ClusterRole', 'signalbox-kubernetes-source');
    role.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'delete'] });
    role.rules.push({ apiGroups: ['*'], resources: ['pods'], verbs: ['list'] });
    find(objects, 'ClusterRoleBinding', 'signalbox-kubernetes-source').subjects[0].namespace = 'default';
    assert.deepEqual(rbacViolations(objects), [
      'ClusterRole/signalbox-kubernetes-source: grants delete',
      'ClusterRole/signalbox-kubernetes-source: reads secrets',
      'ClusterRole/signalbox-kubernetes-source: wildcard in apiGroups',
      'ClusterRoleBinding/signalbox-kubernetes-source: subject ServiceAccount/default/signalbox-server is not a ServiceAccount of this install',
    ]);
  });
});

describe('RBAC for the Kubernetes source (issue 8)', () => {
  const READ = ['get', 'list', 'watch'];
  const NAMESPACED = [
    { apiGroup: '', resource: 'pods', verbs: READ },
    { apiGroup: '', resource: 'pods/log', verbs: ['get'] },
    { apiGroup: '', resource: 'services', verbs: READ },
    { apiGroup: 'apps', resource: 'daemonsets', verbs: READ },
    { apiGroup: 'apps', resource: 'deployments', verbs: READ },
    { apiGroup: 'apps', resource: 'replicasets', verbs: READ },
    { apiGroup: 'apps', resource: 'statefulsets', verbs: READ },
    { apiGroup: 'discovery.k8s.io', resource: 'endpointslices', verbs: READ },
    { apiGroup: 'events.k8s.io', resource: 'events', verbs: READ },
  ];
  const sorted = (rules: typeof NAMESPACED) =>
    [...rules].sort((a, b) => `${a.apiGroup}/${a.resource}`.localeCompare(`${b.apiGroup}/${b.resource}`));

  for (const overlay of ['embedded', 'ha', 'demo'] as const) {
    it(`grants exactly what the source reads, cluster-wide, in ${overlay}`, () => {
      const objects = objectsOf(overlay);
      const role = find(objects, 'ClusterRole', 'signalbox-kubernetes-source');
      assert.deepEqual(
        flattenRules(role),
        sorted([...NAMESPACED, { apiGroup: '', resource: 'namespaces', verbs: READ }]),
      );
      const binding = find(objects, 'ClusterRoleBinding', 'signalbox-kubernetes-source');
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'signalbox-server', namespace: NAMESPACE }]);
      assert.equal(workload(objects, 'Deployment', 'signalbox-server').podSpec.serviceAccountName, 'signalbox-server');
    });
  }

  it('the namespaced variant uses a Role in its own namespace and no cluster-wide grant', () => {
    const objects = objectsOf('namespaced');
    assert.deepEqual(
      objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'),
      [],
    );
    const role = find(objects, 'Role', 'signalbox-kubernetes-source');
    assert.equal(role.metadata.namespace, NAMESPACE);
    assert.deepEqual(flattenRules(role), sorted(NAMESPACED));
    const binding = find(objects, 'RoleBinding', 'signalbox-kubernetes-source');
    assert.deepEqual(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'signalbox-kubernetes-source',
    });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'signalbox-server', namespace: NAMESPACE }]);
    const server = container(workload(objects, 'Deployment', 'signalbox-server'), 'server');
    assert.deepEqual(envVar(server, 'SIGNALBOX_NAMESPACES')?.valueFrom, {
      fieldRef: { fieldPath: 'metadata.namespace' },
    });
  });
});
