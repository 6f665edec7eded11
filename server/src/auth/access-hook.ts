// The one place where the API decides who may call what: an onRequest hook on the /api/v1 scope.
// Routes only declare what they need, in their route config:
//   config: { role: 'admin' }   — least role (default: viewer for GET/HEAD, operator otherwise)
//   config: { agent: true }     — the agent credential (ingest token) may call it too
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../errors.js';
import type { Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';
import { defaultRoleFor, type Role, roleAllows } from './roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role a caller needs; default viewer for GET/HEAD, operator for other methods. */
    role?: Role;
    /** Agents may call this route with the agent credential (the ingest token). */
    agent?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; set by the access hook on every /api/v1 route before the handler runs. */
    principal: Principal;
  }
}

const REALM = 'Bearer realm="signalbox"';

export function accessHook(auth: Authenticator) {
  return async function access(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const config = request.routeOptions.config ?? {};
    const result = await auth.authenticate(request.headers.authorization);
    if (!result.ok) {
      // RFC 6750: no credentials → the bare challenge; bad credentials → error="invalid_token".
      reply.header('www-authenticate', result.reason === 'missing' ? REALM : `${REALM}, error="invalid_token"`);
      throw Errors.unauthorized(result.detail);
    }
    const principal = result.principal;
    if (principal.role === null) {
      if (!config.agent) {
        reply.header('www-authenticate', `${REALM}, error="insufficient_scope"`);
        throw Errors.forbidden(
          `The agent credential (ingest token) may only call agent routes (registration, heartbeats, config, breaker reports); use an API token for ${request.method} ${request.routeOptions.url}`,
        );
      }
    } else {
      const need = config.role ?? defaultRoleFor(request.method);
      if (!roleAllows(principal.role, need)) {
        reply.header('www-authenticate', `${REALM}, error="insufficient_scope", scope="${need}"`);
        throw Errors.forbidden(
          `${request.method} ${request.routeOptions.url} needs the ${need} role; "${principal.name}" has ${principal.role}`,
          { extra: { required_role: need, role: principal.role } },
        );
      }
    }
    request.principal = principal;
  };
}
