// Wiring of the audit API. The AuditLog itself is built by app.ts and shared through the context
// (`context.audit`), so every module records into the same log.
import type { ModuleContext, ServerModule } from '../module.js';
import { auditRoutes } from './routes.js';

export function createAuditModule(context: ModuleContext): ServerModule {
  return { name: 'audit', apiRoutes: auditRoutes(context.audit) };
}
