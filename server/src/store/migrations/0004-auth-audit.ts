import type { Kysely } from 'kysely';
import type { Migration } from './index.js';

export const authAudit: Migration = {
  name: '0004-auth-audit',
  async up(db: Kysely<unknown>, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    // auth/: API tokens. Only the SHA-256 of a token is kept; the token itself is shown once.
    // Revoked tokens stay, so the audit log and the token screen can still name them.
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('created_at', big, (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('expires_at', big)
      .addColumn('last_used_at', big)
      .addColumn('revoked_at', big)
      .addColumn('revoked_by', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_active').on('api_tokens').column('revoked_at').execute();

    // audit/: every change made through the API (or by the control plane on its own), with the
    // state before and after as JSON text.
    await db.schema
      .createTable('audit_log')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('at', big, (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('service', 'text')
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('reason', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
    await db.schema.createIndex('audit_log_service').on('audit_log').columns(['service', 'at']).execute();
    await db.schema
      .createIndex('audit_log_target')
      .on('audit_log')
      .columns(['target_type', 'target_id', 'at'])
      .execute();
    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();
  },
};
