// Versioned configuration per service and environment: publish (validated against the
// document's JSON Schema, optimistic concurrency on the version it was based on), history,
// diff, rollback (the old content published again as a new version), acknowledgements from
// agents and drift. Every change is audited in its own transaction and pushed to agents.
import type { Kysely, Selectable } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { Errors } from '../errors.js';
import type { ConfigRolloutsTable, ConfigVersionsTable, Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { inCanary } from './canary.js';
import { type ConfigDiff, diffDocuments } from './diff.js';
import type { PushBus } from './push-bus.js';
import { isUniqueViolation } from './unique-violation.js';
import { compileSchema, schemaViolations } from './validation.js';

export interface VersionView {
  service: string;
  environment: string;
  version: number;
  content: unknown;
  author: string;
  message: string;
  created_at: number;
  restored_from: number | null;
  rollout_id: string | null;
}

export interface DocumentView {
  service: string;
  environment: string;
  schema: unknown;
  latest_version: number;
  stable_version: number;
  updated_at: number;
  /** The latest version's content. */
  content: unknown;
  /** The rollout baking right now, if any. */
  active_rollout_id: string | null;
}

export interface PublishInput {
  service: string;
  environment: string;
  content: unknown;
  /** The version the author started from; 0 for the first version. */
  baseVersion: number;
  message: string;
  actor: Principal;
}

export interface DesiredConfig {
  version: number;
  content: unknown;
  rollout_id: string | null;
}

export interface AckInput {
  service: string;
  environment: string;
  instanceId: string;
  version: number;
  status: 'applied' | 'rejected';
  reason: string | null;
}

export interface InstanceConfigView {
  instance_id: string;
  /** Registered and not removed. */
  live: boolean;
  /** The version this instance should run (canary instances get a baking rollout's version). */
  desired_version: number | null;
  /** The version it last said it applied. */
  applied_version: number | null;
  applied_at: number | null;
  last_ack: { version: number; status: string; reason: string | null; at: number } | null;
  in_sync: boolean;
  canary: boolean;
}

type VersionRow = Selectable<ConfigVersionsTable>;
type RolloutRow = Selectable<ConfigRolloutsTable>;

function toVersion(row: VersionRow): VersionView {
  return { ...row, content: JSON.parse(row.content) as unknown };
}

export interface PublishOptions {
  /** Published as a rollback of this version. */
  restoredFrom?: number;
  /** Published through a staged rollout: stable_version stays where it is. */
  rolloutId?: string;
  /** Runs inside the publish transaction after the version row exists (rollouts add theirs). */
  within?: (trx: Kysely<Database>, version: number) => Promise<void>;
  /** Audit action (default config.publish). */
  action?: string;
}

export class ConfigService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly push: PushBus,
    private readonly now: () => number = Date.now,
  ) {}

  get db(): Kysely<Database> {
    return this.store.db;
  }

  async listDocuments(): Promise<(Omit<DocumentView, 'content' | 'schema'> & { has_schema: boolean })[]> {
    const rows = await this.db
      .selectFrom('config_documents')
      .selectAll()
      .orderBy('service')
      .orderBy('environment')
      .execute();
    const active = await this.activeRollouts();
    return rows.map((row) => ({
      service: row.service,
      environment: row.environment,
      latest_version: row.latest_version,
      stable_version: row.stable_version,
      updated_at: row.updated_at,
      has_schema: row.schema !== null,
      active_rollout_id: active.get(`${row.service}/${row.environment}`)?.id ?? null,
    }));
  }

  async getDocument(service: string, environment: string): Promise<DocumentView> {
    const doc = await this.db
      .selectFrom('config_documents')
      .selectAll()
      .where('service', '=', service)
      .where('environment', '=', environment)
      .executeTakeFirst();
    if (!doc) throw Errors.notFound(`no configuration for ${service} in ${environment}; publish a first version`);
    const latest = doc.latest_version > 0 ? await this.getVersion(service, environment, doc.latest_version) : null;
    const rollout = await this.activeRollout(service, environment);
    return {
      service,
      environment,
      schema: doc.schema === null ? null : (JSON.parse(doc.schema) as unknown),
      latest_version: doc.latest_version,
      stable_version: doc.stable_version,
      updated_at: doc.updated_at,
      content: latest?.content ?? null,
      active_rollout_id: rollout?.id ?? null,
    };
  }

  async getVersion(
    service: string,
    environment: string,
    version: number,
    db: Kysely<Database> = this.db,
  ): Promise<VersionView> {
    const row = await db
      .selectFrom('config_versions')
      .selectAll()
      .where('service', '=', service)
      .where('environment', '=', environment)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw Errors.notFound(`${service} in ${environment} has no version ${version}`);
    return toVersion(row);
  }

  /** Versions newest first; `before` pages back. */
  async history(service: string, environment: string, limit: number, before?: number): Promise<VersionView[]> {
    let query = this.db
      .selectFrom('config_versions')
      .selectAll()
      .where('service', '=', service)
      .where('environment', '=', environment);
    if (before !== undefined) query = query.where('version', '<', before);
    const rows = await query.orderBy('version', 'desc').limit(limit).execute();
    return rows.map(toVersion);
  }

  async diff(
    service: string,
    environment: string,
    from: number,
    to: number,
  ): Promise<ConfigDiff & { from: number; to: number }> {
    const [a, b] = await Promise.all([
      from === 0 ? null : this.getVersion(service, environment, from),
      this.getVersion(service, environment, to),
    ]);
    return { from, to, ...diffDocuments(a?.content ?? null, b.content) };
  }

  /**
   * Sets (or with null removes) the document's JSON Schema. Refused with 422 when the schema does
   * not compile or the latest version does not satisfy it, so the current version stays valid.
   */
  async setSchema(service: string, environment: string, schema: unknown, actor: Principal): Promise<DocumentView> {
    if (schema !== null) compileSchema(schema);
    await this.db.transaction().execute(async (trx) => {
      const doc = await this.lockDocument(trx, service, environment);
      if (doc && doc.latest_version > 0 && schema !== null) {
        const latest = await this.getVersion(service, environment, doc.latest_version, trx);
        const fields = schemaViolations(schema, latest.content, `/latest/content`);
        if (fields.length > 0) {
          throw Errors.unprocessable(
            `version ${doc.latest_version} (the latest) does not satisfy this schema; publish a version that does first`,
            { fields },
          );
        }
      }
      const text = schema === null ? null : JSON.stringify(schema);
      const at = this.now();
      if (doc) {
        await trx
          .updateTable('config_documents')
          .set({ schema: text, updated_at: at })
          .where('service', '=', service)
          .where('environment', '=', environment)
          .execute();
      } else {
        await trx
          .insertInto('config_documents')
          .values({ service, environment, schema: text, latest_version: 0, stable_version: 0, updated_at: at })
          .execute();
      }
      await this.audit.record(
        {
          actor,
          action: 'config.schema',
          target_type: 'config',
          target_id: `${service}/${environment}`,
          service,
          before: doc?.schema ? { schema: JSON.parse(doc.schema) } : null,
          after: schema === null ? null : { schema },
        },
        { db: trx },
      );
    });
    return this.getDocument(service, environment);
  }

  /** Publishes a new version; 422 on schema violations, 409 when `baseVersion` is not the latest. */
  async publish(input: PublishInput, options: PublishOptions = {}): Promise<VersionView> {
    const { service, environment, content, baseVersion, actor } = input;
    let version = 0;
    try {
      await this.db.transaction().execute(async (trx) => {
        const doc = await this.lockDocument(trx, service, environment);
        const latest = doc?.latest_version ?? 0;
        if (baseVersion !== latest) {
          throw Errors.conflict(
            `version ${latest} landed after version ${baseVersion} you started from; diff against ${latest}, then publish with base_version ${latest}`,
            { extra: { latest_version: latest, base_version: baseVersion } },
          );
        }
        const rollout = await this.activeRollout(service, environment, trx);
        if (rollout) {
          throw Errors.conflict(
            `rollout ${rollout.id} of version ${rollout.version} is baking; promote or abort it before publishing`,
            { extra: { rollout_id: rollout.id } },
          );
        }
        if (doc?.schema) {
          const fields = schemaViolations(JSON.parse(doc.schema) as unknown, content);
          if (fields.length > 0) {
            throw Errors.unprocessable(`the document does not satisfy the schema of ${service} in ${environment}`, {
              fields,
            });
          }
        }
        version = latest + 1;
        const at = this.now();
        await trx
          .insertInto('config_versions')
          .values({
            service,
            environment,
            version,
            content: JSON.stringify(content),
            author: actor.name,
            message: input.message,
            created_at: at,
            restored_from: options.restoredFrom ?? null,
            rollout_id: options.rolloutId ?? null,
          })
          .execute();
        const stable = options.rolloutId ? (doc?.stable_version ?? 0) : version;
        if (doc) {
          await trx
            .updateTable('config_documents')
            .set({ latest_version: version, stable_version: stable, updated_at: at })
            .where('service', '=', service)
            .where('environment', '=', environment)
            .execute();
        } else {
          await trx
            .insertInto('config_documents')
            .values({
              service,
              environment,
              schema: null,
              latest_version: version,
              stable_version: stable,
              updated_at: at,
            })
            .execute();
        }
        await options.within?.(trx, version);
        await this.audit.record(
          {
            actor,
            action: options.action ?? 'config.publish',
            target_type: 'config',
            target_id: `${service}/${environment}`,
            service,
            before:
              latest > 0
                ? { version: latest, content: (await this.getVersion(service, environment, latest, trx)).content }
                : null,
            after: {
              version,
              content,
              message: input.message,
              ...(options.restoredFrom ? { restored_from: options.restoredFrom } : {}),
            },
            reason: input.message,
          },
          { db: trx },
        );
      });
    } catch (error) {
      // Two first publishes racing on an empty document: the loser hits the primary key.
      if (isUniqueViolation(error)) {
        throw Errors.conflict(`another version of ${service} in ${environment} landed first; reload and publish again`);
      }
      throw error;
    }
    await this.push.publish({ topic: 'config', service, environment });
    return this.getVersion(service, environment, version);
  }

  /** Publishes version `to`'s content again as a new version. */
  async rollback(input: {
    service: string;
    environment: string;
    to: number;
    baseVersion: number;
    message?: string;
    actor: Principal;
  }): Promise<VersionView> {
    const old = await this.getVersion(input.service, input.environment, input.to);
    return this.publish(
      {
        service: input.service,
        environment: input.environment,
        content: old.content,
        baseVersion: input.baseVersion,
        message: input.message ?? `rollback to version ${input.to}`,
        actor: input.actor,
      },
      { restoredFrom: input.to, action: 'config.rollback' },
    );
  }

  /** What `instanceId` should run now, or null when nothing was published. */
  async desiredFor(service: string, environment: string, instanceId: string): Promise<DesiredConfig | null> {
    const doc = await this.db
      .selectFrom('config_documents')
      .select(['stable_version', 'latest_version'])
      .where('service', '=', service)
      .where('environment', '=', environment)
      .executeTakeFirst();
    if (!doc || doc.latest_version === 0) return null;
    const rollout = await this.activeRollout(service, environment);
    const canary = rollout !== undefined && inCanary(rollout, instanceId);
    const version = canary ? rollout.version : doc.stable_version;
    if (version === 0) return null;
    const row = await this.getVersion(service, environment, version);
    return { version, content: row.content, rollout_id: canary ? rollout.id : null };
  }

  async ack(input: AckInput): Promise<void> {
    const at = this.now();
    const applied = input.status === 'applied';
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('config_acks')
        .selectAll()
        .where('service', '=', input.service)
        .where('environment', '=', input.environment)
        .where('instance_id', '=', input.instanceId)
        .executeTakeFirst();
      const row = {
        applied_version: applied ? input.version : (existing?.applied_version ?? null),
        applied_at: applied ? at : (existing?.applied_at ?? null),
        last_version: input.version,
        last_status: input.status,
        last_reason: input.reason,
        last_at: at,
      };
      if (existing) {
        await trx
          .updateTable('config_acks')
          .set(row)
          .where('service', '=', input.service)
          .where('environment', '=', input.environment)
          .where('instance_id', '=', input.instanceId)
          .execute();
      } else {
        await trx
          .insertInto('config_acks')
          .values({ service: input.service, environment: input.environment, instance_id: input.instanceId, ...row })
          .execute();
      }
    });
  }

  /** Every instance of the service in the environment (live ones, and any that acknowledged), with drift. */
  async instances(service: string, environment: string): Promise<InstanceConfigView[]> {
    const [doc, live, acks, rollout] = await Promise.all([
      this.db
        .selectFrom('config_documents')
        .select(['stable_version', 'latest_version'])
        .where('service', '=', service)
        .where('environment', '=', environment)
        .executeTakeFirst(),
      this.db
        .selectFrom('instances')
        .select('id')
        .where('service', '=', service)
        .where('environment', '=', environment)
        .where('removed_at', 'is', null)
        .execute(),
      this.db
        .selectFrom('config_acks')
        .selectAll()
        .where('service', '=', service)
        .where('environment', '=', environment)
        .execute(),
      this.activeRollout(service, environment),
    ]);
    const liveIds = new Set(live.map((row) => row.id));
    const byId = new Map(acks.map((ack) => [ack.instance_id, ack]));
    const ids = [...new Set([...liveIds, ...byId.keys()])].sort();
    return ids.map((id) => {
      const ack = byId.get(id);
      const canary = rollout !== undefined && inCanary(rollout, id);
      const desired = !doc || doc.latest_version === 0 ? null : canary ? rollout.version : doc.stable_version;
      return {
        instance_id: id,
        live: liveIds.has(id),
        desired_version: desired,
        applied_version: ack?.applied_version ?? null,
        applied_at: ack?.applied_at ?? null,
        last_ack: ack
          ? { version: ack.last_version, status: ack.last_status, reason: ack.last_reason, at: ack.last_at }
          : null,
        in_sync: desired !== null && ack?.applied_version === desired,
        canary,
      };
    });
  }

  async activeRollout(
    service: string,
    environment: string,
    db: Kysely<Database> = this.db,
  ): Promise<RolloutRow | undefined> {
    return db
      .selectFrom('config_rollouts')
      .selectAll()
      .where('service', '=', service)
      .where('environment', '=', environment)
      .where('status', '=', 'baking')
      .executeTakeFirst();
  }

  private async activeRollouts(): Promise<Map<string, RolloutRow>> {
    const rows = await this.db.selectFrom('config_rollouts').selectAll().where('status', '=', 'baking').execute();
    return new Map(rows.map((row) => [`${row.service}/${row.environment}`, row]));
  }

  /** The document row, locked for the transaction on PostgreSQL (SQLite transactions are serial). */
  async lockDocument(trx: Kysely<Database>, service: string, environment: string) {
    let query = trx
      .selectFrom('config_documents')
      .selectAll()
      .where('service', '=', service)
      .where('environment', '=', environment);
    if (this.store.dialect === 'postgres') query = query.forUpdate();
    return query.executeTakeFirst();
  }
}
