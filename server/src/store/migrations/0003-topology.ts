// topology/: RED roll-ups per edge, per service and per operation. Edges and services are kept
// at three widths (1 minute, 10 minutes, 1 hour: `width_ms`), written together at each flush, so
// a query reads a few coarse rows for the middle of its window and minutes only at its ends;
// operations, read one service at a time, only by the minute. Each row carries its latency histogram as a sparse JSON object of bucket index → count (text on
// SQLite, jsonb on PostgreSQL). Writes are `INSERT … ON CONFLICT DO UPDATE` that ADD the new
// counts into the row inside the statement (SQLite: json_each/json_group_object; PostgreSQL:
// the topology_hist_add function below), so the merge is atomic under the row lock and several
// replicas adding into the same minute on PostgreSQL never lose an update.
import type { CreateTableBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration } from './index.js';

export const topology: Migration = {
  name: '0003-topology',
  async up(db: Kysely<unknown>, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    const double = dialect === 'postgres' ? 'double precision' : 'real';
    const json = dialect === 'postgres' ? 'jsonb' : 'text';

    type Builder = CreateTableBuilder<string, string>;
    const measures = (table: Builder): Builder =>
      table
        .addColumn('requests', big, (c) => c.notNull())
        .addColumn('errors', big, (c) => c.notNull())
        .addColumn('min_us', double, (c) => c.notNull())
        .addColumn('max_us', double, (c) => c.notNull())
        .addColumn('hist', json, (c) => c.notNull());

    if (dialect === 'postgres') {
      // Adds two sparse histograms key by key; used by the upserts of topology/bucket-store.ts.
      await sql`create or replace function topology_hist_add(a jsonb, b jsonb) returns jsonb
        language sql immutable parallel safe as $$
          select coalesce(jsonb_object_agg(k, v), '{}'::jsonb)
          from (select k, sum(v::bigint) as v
                from (select * from jsonb_each_text(a) union all select * from jsonb_each_text(b)) as e(k, v)
                group by k) as s
        $$`.execute(db);
    }

    await measures(
      db.schema
        .createTable('topology_edge_buckets')
        .addColumn('width_ms', 'integer', (c) => c.notNull())
        .addColumn('start_ms', big, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()),
    )
      .addPrimaryKeyConstraint('topology_edge_buckets_pk', [
        'width_ms',
        'start_ms',
        'source',
        'source_type',
        'target',
        'target_type',
        'kind',
      ])
      .execute();

    await measures(
      db.schema
        .createTable('topology_service_buckets')
        .addColumn('width_ms', 'integer', (c) => c.notNull())
        .addColumn('start_ms', big, (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull()),
    )
      .addPrimaryKeyConstraint('topology_service_buckets_pk', ['width_ms', 'start_ms', 'service'])
      .execute();
    // One service's series (GET /services/{name}/red).
    await db.schema
      .createIndex('topology_service_buckets_service')
      .on('topology_service_buckets')
      .columns(['service', 'width_ms', 'start_ms'])
      .execute();

    await measures(
      db.schema
        .createTable('topology_operation_minutes')
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('minute', big, (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('span_kind', 'integer', (c) => c.notNull()),
    )
      .addPrimaryKeyConstraint('topology_operation_minutes_pk', ['service', 'minute', 'operation', 'span_kind'])
      .execute();
    // Retention deletes by minute across services.
    await db.schema
      .createIndex('topology_operation_minutes_minute')
      .on('topology_operation_minutes')
      .column('minute')
      .execute();
  },
};
