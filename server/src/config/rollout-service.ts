// Staged rollouts: a new version runs on a canary share of the instances (a percentage or a
// list, fixed at the start from the live instances) while the rest keep the stable version; once
// every canary instance acknowledged the version, the evaluator compares both sides from that
// moment and promotes
// (the version becomes stable for all) or rolls back (the base version's content is published
// again as a new version, so canary instances return to it and history shows why). Operators
// may promote or abort by hand. Each step is a row in config_rollout_steps and an audit entry,
// written in the transaction that makes the change.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import { type Principal, SYSTEM_PRINCIPAL } from '../auth/principal.js';
import { Errors } from '../errors.js';
import type { ConfigRolloutsTable, Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { inCanary, planCanary } from './canary.js';
import type { ConfigService } from './config-service.js';
import { compareInstances } from './instance-red.js';
import type { PushBus } from './push-bus.js';
import { type AckGate, ackGate } from './rollout-acks.js';
import { type Comparison, DEFAULT_THRESHOLDS, evaluate, type Thresholds, type Verdict } from './rollout-evaluator.js';

type RolloutRow = Selectable<ConfigRolloutsTable>;
export type RolloutStatus = 'baking' | 'promoted' | 'rolled_back' | 'aborted';

export interface RolloutStepView {
  at: number;
  step: string;
  actor: string;
  detail: unknown;
}

export interface RolloutView {
  id: string;
  service: string;
  environment: string;
  version: number;
  base_version: number;
  canary: { percent: number | null; instances: string[] | null };
  bake_ms: number;
  thresholds: Thresholds;
  auto_promote: boolean;
  status: string;
  started_at: number;
  /** When every canary instance had applied the version: figures count and the bake runs from then. */
  canary_applied_at: number | null;
  bake_until: number;
  finished_at: number | null;
  decision_reason: string | null;
  comparison: Comparison | null;
  rollback_version: number | null;
  steps?: RolloutStepView[];
}

export interface StartRolloutInput {
  service: string;
  environment: string;
  content: unknown;
  baseVersion: number;
  message: string;
  canary: { percent?: number; instances?: string[] };
  bakeMs: number;
  thresholds: Partial<Thresholds>;
  autoPromote: boolean;
  actor: Principal;
}

/** The step recording that every canary instance applied the version. */
interface AppliedDetail {
  /** The latest of the canary's acknowledgements: figures count from here. */
  from_ms: number;
  applied_at: Record<string, number>;
  bake_until: number;
}

const APPLIED_STEP = 'canary_applied';

function toView(row: RolloutRow, appliedAt: number | null): RolloutView {
  return {
    id: row.id,
    service: row.service,
    environment: row.environment,
    version: row.version,
    base_version: row.base_version,
    canary: {
      percent: row.canary_percent,
      instances: row.canary_instances === null ? null : (JSON.parse(row.canary_instances) as string[]),
    },
    bake_ms: row.bake_ms,
    thresholds: JSON.parse(row.thresholds) as Thresholds,
    auto_promote: row.auto === 1,
    status: row.status,
    started_at: row.started_at,
    canary_applied_at: appliedAt,
    bake_until: row.bake_until,
    finished_at: row.finished_at,
    decision_reason: row.decision_reason,
    comparison: row.last_comparison === null ? null : (JSON.parse(row.last_comparison) as Comparison),
    rollback_version: row.rollback_version,
  };
}

export class RolloutService {
  constructor(
    private readonly store: Store,
    private readonly config: ConfigService,
    private readonly audit: AuditLog,
    private readonly push: PushBus,
    private readonly now: () => number = Date.now,
  ) {}

  private get db(): Kysely<Database> {
    return this.store.db;
  }

  /**
   * Publishes the new version for the canary only; 409 on a stale base or a rollout already
   * baking, 422 on schema violations or a canary that cannot be compared (see planCanary).
   */
  async start(input: StartRolloutInput): Promise<RolloutView> {
    const { percent, instances } = input.canary;
    if ((percent === undefined) === (instances === undefined)) {
      throw Errors.validation('give the canary as either a percent or a list of instances', {
        fields: [{ path: '/body/canary', message: 'exactly one of percent or instances' }],
      });
    }
    if (input.baseVersion === 0) {
      throw Errors.conflict(
        `${input.service} in ${input.environment} has no version yet: publish a first version, then roll out changes to it`,
      );
    }
    const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
    const id = randomUUID();
    const at = this.now();
    await this.config.publish(
      {
        service: input.service,
        environment: input.environment,
        content: input.content,
        baseVersion: input.baseVersion,
        message: input.message,
        actor: input.actor,
      },
      {
        rolloutId: id,
        action: 'rollout.start',
        within: async (trx, version) => {
          const live = await trx
            .selectFrom('instances')
            .select('id')
            .where('service', '=', input.service)
            .where('environment', '=', input.environment)
            .where('removed_at', 'is', null)
            .execute();
          const chosen = planCanary(
            {
              rolloutId: id,
              service: input.service,
              environment: input.environment,
              baseVersion: input.baseVersion,
              percent,
              instances,
            },
            live.map((row) => row.id),
          );
          await trx
            .insertInto('config_rollouts')
            .values({
              id,
              service: input.service,
              environment: input.environment,
              version,
              base_version: input.baseVersion,
              canary_percent: percent ?? null,
              canary_instances: JSON.stringify(chosen),
              bake_ms: input.bakeMs,
              thresholds: JSON.stringify(thresholds),
              auto: input.autoPromote ? 1 : 0,
              status: 'baking',
              started_at: at,
              bake_until: at + input.bakeMs,
              finished_at: null,
              decision_reason: null,
              last_comparison: null,
              rollback_version: null,
            })
            .execute();
          await this.step(trx, id, 'started', input.actor, {
            version,
            base_version: input.baseVersion,
            canary: { ...input.canary, chosen },
            bake_ms: input.bakeMs,
            thresholds,
          });
        },
      },
    );
    return this.get(input.service, input.environment, id);
  }

  async list(service: string, environment: string, limit = 50): Promise<RolloutView[]> {
    const rows = await this.db
      .selectFrom('config_rollouts')
      .selectAll()
      .where('service', '=', service)
      .where('environment', '=', environment)
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    const applied = await this.appliedTimes(rows.map((row) => row.id));
    return rows.map((row) => toView(row, applied.get(row.id) ?? null));
  }

  async get(service: string, environment: string, id: string): Promise<RolloutView> {
    const row = await this.db
      .selectFrom('config_rollouts')
      .selectAll()
      .where('id', '=', id)
      .where('service', '=', service)
      .where('environment', '=', environment)
      .executeTakeFirst();
    if (!row) throw Errors.notFound(`no rollout ${id} for ${service} in ${environment}`);
    const steps = await this.db
      .selectFrom('config_rollout_steps')
      .selectAll()
      .where('rollout_id', '=', id)
      .orderBy('id')
      .execute();
    const details = steps.map((s) => (s.detail === null ? null : (JSON.parse(s.detail) as unknown)));
    const appliedIndex = steps.findIndex((s) => s.step === APPLIED_STEP);
    return {
      ...toView(row, appliedIndex < 0 ? null : (details[appliedIndex] as AppliedDetail).from_ms),
      steps: steps.map((s, i) => ({
        at: s.at,
        step: s.step,
        actor: s.actor,
        detail: details[i],
      })),
    };
  }

  async promote(service: string, environment: string, id: string, actor: Principal, reason?: string) {
    await this.finish(service, environment, id, 'promoted', actor, reason ?? 'promoted by hand');
    return this.get(service, environment, id);
  }

  async abort(service: string, environment: string, id: string, actor: Principal, reason?: string) {
    await this.finish(service, environment, id, 'aborted', actor, reason ?? 'aborted by hand');
    return this.get(service, environment, id);
  }

  /**
   * One evaluation of every baking rollout. Until every canary instance applied the version it
   * only waits (or rolls back on a rejection or past the acknowledgement deadline); then figures
   * from that moment are stored on the rollout, a regression is rolled back, and a healthy canary
   * past its bake is promoted when auto_promote is set. Returns the verdicts.
   */
  async evaluateAll(): Promise<Map<string, Verdict>> {
    const rows = await this.db.selectFrom('config_rollouts').selectAll().where('status', '=', 'baking').execute();
    const appliedTimes = await this.appliedTimes(rows.map((row) => row.id));
    const verdicts = new Map<string, Verdict>();
    for (const row of rows) {
      let from = appliedTimes.get(row.id);
      let bakeUntil = row.bake_until;
      if (from === undefined) {
        const gate = await this.ackGate(row);
        if (gate.state !== 'applied') {
          const verdict: Verdict =
            gate.state === 'failed'
              ? { decision: 'rollback', reason: gate.reason }
              : { decision: 'bake', reason: gate.reason };
          verdicts.set(row.id, verdict);
          if (verdict.decision === 'rollback') await this.finishBySelf(row, 'rolled_back', verdict.reason);
          continue;
        }
        from = gate.from_ms;
        bakeUntil = from + row.bake_ms;
        if (!(await this.recordApplied(row, gate, bakeUntil))) continue; // ended in the meantime
      }
      const now = this.now();
      const comparison = await compareInstances(this.store, row.service, from, now, (instance) =>
        inCanary(row, instance),
      );
      const verdict = evaluate(comparison, JSON.parse(row.thresholds) as Thresholds, now >= bakeUntil);
      verdicts.set(row.id, verdict);
      await this.db
        .updateTable('config_rollouts')
        .set({ last_comparison: JSON.stringify(comparison) })
        .where('id', '=', row.id)
        .where('status', '=', 'baking')
        .execute();
      // A regression is rolled back without waiting for anyone; promotion waits for a person
      // unless the rollout was started with auto_promote.
      if (verdict.decision === 'bake' || (verdict.decision === 'promote' && row.auto !== 1)) continue;
      await this.finishBySelf(
        row,
        verdict.decision === 'promote' ? 'promoted' : 'rolled_back',
        verdict.reason,
        comparison,
      );
    }
    return verdicts;
  }

  /** The canary's acknowledgements of the rollout's version, judged. */
  private async ackGate(row: RolloutRow): Promise<AckGate> {
    const canary = row.canary_instances === null ? [] : (JSON.parse(row.canary_instances) as string[]);
    const acks =
      canary.length === 0
        ? []
        : await this.db
            .selectFrom('config_acks')
            .selectAll()
            .where('service', '=', row.service)
            .where('environment', '=', row.environment)
            .where('instance_id', 'in', canary)
            .execute();
    return ackGate(canary, acks, row.version, row, this.now());
  }

  /**
   * Records once that the canary runs the version: a step with each instance's acknowledgement,
   * and the bake restarted from the latest one. False when the rollout ended in the meantime.
   */
  private async recordApplied(
    row: RolloutRow,
    gate: Extract<AckGate, { state: 'applied' }>,
    bakeUntil: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('config_rollouts')
        .set({ bake_until: bakeUntil })
        .where('id', '=', row.id)
        .where('status', '=', 'baking')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      const detail: AppliedDetail = { from_ms: gate.from_ms, applied_at: gate.applied_at, bake_until: bakeUntil };
      await this.step(trx, row.id, APPLIED_STEP, SYSTEM_PRINCIPAL, detail);
      return true;
    });
  }

  /** When every canary instance had applied, per rollout that got that far. */
  private async appliedTimes(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const steps = await this.db
      .selectFrom('config_rollout_steps')
      .select(['rollout_id', 'detail'])
      .where('rollout_id', 'in', ids)
      .where('step', '=', APPLIED_STEP)
      .execute();
    return new Map(steps.map((s) => [s.rollout_id, (JSON.parse(s.detail ?? '{}') as AppliedDetail).from_ms]));
  }

  private async finishBySelf(
    row: RolloutRow,
    status: 'promoted' | 'rolled_back',
    reason: string,
    comparison?: Comparison,
  ): Promise<void> {
    try {
      await this.finish(row.service, row.environment, row.id, status, SYSTEM_PRINCIPAL, reason, comparison);
    } catch (error) {
      // Promoted or aborted by hand in the meantime: nothing left to do.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
  }

  /** Ends a baking rollout (409 when it already ended), in one transaction with its step and audit entry. */
  private async finish(
    service: string,
    environment: string,
    id: string,
    status: Exclude<RolloutStatus, 'baking'>,
    actor: Principal,
    reason: string,
    comparison?: Comparison,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const doc = await this.config.lockDocument(trx, service, environment);
      const row = await trx
        .selectFrom('config_rollouts')
        .selectAll()
        .where('id', '=', id)
        .where('service', '=', service)
        .where('environment', '=', environment)
        .executeTakeFirst();
      if (!row || !doc) throw Errors.notFound(`no rollout ${id} for ${service} in ${environment}`);
      if (row.status !== 'baking') {
        throw Errors.conflict(`rollout ${id} already ended (${row.status}); start a new rollout to change more`, {
          extra: { status: row.status },
        });
      }
      const at = this.now();
      let rollbackVersion: number | null = null;
      if (status === 'promoted') {
        await trx
          .updateTable('config_documents')
          .set({ stable_version: row.version, updated_at: at })
          .where('service', '=', service)
          .where('environment', '=', environment)
          .execute();
      } else {
        // The base's content again as a new version: the canary returns to it, history says why.
        const base = await this.config.getVersion(service, environment, row.base_version, trx);
        rollbackVersion = doc.latest_version + 1;
        await trx
          .insertInto('config_versions')
          .values({
            service,
            environment,
            version: rollbackVersion,
            content: JSON.stringify(base.content),
            author: actor.name,
            message: `rollout ${id} ${status === 'aborted' ? 'aborted' : 'rolled back'}: ${reason}`,
            created_at: at,
            restored_from: row.base_version,
            rollout_id: null,
          })
          .execute();
        await trx
          .updateTable('config_documents')
          .set({ stable_version: rollbackVersion, latest_version: rollbackVersion, updated_at: at })
          .where('service', '=', service)
          .where('environment', '=', environment)
          .execute();
      }
      await trx
        .updateTable('config_rollouts')
        .set({
          status,
          finished_at: at,
          decision_reason: reason,
          rollback_version: rollbackVersion,
          ...(comparison ? { last_comparison: JSON.stringify(comparison) } : {}),
        })
        .where('id', '=', id)
        .execute();
      const detail = { reason, rollback_version: rollbackVersion, comparison: comparison ?? null };
      await this.step(trx, id, status, actor, detail);
      await this.audit.record(
        {
          actor,
          action: `rollout.${status === 'promoted' ? 'promote' : status === 'aborted' ? 'abort' : 'rollback'}`,
          target_type: 'rollout',
          target_id: id,
          service,
          before: { status: 'baking', version: row.version, stable_version: doc.stable_version },
          after: { status, stable_version: rollbackVersion ?? row.version, ...detail },
          reason,
        },
        { db: trx },
      );
    });
    await this.push.publish({ topic: 'config', service, environment });
  }

  private async step(trx: Kysely<Database>, rolloutId: string, step: string, actor: Principal, detail: unknown) {
    await trx
      .insertInto('config_rollout_steps')
      .values({ rollout_id: rolloutId, at: this.now(), step, actor: actor.name, detail: JSON.stringify(detail) })
      .execute();
  }
}
