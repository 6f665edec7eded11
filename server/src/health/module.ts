// Wiring of the health checker into the server: starts after the registry, stops (and flushes,
// and hands its leases back) before the store closes.
import type { ModuleContext, ServerModule } from '../module.js';
import type { RegistryService } from '../registry/registry-service.js';
import { VERSION } from '../version.js';
import { HealthChecker } from './checker.js';

export interface HealthModule extends ServerModule {
  readonly checker: HealthChecker;
}

export function createHealthModule(context: ModuleContext, registry: RegistryService): HealthModule {
  const checker = new HealthChecker({
    store: context.store,
    instances: registry.instances,
    settings: context.settings,
    metrics: context.metrics,
    logger: context.logger,
    replicaId: context.replicaId,
    // Targets see which replica probed them (useful in their access logs, and in our tests).
    userAgent: `signalbox-health-checker/${VERSION} (replica ${context.replicaId})`,
  });
  registry.attachChecker(checker);
  let started = false;
  return {
    name: 'health',
    checker,
    async start() {
      await checker.start();
      started = true;
    },
    async stop() {
      await checker.stop();
    },
    notReadyReason: () => (started ? null : 'the health checker has not claimed its shards yet'),
  };
}
