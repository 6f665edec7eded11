// API tokens: create (the token is returned once and only its hash is kept), list, revoke, and
// verify a presented token. Every create and revoke is written to the audit log in the same
// transaction as the change itself.
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import { Errors } from '../errors.js';
import type { ApiTokensTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';
import { isRole, type Role } from './roles.js';
import { generateToken, matchesHash, tokenId } from './token-format.js';

/** A token as lists and the audit log show it: never the secret nor its hash. */
export interface TokenView {
  id: string;
  name: string;
  role: Role;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface CreateTokenInput {
  name: string;
  role: Role;
  /** Lifetime from now; none means until revoked. */
  expiresInMs?: number | undefined;
}

/** How long "does any token exist?" is trusted before asking the store again (other replicas may create one). */
const ACTIVE_CHECK_TTL_MS = 2_000;
/** last_used_at is written at most this often per token, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

const MAX_NAME_LENGTH = 100;

/** Why a token name is unusable, or null: 1–100 characters, no control characters. */
export function tokenNameProblem(name: string): string | null {
  if (name.trim() === '') return 'must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  if ([...name].some((ch) => (ch.codePointAt(0) as number) < 0x20)) return 'must not contain control characters';
  return null;
}

function view(row: ApiTokensTable): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    created_at: row.created_at,
    created_by: row.created_by,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    revoked_by: row.revoked_by,
  };
}

/** What the audit log keeps of a token: enough to say which one and what it could do. */
function auditState(token: TokenView): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    expires_at: token.expires_at,
    revoked_at: token.revoked_at,
  };
}

export class TokenService {
  private active: { value: boolean; checkedAt: number } | null = null;
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a token; `token` in the result is the only time the secret is ever available. */
  async create(input: CreateTokenInput, actor: Principal): Promise<TokenView & { token: string }> {
    if (!isRole(input.role)) {
      throw Errors.validation(`role must be viewer, operator or admin, not "${input.role}"`, {
        fields: [{ path: '/body/role', message: 'must be viewer, operator or admin' }],
      });
    }
    const nameProblem = tokenNameProblem(input.name);
    if (nameProblem) {
      throw Errors.validation(`name ${nameProblem}`, { fields: [{ path: '/body/name', message: nameProblem }] });
    }
    const created = generateToken();
    const at = this.now();
    const row: ApiTokensTable = {
      id: created.id,
      name: input.name,
      role: input.role,
      hash: created.hash,
      created_at: at,
      created_by: actor.name,
      expires_at: input.expiresInMs === undefined ? null : at + input.expiresInMs,
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    };
    await this.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('api_tokens').values(row).execute();
      await this.audit.record(
        { actor, action: 'token.create', target_type: 'token', target_id: row.id, after: auditState(view(row)) },
        { db: trx, at },
      );
    });
    this.active = null;
    this.logger.info({ token: row.id, name: row.name, role: row.role, by: actor.name }, 'API token created');
    return { ...view(row), token: created.token };
  }

  async list(includeRevoked: boolean): Promise<TokenView[]> {
    let query = this.store.db.selectFrom('api_tokens').selectAll();
    if (!includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(view);
  }

  /** Revokes a token. Revoking one already revoked changes nothing and records nothing. */
  async revoke(id: string, actor: Principal, reason?: string): Promise<TokenView> {
    const at = this.now();
    const result = await this.store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const before = view(row);
      if (row.revoked_at !== null) return before;
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: at, revoked_by: actor.name })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      const after = { ...before, revoked_at: at, revoked_by: actor.name };
      await this.audit.record(
        {
          actor,
          action: 'token.revoke',
          target_type: 'token',
          target_id: id,
          before: auditState(before),
          after: auditState(after),
          reason: reason ?? null,
        },
        { db: trx, at },
      );
      return after;
    });
    if (!result) throw Errors.notFound(`There is no token "${id}"; GET /api/v1/tokens lists them`);
    this.active = null;
    this.logger.info({ token: id, by: actor.name }, 'API token revoked');
    return result;
  }

  /** The principal of a presented API token, or null when it is unknown, revoked or expired. */
  async verify(presented: string): Promise<Principal | null> {
    const id = tokenId(presented);
    if (id === null) return null;
    const row = await this.store.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    // The hash is compared even for revoked rows, so timing says nothing about which tokens exist.
    if (!row || !matchesHash(presented, row.hash)) return null;
    const now = this.now();
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
    if (!isRole(row.role)) return null;
    this.touch(id, now);
    return { kind: 'token', id: row.id, name: row.name, role: row.role };
  }

  /** Whether any usable token exists (cached for a moment; a local create or revoke resets it). */
  async hasActive(): Promise<boolean> {
    const now = this.now();
    if (this.active && now - this.active.checkedAt < ACTIVE_CHECK_TTL_MS) return this.active.value;
    const row = await this.store.db
      .selectFrom('api_tokens')
      .select('id')
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .limit(1)
      .executeTakeFirst();
    this.active = { value: row !== undefined, checkedAt: now };
    return this.active.value;
  }

  private touch(id: string, now: number): void {
    const last = this.lastUsedWrites.get(id);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWrites.set(id, now);
    this.store.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => this.logger.warn({ err: error, token: id }, 'could not record the token as used'));
  }
}
