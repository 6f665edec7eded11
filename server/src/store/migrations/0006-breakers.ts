import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from './index.js';

export const breakers: Migration = {
  name: '0006-breakers',
  async up(db: Kysely<unknown>, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    const id = (c: ColumnDefinitionBuilder) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
    // breakers/: the last report of each breaker of each instance.
    await db.schema
      .createTable('breaker_states')
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('dependency', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('forced', 'text')
      .addColumn('counts', 'text', (c) => c.notNull())
      .addColumn('updated_at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint('breaker_states_pk', ['instance_id', 'name'])
      .execute();
    await db.schema
      .createIndex('breaker_states_by_service')
      .on('breaker_states')
      .columns(['service', 'name'])
      .execute();
    // Every state change an agent reported, kept after the instance is gone.
    await db.schema
      .createTable('breaker_transitions')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', id)
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text', (c) => c.notNull())
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', big, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('breaker_transitions_by_service')
      .on('breaker_transitions')
      .columns(['service', 'at'])
      .execute();
    await db.schema
      .createIndex('breaker_transitions_dedupe')
      .on('breaker_transitions')
      .columns(['instance_id', 'name', 'at', 'to_state'])
      .unique()
      .execute();
    // Operator commands: force open / force closed (until expiry or cancel) and reset (once).
    await db.schema
      .createTable('breaker_commands')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('service', 'text')
      .addColumn('instance_id', 'text')
      .addColumn('breaker', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('expires_at', big, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ended_at', big)
      .execute();
    await db.schema
      .createIndex('breaker_commands_by_status')
      .on('breaker_commands')
      .columns(['status', 'expires_at'])
      .execute();
    await db.schema
      .createTable('breaker_command_acks')
      .addColumn('command_id', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint('breaker_command_acks_pk', ['command_id', 'instance_id'])
      .execute();
  },
};
