// SQLite: the spans of a trace are found through one index entry per trace per commit (the
// trace's head row, `trace_rows` set) instead of a unique (trace_id, span_id) index entry per
// span; see telemetry/storage/span-trace-heads.ts. Spans stored before this are each their own
// head: the column's default (1) reads on every existing row without rewriting it, and the
// writer sets trace_rows on every row it inserts (null on all but a trace's last). PostgreSQL
// keeps its index.
import { type Kysely, sql } from 'kysely';
import type { Migration } from './index.js';

export const spanTraceHeads: Migration = {
  name: '0008-span-trace-heads',
  async up(db: Kysely<unknown>, dialect) {
    if (dialect !== 'sqlite') return;
    await sql`alter table telemetry.spans add column trace_rows integer default 1`.execute(db);
    await sql`create index telemetry.spans_trace_head on spans (trace_id) where trace_rows is not null`.execute(db);
    await sql`drop index telemetry.spans_trace`.execute(db);
  },
};
