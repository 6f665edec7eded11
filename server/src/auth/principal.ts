// Who is calling: what the access hook puts on `request.principal` and what the audit log
// records as the actor.
import type { Role } from './roles.js';

/**
 * - `token`: an API token from the store (id = the token's id)
 * - `bootstrap`: the SIGNALBOX_ADMIN_TOKEN setting (admin)
 * - `agent`: the agent credential, i.e. the ingest token (SIGNALBOX_INGEST_TOKEN), accepted only
 *   on routes that declare `config: { agent: true }`
 * - `open`: nobody signed in, in open mode (no API token exists, loopback only); acts as admin
 * - `system`: the control plane acting on its own (automatic rollback, expiry of a command)
 */
export type PrincipalKind = 'token' | 'bootstrap' | 'agent' | 'open' | 'system';

export interface Principal {
  readonly kind: PrincipalKind;
  /** The token id for `token`; the kind itself for the others. Rate limits and audit filters key on it. */
  readonly id: string;
  /** For people: the token's name. */
  readonly name: string;
  /** Null for the agent credential, which has no role: it may call agent routes only. */
  readonly role: Role | null;
}

export const BOOTSTRAP_PRINCIPAL: Principal = Object.freeze({
  kind: 'bootstrap',
  id: 'bootstrap',
  name: 'bootstrap admin (SIGNALBOX_ADMIN_TOKEN)',
  role: 'admin',
});

export const AGENT_PRINCIPAL: Principal = Object.freeze({
  kind: 'agent',
  id: 'agent',
  name: 'agent (ingest token)',
  role: null,
});

export const OPEN_PRINCIPAL: Principal = Object.freeze({
  kind: 'open',
  id: 'open',
  name: 'anonymous (open mode)',
  role: 'admin',
});

/** The actor of changes the control plane makes by itself, e.g. an automatic rollback. */
export const SYSTEM_PRINCIPAL: Principal = Object.freeze({
  kind: 'system',
  id: 'system',
  name: 'signalbox',
  role: 'admin',
});
