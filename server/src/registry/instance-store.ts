// SQL for instances, their status history and their last check results. The registry service
// (API side) and the health checker (the replica that owns an instance's shard) both go through
// here; everything that spans rows runs in one transaction so a failed request stores nothing.
import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely';
import type { CheckDefinition } from '../health/checks.js';
import { shardOf } from '../health/shards.js';
import type { Database, InstancesTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { type HistoryStatus, isStatus, type Status } from './status.js';
import { decideStatus, type ExternalStatus } from './status-sources.js';

/** A normalized registration, ready to store. */
export interface Registration {
  id: string;
  service: string;
  address: string;
  version: string | null;
  environment: string | null;
  labels: Record<string, string>;
  ttlMs: number | null;
  deregisterAfterMs: number;
  checks: CheckDefinition[];
}

/** One instance row, parsed. */
export interface InstanceRecord extends Registration {
  shard: number;
  registeredAt: number;
  updatedAt: number;
  lastHeartbeatAt: number | null;
  status: Status;
  statusReason: string | null;
  statusSource: string | null;
  statusSince: number;
  flapping: boolean;
  external: Record<string, ExternalStatus>;
  removedAt: number | null;
}

export interface Transition {
  at: number;
  from: HistoryStatus;
  to: HistoryStatus;
  reason: string;
  source: string;
}

export interface CheckResultRow {
  checkId: string;
  status: Status;
  output: string;
  durationMs: number;
  checkedAt: number;
}

/** A change decided by the replica that owns the instance's shard. */
export type StatusChange =
  | {
      kind: 'status';
      instanceId: string;
      service: string;
      at: number;
      from: Status;
      to: Status;
      reason: string;
      source: string;
      flapping: boolean;
    }
  | { kind: 'flapping'; instanceId: string; flapping: boolean }
  | { kind: 'removed'; instanceId: string; service: string; at: number; from: Status; reason: string; source: string };

export type RegisterOutcome = 'created' | 'revived' | 'updated';

/** Rows per JSON parameter in batched writes. */
const JSON_ROWS = 1000;

type JsonColumn = [name: string, type: 'text' | 'bigint' | 'integer'];

/**
 * A row source `c` made from a JSON array of objects: json_to_recordset on PostgreSQL,
 * json_each on SQLite. Column names are ours (never user input).
 */
function jsonRecords(dialect: Store['dialect'], json: string, columns: JsonColumn[]): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    const shape = columns.map(([name, type]) => `${name} ${type}`).join(', ');
    return sql`json_to_recordset(${json}::json) as c(${sql.raw(shape)})`;
  }
  const fields = columns.map(([name]) => `json_extract(value, '$.${name}') as ${name}`).join(', ');
  return sql`(select ${sql.raw(fields)} from json_each(${json})) as c`;
}

// Lists of ids go into IN (…) in chunks: SQLite allows 32766 bound values, PostgreSQL 65535,
// and smaller statements keep each round trip short.
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function parseExternal(text: string): Record<string, ExternalStatus> {
  const raw = JSON.parse(text) as Record<string, ExternalStatus>;
  const out: Record<string, ExternalStatus> = {};
  for (const [source, value] of Object.entries(raw)) {
    if (value && isStatus(value.status)) out[source] = value;
  }
  return out;
}

export function parseInstanceRow(row: Selectable<InstancesTable>): InstanceRecord {
  return {
    id: row.id,
    service: row.service,
    shard: row.shard,
    address: row.address,
    version: row.version,
    environment: row.environment,
    labels: JSON.parse(row.labels) as Record<string, string>,
    checks: JSON.parse(row.checks) as CheckDefinition[],
    ttlMs: row.ttl_ms,
    deregisterAfterMs: row.deregister_after_ms,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    status: isStatus(row.status) ? row.status : 'unknown',
    statusReason: row.status_reason,
    statusSource: row.status_source,
    statusSince: row.status_since,
    flapping: row.flapping !== 0,
    external: parseExternal(row.external_status),
    removedAt: row.removed_at,
  };
}

function registrationColumns(reg: Registration) {
  return {
    service: reg.service,
    address: reg.address,
    version: reg.version,
    environment: reg.environment,
    labels: JSON.stringify(reg.labels),
    checks: JSON.stringify(reg.checks),
    ttl_ms: reg.ttlMs,
    deregister_after_ms: reg.deregisterAfterMs,
  };
}

