import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from './index.js';

export const config: Migration = {
  name: '0005-config',
  async up(db: Kysely<unknown>, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    const serial = (c: ColumnDefinitionBuilder) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
    // config/: one row per service and environment: its schema and which version is where.
    // `latest_version` is the newest version; `stable_version` is what instances outside a
    // rollout's canary run (equal to latest unless a rollout is baking).
    await db.schema
      .createTable('config_documents')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('schema', 'text')
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('stable_version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint('config_documents_pk', ['service', 'environment'])
      .execute();
    // Immutable versions; the primary key makes two concurrent publishes of the same number
    // impossible (the loser gets 409).
    await db.schema
      .createTable('config_versions')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('restored_from', 'integer')
      .addColumn('rollout_id', 'text')
      .addPrimaryKeyConstraint('config_versions_pk', ['service', 'environment', 'version'])
      .execute();
    // What each instance said about the versions pushed to it (drift).
    await db.schema
      .createTable('config_acks')
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('applied_version', 'integer')
      .addColumn('applied_at', big)
      .addColumn('last_version', 'integer', (c) => c.notNull())
      .addColumn('last_status', 'text', (c) => c.notNull())
      .addColumn('last_reason', 'text')
      .addColumn('last_at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint('config_acks_pk', ['service', 'environment', 'instance_id'])
      .execute();
    // Staged rollouts and each of their steps.
    await db.schema
      .createTable('config_rollouts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('base_version', 'integer', (c) => c.notNull())
      .addColumn('canary_percent', 'integer')
      .addColumn('canary_instances', 'text')
      .addColumn('bake_ms', big, (c) => c.notNull())
      .addColumn('thresholds', 'text', (c) => c.notNull())
      .addColumn('auto', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', big, (c) => c.notNull())
      .addColumn('bake_until', big, (c) => c.notNull())
      .addColumn('finished_at', big)
      .addColumn('decision_reason', 'text')
      .addColumn('last_comparison', 'text')
      .addColumn('rollback_version', 'integer')
      .execute();
    await db.schema
      .createIndex('config_rollouts_by_doc')
      .on('config_rollouts')
      .columns(['service', 'environment', 'started_at'])
      .execute();
    await db.schema
      .createTable('config_rollout_steps')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', serial)
      .addColumn('rollout_id', 'text', (c) => c.notNull())
      .addColumn('at', big, (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await db.schema
      .createIndex('config_rollout_steps_by_rollout')
      .on('config_rollout_steps')
      .columns(['rollout_id', 'id'])
      .execute();
  },
};
