// The resource every span and log record carries: who sent it (service, version, environment,
// instance), where it runs (host, process, and the pod, namespace and node in Kubernetes, from
// the downward-API variables). Computed once, synchronously, from the settings.
import { arch, hostname, type } from 'node:os';
import type { AgentSettings } from '../settings.js';
import { AGENT_VERSION } from '../version.js';

export function buildResourceAttributes(settings: AgentSettings): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    ...settings.resourceAttributes,
    'host.name': hostname(),
    'host.arch': arch(),
    'os.type': type().toLowerCase(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'telemetry.distro.name': '@signalbox/agent',
    'telemetry.distro.version': AGENT_VERSION,
  };
  // What the service said in code (or its own variables) wins over OTEL_RESOURCE_ATTRIBUTES.
  attributes['service.name'] = settings.service;
  attributes['service.version'] = settings.version;
  attributes['service.instance.id'] = settings.instanceId;
  attributes['deployment.environment.name'] = settings.environment;
  const k8s = settings.kubernetes;
  if (k8s) {
    if (k8s.podName) attributes['k8s.pod.name'] = k8s.podName;
    if (k8s.podUid) attributes['k8s.pod.uid'] = k8s.podUid;
    if (k8s.namespace) attributes['k8s.namespace.name'] = k8s.namespace;
    if (k8s.nodeName) attributes['k8s.node.name'] = k8s.nodeName;
  }
  return attributes;
}
