import type { Kysely } from 'kysely';
import type { Migration } from './index.js';

export const registry: Migration = {
  name: '0001-registry',
  async up(db: Kysely<unknown>, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      // Which lease shard holds the instance's checks (hash of the id, see health/shards.ts).
      .addColumn('shard', 'integer', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('version', 'text')
      .addColumn('environment', 'text')
      .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('checks', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('ttl_ms', big)
      .addColumn('deregister_after_ms', big, (c) => c.notNull())
      .addColumn('registered_at', big, (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      // The replica that made the last change: a replica's sync skips rows it wrote itself.
      .addColumn('updated_by', 'text')
      .addColumn('last_heartbeat_at', big)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('status_source', 'text')
      .addColumn('status_since', big, (c) => c.notNull())
      .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
      // JSON object: status reported by outside sources (e.g. kubernetes), by source name.
      .addColumn('external_status', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('removed_at', big)
      .execute();
    await db.schema.createIndex('instances_service').on('instances').columns(['service', 'removed_at']).execute();
    await db.schema.createIndex('instances_shard').on('instances').columns(['shard', 'removed_at']).execute();
    // Replicas poll for registrations written by other replicas by this column.
    await db.schema.createIndex('instances_updated').on('instances').column('updated_at').execute();

    await db.schema
      .createTable('status_history')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('at', big, (c) => c.notNull())
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('status_history_instance')
      .on('status_history')
      .columns(['instance_id', 'at'])
      .execute();
    await db.schema.createIndex('status_history_service').on('status_history').columns(['service', 'at']).execute();

    await db.schema
      .createTable('check_results')
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('check_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('output', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'real', (c) => c.notNull())
      .addColumn('checked_at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint('check_results_pk', ['instance_id', 'check_id'])
      .execute();

    await db.schema
      .createTable('replicas')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('started_at', big, (c) => c.notNull())
      .addColumn('last_seen', big, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('check_leases')
      .addColumn('shard', 'integer', (c) => c.primaryKey())
      .addColumn('owner', 'text')
      .addColumn('expires_at', big, (c) => c.notNull())
      .execute();
  },
};
