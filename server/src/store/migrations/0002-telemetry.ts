// Spans and logs (telemetry/), the resources they point to, and the small catalogs behind search
// suggestions. Nanosecond times are int8 (`bigint` on PostgreSQL, INTEGER on SQLite); readers
// select them with CAST(… AS TEXT) because both drivers hand int8 back as a JS number, which
// cannot hold nanoseconds since the epoch exactly.
//
// PostgreSQL: spans and logs are partitioned by day on their time column (partitions are created
// ahead of the data and dropped whole by retention: telemetry/storage/partitions.ts); attributes
// are jsonb so attribute filters use typed containment (`@>`). SQLite: plain tables with fewer
// indexes (see below), attributes as JSON text queried with json_extract/json_type, retention by
// batched deletes service by service; the tables live in the attached `telemetry` database file.
import { type Kysely, sql } from 'kysely';
import type { Migration } from './index.js';

export const telemetry: Migration = {
  name: '0002-telemetry',
  async up(db: Kysely<unknown>, dialect) {
    const pg = dialect === 'postgres';
    const json = pg ? sql.raw('jsonb') : sql.raw('text');
    const int8 = pg ? sql.raw('bigint') : sql.raw('integer');
    const small = pg ? sql.raw('smallint') : sql.raw('integer');
    // On SQLite the tables (and their indexes) go into the attached `telemetry` database, a file
    // of its own (see store.ts); their plain names still resolve to them.
    const table = (name: string) => (pg ? sql.id(name) : sql.raw(`telemetry.${name}`));

    await sql`create table ${table('telemetry_resources')} (
      id text primary key,
      service text not null,
      attributes ${json} not null,
      last_seen_ms ${int8} not null
    )`.execute(db);
    await sql`create index ${table('telemetry_resources_seen')} on telemetry_resources (last_seen_ms)`.execute(db);

    await sql`create table ${table('spans')} (
      trace_id text not null,
      span_id text not null,
      parent_span_id text,
      service text not null,
      name text not null,
      kind ${small} not null,
      start_ns ${int8} not null,
      duration_ns ${int8} not null,
      status_code ${small} not null,
      status_message text not null,
      attributes ${json} not null,
      events text not null,
      links text not null,
      resource_id text not null,
      scope_name text not null,
      scope_version text not null
    )${pg ? sql` partition by range (start_ns)` : sql``}`.execute(db);
    // Unique per span so an exporter's retry of a batch that was stored stores nothing twice;
    // on PostgreSQL a unique index of a partitioned table must hold the partition key.
    await sql`create unique index ${table('spans_trace')} on spans (trace_id, span_id${pg ? sql`, start_ns` : sql``})`.execute(
      db,
    );
    await sql`create index ${table('spans_service_start')} on spans (service, start_ns)`.execute(db);
    if (pg) {
      // Every index costs each insert; on SQLite the inserts run on the server's own thread, so
      // it keeps only the two it cannot do without. Its searches without a service merge the
      // per-service index, operation filters scan (service, start_ns), and retention walks the
      // table in rowid (= arrival) order. PostgreSQL inserts run in its own processes.
      await sql`create index ${table('spans_operation_start')} on spans (service, name, start_ns)`.execute(db);
      await sql`create index ${table('spans_start')} on spans (start_ns)`.execute(db);
    }

    if (pg) {
      await sql`create sequence logs_id_seq cache 1000`.execute(db);
    }
    await sql`create table ${table('logs')} (
      id ${pg ? sql`bigint not null default nextval('logs_id_seq')` : sql`integer primary key`},
      time_ns ${int8} not null,
      observed_ns ${int8} not null,
      severity_number ${small} not null,
      severity_text text not null,
      body text not null,
      attributes ${json} not null,
      service text not null,
      resource_id text not null,
      trace_id text,
      span_id text,
      scope_name text not null
    )${pg ? sql` partition by range (time_ns)` : sql``}`.execute(db);
    // (time, id) orders pages for cursor pagination; SQLite's rowid (= id) ends every index.
    await sql`create index ${table('logs_service_time')} on logs (service, time_ns${pg ? sql`, id` : sql``})`.execute(
      db,
    );
    if (pg) await sql`create index ${table('logs_time')} on logs (time_ns, id)`.execute(db);
    await sql`create index ${table('logs_trace')} on logs (trace_id, span_id) where trace_id is not null`.execute(db);

    // Catalogs for suggestions, written only when a new entry is first seen by a replica.
    await sql`create table ${table('telemetry_operations')} (
      service text not null,
      name text not null,
      kind ${small} not null,
      last_seen_ms ${int8} not null,
      primary key (service, name, kind)
    )`.execute(db);
    await sql`create table ${table('telemetry_attribute_keys')} (
      signal text not null,
      service text not null,
      key text not null,
      value_type text not null,
      last_seen_ms ${int8} not null,
      primary key (signal, service, key)
    )`.execute(db);
    await sql`create table ${table('telemetry_attribute_values')} (
      signal text not null,
      service text not null,
      key text not null,
      value text not null,
      last_seen_ms ${int8} not null,
      primary key (signal, service, key, value)
    )`.execute(db);
  },
};
