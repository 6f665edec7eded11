// The audit log: every change made through the API, or by the control plane on its own, with
// who made it, when, and the state before and after. Modules call `record()` right where the
// change happens — inside the same transaction when they have one, so a change and its entry
// are written together or not at all.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Principal, PrincipalKind } from '../auth/principal.js';
import { Errors } from '../errors.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import type { Store } from '../store/store.js';

export interface AuditInput {
  /** Who: `request.principal` in a route, SYSTEM_PRINCIPAL for the control plane's own steps. */
  actor: Principal;
  /** What, as `<target>.<verb>`: token.create, config.publish, rollout.promote, breaker.force_open… */
  action: string;
  /** What kind of thing changed: token, instance, config, rollout, breaker… */
  target_type: string;
  target_id: string;
  /** The service the change concerns, when there is one: it puts the entry on that service's timeline. */
  service?: string | null;
  /** State before and after (JSON-serializable, secrets left out); omit for none. */
  before?: unknown;
  after?: unknown;
  /** Why, in the actor's words (e.g. the reason given for a breaker command). */
  reason?: string | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: { kind: PrincipalKind; id: string; name: string };
  action: string;
  target_type: string;
  target_id: string;
  service: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface AuditFilter {
  /** Matches the actor's id (token id) or name. */
  actor?: string | undefined;
  /** One action, or every action of a target with `config.*`. */
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  service?: string | undefined;
  /** Inclusive bounds, epoch ms. */
  from?: number | undefined;
  to?: number | undefined;
  /** `next_cursor` of the previous page. */
  cursor?: string | undefined;
  limit: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

const ACTION = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

type Row = Selectable<AuditLogTable>;

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: { kind: row.actor_kind as PrincipalKind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    service: row.service,
    before: parseJson(row.before),
    after: parseJson(row.after),
    reason: row.reason,
  };
}

// Pages go newest first by (at, id); the cursor is the last entry's pair, opaque to clients.
function encodeCursor(entry: AuditEntry): string {
  return Buffer.from(`${entry.at}.${entry.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: number } {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) {
    throw Errors.validation('cursor is not one this API returned; pass next_cursor from the previous page', {
      fields: [{ path: '/querystring/cursor', message: 'is not a cursor from next_cursor' }],
    });
  }
  return { at: Number(match[1]), id: Number(match[2]) };
}

export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records one change and resolves with the stored entry. Pass `{ db: trx }` to write it in
   * the caller's transaction. Throws on a malformed action (a programming error, not bad input).
   */
  async record(input: AuditInput, options: { db?: Kysely<Database>; at?: number } = {}): Promise<AuditEntry> {
    if (!ACTION.test(input.action)) {
      throw new TypeError(`audit action "${input.action}" must look like <target>.<verb>, e.g. config.publish`);
    }
    if (!input.target_type || !input.target_id) throw new TypeError('audit entries need target_type and target_id');
    const row = {
      at: options.at ?? this.now(),
      actor_kind: input.actor.kind,
      actor_id: input.actor.id,
      actor_name: input.actor.name,
      action: input.action,
      target_type: input.target_type,
      target_id: input.target_id,
      service: input.service ?? null,
      before: input.before === undefined || input.before === null ? null : JSON.stringify(input.before),
      after: input.after === undefined || input.after === null ? null : JSON.stringify(input.after),
      reason: input.reason ?? null,
    };
    const db = options.db ?? this.store.db;
    const { id } = await db.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
    return toEntry({ ...row, id: Number(id) });
  }

  /** Entries newest first, filtered, one page at a time. */
  async query(filter: AuditFilter): Promise<AuditPage> {
    let query = this.store.db.selectFrom('audit_log').selectAll();
    if (filter.actor !== undefined) {
      const actor = filter.actor;
      query = query.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
    }
    if (filter.action !== undefined) {
      if (filter.action.endsWith('.*')) {
        // substr rather than LIKE (`_` is a wildcard there) or a range (collation-dependent on PostgreSQL).
        const prefix = filter.action.slice(0, -1);
        query = query.where(sql<string>`substr(action, 1, ${prefix.length})`, '=', prefix);
      } else {
        query = query.where('action', '=', filter.action);
      }
    }
    if (filter.targetType !== undefined) query = query.where('target_type', '=', filter.targetType);
    if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
    if (filter.service !== undefined) query = query.where('service', '=', filter.service);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<=', filter.to);
    if (filter.cursor !== undefined) {
      const after = decodeCursor(filter.cursor);
      query = query.where((eb) =>
        eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]),
      );
    }
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const entries = rows.slice(0, filter.limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, next_cursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
  }
}
