// Circuit breakers across the fleet: what agents report (state, counters, transitions), and the
// operator commands (force open, force closed, reset) for one instance, a service or the whole
// fleet. Commands carry a reason and an expiry; they reach agents over the config channel
// (config/agent-channel.ts asks `commandsFor`), are acknowledged, and are undone at expiry —
// by the agent on its own clock and by the server, which marks them expired and pushes again.
import { createHash, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import { type Principal, SYSTEM_PRINCIPAL } from '../auth/principal.js';
import type { BreakerCommandView, CommandSet, CommandSource } from '../config/agent-channel.js';
import type { PushBus } from '../config/push-bus.js';
import { Errors } from '../errors.js';
import type { BreakerCommandsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';

export type BreakerState = 'closed' | 'open' | 'half_open';
export type CommandAction = 'force_open' | 'force_closed' | 'reset';
export type CommandScope = 'instance' | 'service' | 'fleet';

export interface BreakerCounts {
  calls: number;
  successes: number;
  failures: number;
  slow_calls: number;
  rejections: number;
  fallbacks: number;
  timeouts: number;
  failure_rate: number;
  slow_call_rate: number;
}

export interface ReportedBreaker {
  name: string;
  dependency?: string | null | undefined;
  state: BreakerState;
  forced?: 'open' | 'closed' | null | undefined;
  counts: BreakerCounts;
  transitions: { from: string; to: string; at: number; reason: string }[];
}

export interface BreakerReport {
  service: string;
  environment: string;
  instance_id: string;
  breakers: ReportedBreaker[];
}

export interface CommandInput {
  action: CommandAction;
  scope: CommandScope;
  service?: string | undefined;
  instance_id?: string | undefined;
  breaker?: string | undefined;
  reason: string;
  expiresInMs: number;
  actor: Principal;
}

export interface CommandView {
  id: string;
  action: CommandAction;
  scope: CommandScope;
  service: string | null;
  instance_id: string | null;
  breaker: string | null;
  reason: string;
  created_at: number;
  created_by: string;
  expires_at: number;
  status: 'active' | 'expired' | 'cancelled';
  ended_at: number | null;
  acks: { instance_id: string; status: string; detail: string | null; at: number }[];
}

export interface TransitionView {
  instance_id: string;
  service: string;
  name: string;
  from: string;
  to: string;
  reason: string;
  at: number;
}

type CommandRow = Selectable<BreakerCommandsTable>;

export interface FleetInstance {
  instance_id: string;
  environment: string;
  state: string;
  forced: string | null;
  counts: BreakerCounts;
  updated_at: number;
}

/** A reset is delivered once; it stays in the set this long so an agent reconnecting soon still gets it. */
export const RESET_DELIVERY_MS = 60_000;

export class BreakerService implements CommandSource {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly push: PushBus,
    private readonly now: () => number = Date.now,
  ) {}

  async report(report: BreakerReport): Promise<void> {
    const at = this.now();
    await this.store.db.transaction().execute(async (trx) => {
      for (const breaker of report.breakers) {
        const row = {
          service: report.service,
          environment: report.environment,
          dependency: breaker.dependency ?? null,
          state: breaker.state,
          forced: breaker.forced ?? null,
          counts: JSON.stringify(breaker.counts),
          updated_at: at,
        };
        await trx
          .insertInto('breaker_states')
          .values({ instance_id: report.instance_id, name: breaker.name, ...row })
          .onConflict((oc) => oc.columns(['instance_id', 'name']).doUpdateSet(row))
          .execute();
        for (const transition of breaker.transitions) {
          // Agents resend a transition until a report is accepted; the unique index drops repeats.
          await trx
            .insertInto('breaker_transitions')
            .values({
              instance_id: report.instance_id,
              service: report.service,
              name: breaker.name,
              from_state: transition.from,
              to_state: transition.to,
              reason: transition.reason,
              at: transition.at,
            })
            .onConflict((oc) => oc.columns(['instance_id', 'name', 'at', 'to_state']).doNothing())
            .execute();
        }
      }
    });
  }

  /** Fleet view: by service, then breaker, then instance. Instances removed from the registry are left out. */
  async fleet(filter: {
    service?: string | undefined;
    instance_id?: string | undefined;
    dependency?: string | undefined;
  }) {
    let query = this.store.db
      .selectFrom('breaker_states')
      .leftJoin('instances', 'instances.id', 'breaker_states.instance_id')
      .select([
        'breaker_states.instance_id',
        'breaker_states.name',
        'breaker_states.service',
        'breaker_states.environment',
        'breaker_states.dependency',
        'breaker_states.state',
        'breaker_states.forced',
        'breaker_states.counts',
        'breaker_states.updated_at',
        'instances.removed_at',
      ]);
    if (filter.service) query = query.where('breaker_states.service', '=', filter.service);
    if (filter.instance_id) query = query.where('breaker_states.instance_id', '=', filter.instance_id);
    if (filter.dependency) query = query.where('breaker_states.dependency', '=', filter.dependency);
    const rows = (
      await query
        .orderBy('breaker_states.service')
        .orderBy('breaker_states.name')
        .orderBy('breaker_states.instance_id')
        .execute()
    ).filter((row) => row.removed_at === null || row.removed_at === undefined);
    const services = new Map<
      string,
      Map<
        string,
        { name: string; dependency: string | null; counts: Record<BreakerState, number>; instances: FleetInstance[] }
      >
    >();
    for (const row of rows) {
      let breakers = services.get(row.service);
      if (!breakers) {
        breakers = new Map();
        services.set(row.service, breakers);
      }
      let entry = breakers.get(row.name);
      if (!entry) {
        entry = {
          name: row.name,
          dependency: row.dependency,
          counts: { closed: 0, open: 0, half_open: 0 },
          instances: [],
        };
        breakers.set(row.name, entry);
      }
      entry.counts[row.state as BreakerState] += 1;
      entry.instances.push({
        instance_id: row.instance_id,
        environment: row.environment,
        state: row.state,
        forced: row.forced,
        counts: JSON.parse(row.counts) as BreakerCounts,
        updated_at: row.updated_at,
      });
    }
    return {
      services: [...services].map(([service, breakers]) => ({
        service,
        breakers: [...breakers.values()].map(({ counts, ...rest }) => ({ ...rest, states: counts })),
      })),
    };
  }

  async transitions(filter: {
    service?: string | undefined;
    instance_id?: string | undefined;
    name?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
    limit: number;
  }): Promise<TransitionView[]> {
    let query = this.store.db.selectFrom('breaker_transitions').selectAll();
    if (filter.service) query = query.where('service', '=', filter.service);
    if (filter.instance_id) query = query.where('instance_id', '=', filter.instance_id);
    if (filter.name) query = query.where('name', '=', filter.name);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<=', filter.to);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({
      instance_id: r.instance_id,
      service: r.service,
      name: r.name,
      from: r.from_state,
      to: r.to_state,
      reason: r.reason,
      at: r.at,
    }));
  }

  async createCommand(input: CommandInput): Promise<CommandView> {
    if (input.scope === 'instance' && (!input.instance_id || !input.service)) {
      throw Errors.validation('an instance command names the service and the instance_id', {
        fields: [{ path: '/body/instance_id', message: 'is required when scope is instance (with service)' }],
      });
    }
    if (input.scope === 'service' && (!input.service || input.instance_id)) {
      throw Errors.validation('a service command names the service and no instance_id', {
        fields: [
          { path: '/body/service', message: 'is required (and instance_id is not allowed) when scope is service' },
        ],
      });
    }
    if (input.scope === 'fleet' && (input.service || input.instance_id)) {
      throw Errors.validation('a fleet command names neither service nor instance_id', {
        fields: [
          { path: '/body/scope', message: 'fleet commands apply to every instance; drop service and instance_id' },
        ],
      });
    }
    const at = this.now();
    const id = `cmd_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const row = {
      id,
      action: input.action,
      scope: input.scope,
      service: input.service ?? null,
      instance_id: input.instance_id ?? null,
      breaker: input.breaker ?? null,
      reason: input.reason,
      created_at: at,
      created_by: input.actor.name,
      expires_at: at + (input.action === 'reset' ? RESET_DELIVERY_MS : input.expiresInMs),
      status: 'active',
      ended_at: null,
    };
    await this.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('breaker_commands').values(row).execute();
      await this.audit.record(
        {
          actor: input.actor,
          action: `breaker.${input.action}`,
          target_type: 'breaker',
          target_id: targetId(row),
          service: row.service,
          after: { command_id: id, scope: row.scope, breaker: row.breaker, expires_at: row.expires_at },
          reason: input.reason,
        },
        { db: trx },
      );
      if (input.action === 'reset') {
        // A reset undoes the forces it covers: same breaker (or all), same or narrower scope.
        const covered = (
          await trx
            .selectFrom('breaker_commands')
            .selectAll()
            .where('status', '=', 'active')
            .where('action', '!=', 'reset')
            .execute()
        ).filter((other) => covers(row, other));
        for (const other of covered) {
          await trx
            .updateTable('breaker_commands')
            .set({ status: 'cancelled', ended_at: at })
            .where('id', '=', other.id)
            .execute();
          await this.audit.record(
            {
              actor: input.actor,
              action: 'breaker.cancel',
              target_type: 'breaker',
              target_id: targetId(other),
              service: other.service,
              before: { command_id: other.id, action: other.action, status: 'active' },
              after: { command_id: other.id, status: 'cancelled', by_reset: id },
              reason: input.reason,
            },
            { db: trx },
          );
        }
      }
    });
    await this.push.publish({ topic: 'breakers' });
    return this.getCommand(id);
  }

  async cancelCommand(id: string, actor: Principal, reason: string | null): Promise<CommandView> {
    const at = this.now();
    await this.store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('breaker_commands').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw Errors.notFound(`no breaker command ${id}`);
      if (row.status !== 'active') throw Errors.conflict(`command ${id} is already ${row.status}`);
      await trx
        .updateTable('breaker_commands')
        .set({ status: 'cancelled', ended_at: at })
        .where('id', '=', id)
        .execute();
      await this.audit.record(
        {
          actor,
          action: 'breaker.cancel',
          target_type: 'breaker',
          target_id: targetId(row),
          service: row.service,
          before: { command_id: id, action: row.action, status: 'active' },
          after: { command_id: id, status: 'cancelled' },
          reason,
        },
        { db: trx },
      );
    });
    await this.push.publish({ topic: 'breakers' });
    return this.getCommand(id);
  }

  async getCommand(id: string): Promise<CommandView> {
    const row = await this.store.db.selectFrom('breaker_commands').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw Errors.notFound(`no breaker command ${id}`);
    const acks = await this.store.db
      .selectFrom('breaker_command_acks')
      .selectAll()
      .where('command_id', '=', id)
      .orderBy('instance_id')
      .execute();
    return toCommand(
      row,
      acks.map(({ instance_id, status, detail, at }) => ({ instance_id, status, detail, at })),
    );
  }

  async listCommands(status: string | undefined, limit: number): Promise<CommandView[]> {
    let query = this.store.db.selectFrom('breaker_commands').selectAll();
    if (status) query = query.where('status', '=', status);
    const rows = await query.orderBy('created_at', 'desc').limit(limit).execute();
    const ids = rows.map((r) => r.id);
    const acks = ids.length
      ? await this.store.db.selectFrom('breaker_command_acks').selectAll().where('command_id', 'in', ids).execute()
      : [];
    return rows.map((row) =>
      toCommand(
        row,
        acks
          .filter((a) => a.command_id === row.id)
          .map(({ instance_id, status: s, detail, at }) => ({ instance_id, status: s, detail, at })),
      ),
    );
  }

  async ackCommand(id: string, instanceId: string, status: string, detail: string | null): Promise<void> {
    const exists = await this.store.db
      .selectFrom('breaker_commands')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!exists) throw Errors.notFound(`no breaker command ${id}`);
    const row = { status, detail, at: this.now() };
    await this.store.db
      .insertInto('breaker_command_acks')
      .values({ command_id: id, instance_id: instanceId, ...row })
      .onConflict((oc) => oc.columns(['command_id', 'instance_id']).doUpdateSet(row))
      .execute();
  }

  async commandsFor(service: string, instanceId: string): Promise<CommandSet> {
    const rows = await this.store.db
      .selectFrom('breaker_commands')
      .selectAll()
      .where('status', '=', 'active')
      .where('expires_at', '>', this.now())
      .where((eb) =>
        eb.or([
          eb('scope', '=', 'fleet'),
          eb.and([eb('scope', '=', 'service'), eb('service', '=', service)]),
          eb.and([eb('scope', '=', 'instance'), eb('instance_id', '=', instanceId)]),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const commands: BreakerCommandView[] = rows.map((r) => ({
      id: r.id,
      action: r.action as CommandAction,
      breaker: r.breaker,
      reason: r.reason,
      created_at: r.created_at,
      expires_at: r.expires_at,
    }));
    const revision = createHash('sha1')
      .update(commands.map((c) => c.id).join(','))
      .digest('hex')
      .slice(0, 16);
    return { revision, commands };
  }

  /** Marks commands past their expiry as expired (audited as the control plane); true when any did. */
  async expireDue(): Promise<number> {
    const at = this.now();
    const due = await this.store.db
      .selectFrom('breaker_commands')
      .selectAll()
      .where('status', '=', 'active')
      .where('expires_at', '<=', at)
      .execute();
    let expired = 0;
    for (const row of due) {
      await this.store.db.transaction().execute(async (trx) => {
        // Another replica may have expired it first: only the one whose update matched audits it.
        const result = await trx
          .updateTable('breaker_commands')
          .set({ status: 'expired', ended_at: at })
          .where('id', '=', row.id)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return;
        expired += 1;
        if (row.action === 'reset') return; // a delivered one-shot; its expiry changes nothing
        await this.audit.record(
          {
            actor: SYSTEM_PRINCIPAL,
            action: 'breaker.expire',
            target_type: 'breaker',
            target_id: targetId(row),
            service: row.service,
            before: { command_id: row.id, action: row.action, status: 'active' },
            after: { command_id: row.id, status: 'expired' },
            reason: `expired (${row.action} given by ${row.created_by}: ${row.reason})`,
          },
          { db: trx },
        );
      });
    }
    if (expired > 0) await this.push.publish({ topic: 'breakers' });
    return expired;
  }

  /** The next expiry of an active command, for the expiry timer. */
  async nextExpiry(): Promise<number | null> {
    const row = await this.store.db
      .selectFrom('breaker_commands')
      .select((eb) => eb.fn.min('expires_at').as('next'))
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row?.next === null || row?.next === undefined ? null : Number(row.next);
  }
}

function targetId(row: {
  scope: string;
  service: string | null;
  instance_id: string | null;
  breaker: string | null;
}): string {
  const where =
    row.scope === 'fleet'
      ? 'fleet'
      : row.scope === 'service'
        ? `service:${row.service}`
        : `instance:${row.instance_id}`;
  return `${where}/${row.breaker ?? '*'}`;
}

/** Does reset `reset` cover force command `other` (same or narrower scope, same breaker or all)? */
function covers(
  reset: { scope: string; service: string | null; instance_id: string | null; breaker: string | null },
  other: CommandRow,
): boolean {
  if (reset.breaker !== null && reset.breaker !== other.breaker) return false;
  if (reset.scope === 'fleet') return true;
  if (reset.scope === 'service') return other.service === reset.service && other.scope !== 'fleet';
  return other.scope === 'instance' && other.instance_id === reset.instance_id;
}

function toCommand(row: CommandRow, acks: CommandView['acks']): CommandView {
  return {
    id: row.id,
    action: row.action as CommandAction,
    scope: row.scope as CommandScope,
    service: row.service,
    instance_id: row.instance_id,
    breaker: row.breaker,
    reason: row.reason,
    created_at: row.created_at,
    created_by: row.created_by,
    expires_at: row.expires_at,
    status: row.status as CommandView['status'],
    ended_at: row.ended_at,
    acks,
  };
}
