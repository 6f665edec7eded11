// The full set of modules, in start order (stop runs in reverse). A module that depends on
// another receives that module's service object here, never through a global.
import { createAuditModule } from './audit/module.js';
import { createAuthModule } from './auth/module.js';
import { createBreakersModule } from './breakers/module.js';
import { createConfigModule, createPushBus } from './config/module.js';
import { createHealthModule } from './health/module.js';
import type { ModuleContext, ServerModule } from './module.js';
import { createRegistryModule } from './registry/module.js';
import { createTelemetryModule } from './telemetry/telemetry-module.js';
import { createTimelineModule } from './timeline/module.js';
import { kubernetesPlacementPort } from './topology/kubernetes-placement.js';
import { createTopologyModule } from './topology/topology-module.js';

export async function defaultModules(context: ModuleContext): Promise<ServerModule[]> {
  // Topology comes before telemetry: it starts first and stops last, so every span telemetry
  // commits reaches topology.spanListener before the final flush of the RED buckets.
  // Telemetry is given `spanListeners: [topology.spanListener]`.
  const topology = createTopologyModule(context);
  const telemetry = createTelemetryModule(context, { spanListeners: [topology.spanListener] });
  // The health checker gets the registry's service (it probes what is registered and reports
  // transitions back); the Kubernetes source takes `registry.service` too.
  const registry = createRegistryModule(context);
  // The topology groups its nodes by where services run: their live instances say so first.
  topology.placement.useRegistry(registry.service);
  const health = createHealthModule(context, registry.service);
  // Access control and audit: the token API, GET /audit, and the service timeline (other
  // modules add timeline sources with context.timeline.addSource).
  const modules: ServerModule[] = [
    createAuthModule(context),
    createAuditModule(context),
    createTimelineModule(context),
    registry,
    health,
    topology,
    telemetry,
  ];
  // Configuration and breakers share the push bus (NOTIFY on PostgreSQL) and the agent channel:
  // config pushes versions, breakers supplies the commands that ride the same stream.
  const push = createPushBus(context);
  const breakers = createBreakersModule(context, push);
  modules.push(createConfigModule(context, push, breakers.service), breakers);
  // The Kubernetes source is off unless --kubernetes names a cluster. It comes last: it starts
  // after the registry it reports to and stops first.
  // Loaded only then: @kubernetes/client-node and its generated models are ~40 MB of heap that a
  // server without the source should not carry.
  if (context.settings.kubernetes.mode !== 'off') {
    const { createKubernetesModule } = await import('./kubernetes/module.js');
    const kubernetes = createKubernetesModule(context, {
      registry: registry.service,
      logs: telemetry.ingest,
      storedLogs: telemetry.logs,
    });
    modules.push(kubernetes);
    topology.placement.useKubernetes(kubernetesPlacementPort(kubernetes));
  }
  return modules;
}
