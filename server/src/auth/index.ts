// Access control — the contract other modules rely on.
//
// Roles: viewer (reads) < operator (breaker commands, config publish, rollouts, registry writes)
// < admin (tokens, settings). A route declares what it needs in its config, and the access hook
// installed on the /api/v1 scope (app.ts → installAccessControl) enforces it; nothing else checks:
//   app.post('/x', { config: { role: 'admin' }, schema }, handler)   // default: GET viewer, writes operator
//   app.post('/acks', { config: { agent: true }, schema }, handler)  // agents (ingest token) may call it too
// In a handler, `request.principal` is the caller: { kind, id, name, role } (auth/principal.ts);
// kind is token | bootstrap | agent | open | system, role is null for the agent credential.
//
// Audit (audit/audit-log.ts, `context.audit`): record every change where it happens, in the same
// transaction when there is one:
//   await context.audit.record({ actor: request.principal, action: 'config.publish',
//     target_type: 'config', target_id: `${service}/${env}`, service, before, after, reason }, { db: trx });
// The control plane's own steps (automatic rollback, expiry) use SYSTEM_PRINCIPAL as the actor.
//
// Timeline (timeline/timeline.ts, `context.timeline`): a module adds its events to
// GET /api/v1/services/{name}/timeline with context.timeline.addSource({ name, events(query) }).
//
// Credentials: Authorization: Bearer <token>, where the token is an API token (`sbx_…`, created
// with POST /api/v1/tokens or `signalbox-server token create`), the bootstrap admin token
// (SIGNALBOX_ADMIN_TOKEN), or — on agent routes only — the ingest token (SIGNALBOX_INGEST_TOKEN).
// With none configured the API is open, on loopback only (or with --insecure-open).
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import type { Settings } from '../settings.js';
import type { Store } from '../store/store.js';
import { accessHook } from './access-hook.js';
import { Authenticator } from './authenticator.js';
import { installRateLimit } from './rate-limit.js';
import { TokenService } from './token-service.js';

export type { Authentication } from './authenticator.js';
export { Authenticator, isLoopbackHost } from './authenticator.js';
export type { Principal, PrincipalKind } from './principal.js';
export { AGENT_PRINCIPAL, BOOTSTRAP_PRINCIPAL, OPEN_PRINCIPAL, SYSTEM_PRINCIPAL } from './principal.js';
export type { Role } from './roles.js';
export { defaultRoleFor, isRole, ROLES, roleAllows } from './roles.js';
export type { CreateTokenInput, TokenView } from './token-service.js';
export { TokenService } from './token-service.js';

export function createAuthenticator(settings: Settings, store: Store, audit: AuditLog, logger: Logger): Authenticator {
  const tokens = new TokenService(store, audit, logger.child({ module: 'auth' }));
  return new Authenticator(tokens, {
    adminToken: settings.adminToken,
    ingestToken: settings.ingestToken,
    host: settings.host,
    insecureOpen: settings.insecureOpen,
  });
}

/** Installs authentication, role checks and the per-token rate limit on a scope (the /api/v1 one). */
export async function installAccessControl(
  scope: FastifyInstance,
  auth: Authenticator,
  options: { rateLimitPerMinute: number },
): Promise<void> {
  scope.decorateRequest('principal', null as never);
  scope.addHook('onRequest', accessHook(auth));
  await installRateLimit(scope, options.rateLimitPerMinute);
}
