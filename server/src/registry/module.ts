// Wiring of the registry into the server. Other modules (the health checker, the Kubernetes
// source) receive `service` from modules.ts.
import type { ModuleContext, ServerModule } from '../module.js';
import { RegistryService } from './registry-service.js';
import { registryRoutes } from './routes.js';

export interface RegistryModule extends ServerModule {
  readonly service: RegistryService;
}

export function createRegistryModule(context: ModuleContext): RegistryModule {
  const service = new RegistryService(context.store, context.replicaId, context.logger.child({ module: 'registry' }));
  return { name: 'registry', service, apiRoutes: registryRoutes(service, context.audit) };
}