export class InstanceStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: Store['dialect'];

  constructor(
    store: Store,
    /** This replica: recorded as `updated_by` on every change it writes. */
    private readonly replicaId: string,
  ) {
    this.db = store.db;
    this.dialect = store.dialect;
  }

  private async lockedRow(trx: Transaction<Database>, id: string) {
    let query = trx.selectFrom('instances').selectAll().where('id', '=', id);
    // SQLite serializes write transactions already; PostgreSQL needs the row lock so two
    // replicas registering the same id at once cannot both decide "created".
    if (this.dialect === 'postgres') query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** Creates, revives (after removal) or updates an instance. Registration counts as a heartbeat. */
  async register(reg: Registration, now: number): Promise<{ outcome: RegisterOutcome; record: InstanceRecord }> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.lockedRow(trx, reg.id);
      if (existing && existing.removed_at === null) {
        const row = await trx
          .updateTable('instances')
          .set({ ...registrationColumns(reg), updated_at: now, updated_by: this.replicaId, last_heartbeat_at: now })
          .where('id', '=', reg.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const keep = reg.checks.map((c) => c.id);
        let stale = trx.deleteFrom('check_results').where('instance_id', '=', reg.id);
        if (keep.length > 0) stale = stale.where('check_id', 'not in', keep);
        await stale.execute();
        return { outcome: 'updated' as const, record: parseInstanceRow(row) };
      }
      const initial = decideStatus(
        {
          checks: reg.checks.map((c) => ({ id: c.id, name: c.name, status: 'unknown', output: null, checkedAt: null })),
          ttlMs: reg.ttlMs,
          lastHeartbeatAt: now,
          registeredAt: now,
          external: {},
        },
        now,
      );
      const fresh = {
        ...registrationColumns(reg),
        registered_at: now,
        updated_at: now,
        updated_by: this.replicaId,
        last_heartbeat_at: now,
        status: initial.status,
        status_reason: initial.reason,
        status_source: initial.source,
        status_since: now,
        flapping: 0,
        external_status: '{}',
        removed_at: null,
      };
      let row: Selectable<InstancesTable>;
      if (existing) {
        row = await trx
          .updateTable('instances')
          .set(fresh)
          .where('id', '=', reg.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('check_results').where('instance_id', '=', reg.id).execute();
      } else {
        row = await trx
          .insertInto('instances')
          .values({ id: reg.id, shard: shardOf(reg.id), ...fresh })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      await trx
        .insertInto('status_history')
        .values({
          instance_id: reg.id,
          service: reg.service,
          at: now,
          from_status: existing ? 'removed' : 'none',
          to_status: initial.status,
          reason: `${existing ? 're-registered' : 'registered'}; ${initial.reason}`,
          source: 'registration',
        })
        .execute();
      return { outcome: existing ? ('revived' as const) : ('created' as const), record: parseInstanceRow(row) };
    });
  }

  /** Records a heartbeat; undefined when the instance is not in the live view. */
  async heartbeat(id: string, now: number): Promise<InstanceRecord | undefined> {
    const row = await this.db
      .updateTable('instances')
      .set({ last_heartbeat_at: now })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? parseInstanceRow(row) : undefined;
  }

  /** Removes an instance from the live view (history stays). */
  async deregister(
    id: string,
    now: number,
    reason: string,
    source: string,
  ): Promise<{ outcome: 'removed' | 'already-removed' | 'unknown'; record?: InstanceRecord }> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.lockedRow(trx, id);
      if (!existing) return { outcome: 'unknown' as const };
      if (existing.removed_at !== null)
        return { outcome: 'already-removed' as const, record: parseInstanceRow(existing) };
      const row = await trx
        .updateTable('instances')
        .set({ removed_at: now, updated_at: now, updated_by: this.replicaId })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('status_history')
        .values({
          instance_id: id,
          service: existing.service,
          at: now,
          from_status: existing.status,
          to_status: 'removed',
          reason,
          source,
        })
        .execute();
      return { outcome: 'removed' as const, record: parseInstanceRow(row) };
    });
  }

  /** Sets (or, with null, clears) what an outside source says; undefined when not live.
   * `changed` is false when the source said the same before (nothing written). */
  async setExternal(
    id: string,
    source: string,
    value: ExternalStatus | null,
    now: number,
  ): Promise<{ record: InstanceRecord; changed: boolean } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.lockedRow(trx, id);
      if (!existing || existing.removed_at !== null) return undefined;
      const external = parseExternal(existing.external_status);
      const current = external[source];
      // Sources repeat themselves (an informer resync); only a change is written.
      const same =
        value === null
          ? current === undefined
          : current !== undefined && current.status === value.status && current.reason === value.reason;
      if (same) return { record: parseInstanceRow(existing), changed: false };
      if (value === null) delete external[source];
      else external[source] = value;
      const row = await trx
        .updateTable('instances')
        .set({ external_status: JSON.stringify(external), updated_at: now, updated_by: this.replicaId })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { record: parseInstanceRow(row), changed: true };
    });
  }

  async get(id: string): Promise<InstanceRecord | undefined> {
    const row = await this.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? parseInstanceRow(row) : undefined;
  }

  async liveOfService(service: string): Promise<InstanceRecord[]> {
    const rows = await this.db
      .selectFrom('instances')
      .selectAll()
      .where('service', '=', service)
      .where('removed_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map(parseInstanceRow);
  }

  /** Live instances counted by service, status, version, environment and flapping, for the services list. */
  async liveCounts(): Promise<
    Array<{
      service: string;
      status: string;
      version: string | null;
      environment: string | null;
      flapping: number;
      instances: number;
    }>
  > {
    const rows = await this.db
      .selectFrom('instances')
      .select([
        'service',
        'status',
        'version',
        'environment',
        'flapping',
        (eb) => eb.fn.countAll<number | string>().as('instances'),
      ])
      .where('removed_at', 'is', null)
      .groupBy(['service', 'status', 'version', 'environment', 'flapping'])
      .execute();
    return rows.map((r) => ({ ...r, instances: Number(r.instances) }));
  }

  async listLive(service?: string): Promise<InstanceRecord[]> {
    let query = this.db.selectFrom('instances').selectAll().where('removed_at', 'is', null);
    if (service !== undefined) query = query.where('service', '=', service);
    return (await query.orderBy('id').execute()).map(parseInstanceRow);
  }

  /** Newest first. */
  async history(id: string, limit: number, before?: number): Promise<Transition[]> {
    let query = this.db
      .selectFrom('status_history')
      .select(['at', 'from_status', 'to_status', 'reason', 'source'])
      .where('instance_id', '=', id);
    if (before !== undefined) query = query.where('at', '<', before);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      at: r.at,
      from: r.from_status as HistoryStatus,
      to: r.to_status as HistoryStatus,
      reason: r.reason,
      source: r.source,
    }));
  }

  async checkResults(instanceIds: readonly string[]): Promise<Map<string, CheckResultRow[]>> {
    const out = new Map<string, CheckResultRow[]>();
    for (const ids of chunks(instanceIds)) {
      const rows = await this.db.selectFrom('check_results').selectAll().where('instance_id', 'in', ids).execute();
      for (const row of rows) {
        let list = out.get(row.instance_id);
        if (!list) {
          list = [];
          out.set(row.instance_id, list);
        }
        list.push({
          checkId: row.check_id,
          status: isStatus(row.status) ? row.status : 'unknown',
          output: row.output,
          durationMs: row.duration_ms,
          checkedAt: row.checked_at,
        });
      }
    }
    return out;
  }

  // ---- used by the replica that owns the shards ----

  async liveInShards(shards: readonly number[]): Promise<InstanceRecord[]> {
    if (shards.length === 0) return [];
    const rows = await this.db
      .selectFrom('instances')
      .selectAll()
      .where('shard', 'in', [...shards])
      .where('removed_at', 'is', null)
      .execute();
    return rows.map(parseInstanceRow);
  }

  /**
   * Rows whose registration, removal or outside status another replica changed at or after
   * `since` (this replica's own changes reached its checker directly).
   */
  async changedByOthersSince(since: number): Promise<InstanceRecord[]> {
    const rows = await this.db
      .selectFrom('instances')
      .selectAll()
      .where('updated_at', '>=', since)
      .where((eb) => eb.or([eb('updated_by', 'is', null), eb('updated_by', '!=', this.replicaId)]))
      .execute();
    return rows.map(parseInstanceRow);
  }

  async lastHeartbeats(ids: readonly string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    for (const part of chunks(ids)) {
      const rows = await this.db
        .selectFrom('instances')
        .select(['id', 'last_heartbeat_at'])
        .where('id', 'in', part)
        .execute();
      for (const row of rows) out.set(row.id, row.last_heartbeat_at);
    }
    return out;
  }

  /** Times of status transitions since `since` (for flapping state after a takeover). */
  async transitionTimesSince(since: number): Promise<Array<{ instanceId: string; at: number }>> {
    const rows = await this.db
      .selectFrom('status_history')
      .select(['instance_id', 'at'])
      .where('at', '>=', since)
      .where('from_status', 'not in', ['none', 'removed'])
      .where('to_status', '!=', 'removed')
      .orderBy('at')
      .execute();
    return rows.map((r) => ({ instanceId: r.instance_id, at: r.at }));
  }

  /**
   * Writes changes decided by the owner of the instances' shards, in one transaction. Each write
   * is fenced on the lease: a replica that lost its lease (paused, partitioned) cannot overwrite
   * what the new owner decided. Returns how many changes were applied.
   *
   * A burst (a target down flips thousands of instances) is a few statements, not thousands:
   * the rows travel as one JSON parameter per statement and the database unpacks them.
   */
  async applyChanges(changes: readonly StatusChange[]): Promise<number> {
    if (changes.length === 0) return 0;
    // Per instance the last status and the last flapping value win; history keeps every step.
    const statusRows = new Map<string, Record<string, unknown>>();
    const flappingRows = new Map<string, Record<string, unknown>>();
    const removedRows = new Map<string, Record<string, unknown>>();
    for (const change of changes) {
      const id = change.instanceId;
      if (change.kind === 'status') {
        statusRows.set(id, {
          id,
          to_status: change.to,
          reason: change.reason,
          source: change.source,
          at: change.at,
          flapping: change.flapping ? 1 : 0,
        });
        flappingRows.delete(id);
      } else if (change.kind === 'flapping') {
        const row = statusRows.get(id);
        if (row) row.flapping = change.flapping ? 1 : 0;
        else flappingRows.set(id, { id, flapping: change.flapping ? 1 : 0 });
      } else {
        removedRows.set(id, { id, at: change.at });
      }
    }
    return this.db.transaction().execute(async (trx) => {
      const fence = sql`exists (select 1 from check_leases l where l.shard = instances.shard and l.owner = ${this.replicaId})`;
      const updated = async (
        rows: Map<string, Record<string, unknown>>,
        columns: JsonColumn[],
        set: RawBuilder<unknown>,
      ) => {
        const ids = new Set<string>();
        for (const part of chunks([...rows.values()], JSON_ROWS)) {
          const source = jsonRecords(this.dialect, JSON.stringify(part), columns);
          const result = await sql<{ id: string }>`
            update instances set ${set} from ${source}
            where instances.id = c.id and instances.removed_at is null and ${fence}
            returning instances.id as id`.execute(trx);
          for (const row of result.rows) ids.add(row.id);
        }
        return ids;
      };
      const statusIds = await updated(
        statusRows,
        [
          ['id', 'text'],
          ['to_status', 'text'],
          ['reason', 'text'],
          ['source', 'text'],
          ['at', 'bigint'],
          ['flapping', 'integer'],
        ],
        sql`status = c.to_status, status_reason = c.reason, status_source = c.source, status_since = c.at, flapping = c.flapping`,
      );
      const flappingIds = await updated(
        flappingRows,
        [
          ['id', 'text'],
          ['flapping', 'integer'],
        ],
        sql`flapping = c.flapping`,
      );
      const removedIds = await updated(
        removedRows,
        [
          ['id', 'text'],
          ['at', 'bigint'],
        ],
        sql`removed_at = c.at, updated_at = c.at, updated_by = ${this.replicaId}`,
      );

      let applied = 0;
      const history: Record<string, unknown>[] = [];
      for (const change of changes) {
        const id = change.instanceId;
        if (change.kind === 'flapping') {
          if (flappingIds.has(id) || statusIds.has(id)) applied++;
          continue;
        }
        if (!(change.kind === 'status' ? statusIds : removedIds).has(id)) continue;
        applied++;
        history.push({
          instance_id: id,
          service: change.service,
          at: change.at,
          from_status: change.from,
          to_status: change.kind === 'status' ? change.to : 'removed',
          reason: change.reason,
          source: change.source,
        });
      }
      for (const part of chunks(history, JSON_ROWS)) {
        const source = jsonRecords(this.dialect, JSON.stringify(part), [
          ['instance_id', 'text'],
          ['service', 'text'],
          ['at', 'bigint'],
          ['from_status', 'text'],
          ['to_status', 'text'],
          ['reason', 'text'],
          ['source', 'text'],
        ]);
        await sql`
          insert into status_history (instance_id, service, at, from_status, to_status, reason, source)
          select c.instance_id, c.service, c.at, c.from_status, c.to_status, c.reason, c.source from ${source}`.execute(
          trx,
        );
      }
      return applied;
    });
  }
}
