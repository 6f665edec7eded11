// Turns an Authorization header into a principal. Credentials, in the order they are tried:
// the bootstrap admin token (SIGNALBOX_ADMIN_TOKEN), the agent credential (the ingest token,
// SIGNALBOX_INGEST_TOKEN), then API tokens from the store. With no admin token and no API token
// at all the API is in open mode — allowed only when it binds to loopback (or with
// --insecure-open) — and every caller acts as OPEN_PRINCIPAL.
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { AGENT_PRINCIPAL, BOOTSTRAP_PRINCIPAL, OPEN_PRINCIPAL, type Principal } from './principal.js';
import { secretsEqual } from './token-format.js';
import type { TokenService } from './token-service.js';

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'invalid'; detail: string };

export interface AuthenticatorOptions {
  /** SIGNALBOX_ADMIN_TOKEN. */
  adminToken: string | undefined;
  /** SIGNALBOX_INGEST_TOKEN: also the agents' credential on the routes that accept agents. */
  ingestToken: string | undefined;
  /** The address the API binds to. */
  host: string;
  /** --insecure-open: open mode even beyond loopback. */
  insecureOpen: boolean;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

export class Authenticator {
  /** Whether open mode may apply at all (loopback bind, or --insecure-open). */
  readonly openAllowed: boolean;

  constructor(
    readonly tokens: TokenService,
    private readonly options: AuthenticatorOptions,
  ) {
    this.openAllowed = isLoopbackHost(options.host) || options.insecureOpen;
  }

  /** True when no credential for the API exists: no admin token setting and no usable API token. */
  async noCredentials(): Promise<boolean> {
    return this.options.adminToken === undefined && !(await this.tokens.hasActive());
  }

  async authenticate(header: string | undefined): Promise<Authentication> {
    if (header === undefined || header === '') {
      if (await this.noCredentials()) {
        if (this.openAllowed) return { ok: true, principal: OPEN_PRINCIPAL };
        return { ok: false, reason: 'invalid', detail: this.noCredentialDetail() };
      }
      return { ok: false, reason: 'missing', detail: 'An API token is required: send Authorization: Bearer <token>' };
    }
    const presented = BEARER.exec(header)?.[1];
    if (presented !== undefined) {
      const { adminToken, ingestToken } = this.options;
      if (adminToken !== undefined && secretsEqual(presented, adminToken))
        return { ok: true, principal: BOOTSTRAP_PRINCIPAL };
      if (ingestToken !== undefined && secretsEqual(presented, ingestToken))
        return { ok: true, principal: AGENT_PRINCIPAL };
      const principal = await this.tokens.verify(presented);
      if (principal) return { ok: true, principal };
    }
    // In open mode a stale or unknown token (an agent's SIGNALBOX_TOKEN, say) does not lock the caller out.
    if (await this.noCredentials()) {
      if (this.openAllowed) return { ok: true, principal: OPEN_PRINCIPAL };
      return { ok: false, reason: 'invalid', detail: this.noCredentialDetail() };
    }
    if (presented === undefined) {
      return { ok: false, reason: 'invalid', detail: 'The Authorization header must be "Bearer <token>"' };
    }
    return { ok: false, reason: 'invalid', detail: 'The token is not valid: unknown, revoked or expired' };
  }

  /**
   * Called once the store is migrated: refuses to serve a non-loopback API that nobody could
   * sign in to (or that anyone could), and says when the API is open.
   */
  async checkAtStart(logger: Logger): Promise<void> {
    if (!(await this.noCredentials())) {
      logger.info(
        { bootstrapToken: this.options.adminToken !== undefined },
        'API tokens are required on /api/v1 (viewer, operator, admin)',
      );
      return;
    }
    if (!this.openAllowed) throw new Error(this.noCredentialDetail());
    // On loopback this is the laptop default (info); beyond it, a choice worth a warning.
    if (isLoopbackHost(this.options.host)) {
      logger.info(
        { host: this.options.host, openMode: true },
        `open mode: no API token is configured, so anyone on this machine may use the API at ${this.options.host} as admin; set SIGNALBOX_ADMIN_TOKEN (or create a token) to require tokens`,
      );
    } else {
      logger.warn(
        { host: this.options.host, openMode: true },
        `open mode beyond loopback (--insecure-open): anyone who reaches ${this.options.host} may use the API as admin`,
      );
    }
  }

  private noCredentialDetail(): string {
    return (
      `The API binds to ${this.options.host}, beyond loopback, and no API token exists: set SIGNALBOX_ADMIN_TOKEN ` +
      '(or --admin-token), create one with `signalbox-server token create --name NAME --role admin --store URL`, ' +
      'or pass --insecure-open to serve the API without authentication'
    );
  }
}
