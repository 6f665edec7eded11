// Who can reach what, evaluated from the rendered NetworkPolicies with Kubernetes' own
// semantics (lib/netpol.ts): only the dashboard, the ingress controller and agent-carrying
// workloads reach the API; any workload in the cluster reaches OTLP; nothing outside does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from './lib/kustomize.js';
import { render } from './lib/kustomize.js';
import { allowed, type Source, selects, type Target } from './lib/netpol.js';
import { NAMESPACE, OVERLAYS, overlayDir } from './lib/overlays.js';
import { find, namedPorts, workload } from './lib/workloads.js';

const targetOf = (objects: K8sObject[], name: string): Target => {
  const w = workload(objects, 'Deployment', name);
  return { namespace: w.namespace, labels: w.templateLabels, namedPorts: namedPorts(w) };
};
const podOf = (objects: K8sObject[], name: string): Source => {
  const w = workload(objects, 'Deployment', name);
  return { pod: { namespace: w.namespace, labels: w.templateLabels } };
};

const INGRESS_CONTROLLER: Source = {
  pod: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
};
const AGENT_ELSEWHERE: Source = {
  pod: { namespace: 'shop', labels: { app: 'checkout', 'signalbox.io/agent': 'true' } },
};
const WORKLOAD_ELSEWHERE: Source = { pod: { namespace: 'shop', labels: { app: 'checkout' } } };
const STRAY_POD_HERE: Source = { pod: { namespace: NAMESPACE, labels: { app: 'debug-shell' } } };
const OUTSIDE: Source = { external: '203.0.113.7' };

for (const overlay of OVERLAYS) {
  describe(`network policies in ${overlay}`, () => {
    const objects = render(overlayDir(overlay)).objects;
    const server = targetOf(objects, 'signalbox-server');
    const dashboard = targetOf(objects, 'signalbox-dashboard');
    const api = server.namedPorts.api as number;
    const otlp = server.namedPorts.otlp as number;
    const DASHBOARD = podOf(objects, 'signalbox-dashboard');

    it('let only the dashboard, the ingress controller and agents reach the API', () => {
      assert.equal(allowed(objects, DASHBOARD, server, api), true);
      assert.equal(allowed(objects, INGRESS_CONTROLLER, server, api), true);
      assert.equal(allowed(objects, AGENT_ELSEWHERE, server, api), true);
      assert.equal(allowed(objects, WORKLOAD_ELSEWHERE, server, api), false);
      assert.equal(allowed(objects, STRAY_POD_HERE, server, api), false);
      assert.equal(allowed(objects, OUTSIDE, server, api), false);
    });

    it('let every workload in the cluster, and nothing outside it, reach OTLP', () => {
      for (const source of [DASHBOARD, AGENT_ELSEWHERE, WORKLOAD_ELSEWHERE, STRAY_POD_HERE]) {
        assert.equal(allowed(objects, source, server, otlp), true, JSON.stringify(source));
      }
      assert.equal(allowed(objects, OUTSIDE, server, otlp), false);
    });

    it('open no other port of the control plane', () => {
      for (const source of [DASHBOARD, INGRESS_CONTROLLER, AGENT_ELSEWHERE, WORKLOAD_ELSEWHERE]) {
        assert.equal(allowed(objects, source, server, 9229), false, JSON.stringify(source));
      }
    });

    it('let people reach the dashboard through the ingress controller only', () => {
      const http = dashboard.namedPorts.http as number;
      assert.equal(allowed(objects, INGRESS_CONTROLLER, dashboard, http), true);
      for (const source of [AGENT_ELSEWHERE, WORKLOAD_ELSEWHERE, STRAY_POD_HERE, OUTSIDE]) {
        assert.equal(allowed(objects, source, dashboard, http), false, JSON.stringify(source));
      }
    });
  });
}

describe('network policies of the demo fleet', () => {
  const objects = render(overlayDir('demo')).objects;
  const server = targetOf(objects, 'signalbox-server');
  const nats = targetOf(objects, 'demo-nats');
  const orders = targetOf(objects, 'demo-orders');

  it('let demo services register over the API, send OTLP and use NATS', () => {
    const gateway = podOf(objects, 'demo-gateway');
    assert.equal(allowed(objects, gateway, server, server.namedPorts.api as number), true);
    assert.equal(allowed(objects, gateway, server, server.namedPorts.otlp as number), true);
    assert.equal(allowed(objects, gateway, nats, nats.namedPorts.client as number), true);
    assert.equal(allowed(objects, gateway, orders, orders.namedPorts.http as number), true);
  });

  it('let the control plane probe demo services, and keep the dashboard and strangers out', () => {
    const port = orders.namedPorts.http as number;
    assert.equal(allowed(objects, podOf(objects, 'signalbox-server'), orders, port), true);
    assert.equal(allowed(objects, podOf(objects, 'signalbox-dashboard'), orders, port), false);
    assert.equal(allowed(objects, WORKLOAD_ELSEWHERE, orders, port), false);
    assert.equal(
      allowed(objects, podOf(objects, 'signalbox-dashboard'), nats, nats.namedPorts.client as number),
      false,
    );
  });
});

describe('the evaluator itself', () => {
  it('opens the API to everyone when a rule loses its `from`', () => {
    const objects = render(overlayDir('embedded')).objects;
    const server = targetOf(objects, 'signalbox-server');
    assert.equal(allowed(objects, WORKLOAD_ELSEWHERE, server, 8080), false);
    delete find(objects, 'NetworkPolicy', 'signalbox-server-api').spec.ingress[0].from;
    assert.equal(allowed(objects, WORKLOAD_ELSEWHERE, server, 8080), true);
  });

  it('reads ipBlocks, port ranges and label expressions', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'a' },
      spec: {
        podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] },
        ingress: [
          {
            from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
            ports: [{ port: 8000, endPort: 8010 }],
          },
        ],
      },
    };
    const target: Target = { namespace: 'a', labels: { tier: 'web' }, namedPorts: {} };
    assert.equal(allowed([policy], { external: '10.2.3.4' }, target, 8005), true);
    assert.equal(allowed([policy], { external: '10.1.3.4' }, target, 8005), false);
    assert.equal(allowed([policy], { external: '10.2.3.4' }, target, 8011), false);
    assert.equal(allowed([policy], { external: '10.2.3.4' }, { ...target, labels: { tier: 'db' } }, 9999), true);
    assert.equal(selects({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, { y: '1' }), true);
    assert.equal(selects({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }, { x: '1' }), false);
  });
});
