// How SQLite finds the spans of a trace: through one index entry per trace per commit (its
// "head"), not one per span.
//
// Why: trace ids are random, so an index on (trace_id, span_id) takes every new trace at a random
// page, and each commit wrote about one whole index page per trace it held (4 KiB in the WAL and
// again at checkpoint): most of what ingest wrote after the rows themselves. The writer instead
// stores the spans of a trace that arrive in one commit next to each other (consecutive rowids,
// in start order) and marks the last of them, the head, with how many they are (`trace_rows`,
// null on every other row). A partial index on trace_id holds only the heads; a trace's spans are
// the rows in its heads' rowid ranges that carry its id (a range may have lost rows to
// retention, never gained foreign ones: rowids only grow).
//
// The head is the group's latest start, so retention (which deletes by start) removes a head
// only together with the rest of its group. Storing a span twice (an exporter's retry of a batch
// that was stored) is prevented by the writer, which reads the trace's stored span ids first; a
// new trace costs one index search that finds nothing.
//
// PostgreSQL keeps its unique (trace_id, span_id, start_ns) index: its inserts run in its own
// processes, and a B-tree page there is not rewritten whole on each commit.
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from '../../store/migrations/index.js';

/** Column index of trace_rows in a span row (after the 16 columns of SqliteWriteRows.spans). */
export const TRACE_ROWS = 16;
const TRACE_ID = 0;
const SPAN_ID = 1;
const START_NS = 6;

/**
 * SQL (SQLite): the member rows `m` of head rows `h`; a condition on h.trace_id follows `where`.
 * One text for the writer's statement and the readers' condition below.
 */
const HEAD_MEMBERS = 'join spans m on m.rowid between h.rowid - h.trace_rows + 1 and h.rowid';
const OF_HEADS = 'h.trace_rows is not null and m.trace_id = h.trace_id';

/**
 * SQL (SQLite): the span ids stored for a trace (parameter: the trace id). The writer runs it once
 * for each trace of a commit.
 */
export const STORED_SPAN_IDS_SQL = `select m.span_id from spans h ${HEAD_MEMBERS} where h.trace_id = ? and ${OF_HEADS}`;

/**
 * Orders a commit's span rows for insertion and marks the heads: the rows of each trace together
 * (traces in order of first appearance), by start within a trace, each row's trace_rows set (the
 * count on a trace's last row, null on the others). Rows whose (trace, span) is stored already
 * (`storedSpanIds(traceId)`) or appears earlier in `rows` are left out.
 */
export function headedRows(rows: unknown[][], storedSpanIds: (traceId: string) => readonly unknown[]): unknown[][] {
  const byTrace = new Map<string, unknown[][]>();
  for (const row of rows) {
    const traceId = row[TRACE_ID] as string;
    const group = byTrace.get(traceId);
    if (group) group.push(row);
    else byTrace.set(traceId, [row]);
  }
  const out: unknown[][] = [];
  for (const [traceId, group] of byTrace) {
    const stored = storedSpanIds(traceId);
    let kept = group;
    if (stored.length > 0 || group.length > 1) {
      const seen = new Set(stored);
      kept = [];
      for (const row of group) {
        if (seen.has(row[SPAN_ID])) continue;
        seen.add(row[SPAN_ID]);
        kept.push(row);
      }
      kept.sort((a, b) => {
        const x = a[START_NS] as bigint | number;
        const y = b[START_NS] as bigint | number;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
    for (let i = 0; i < kept.length; i++) {
      const row = kept[i] as unknown[];
      row[TRACE_ROWS] = i === kept.length - 1 ? kept.length : null;
      out.push(row);
    }
  }
  return out;
}

/**
 * "The span belongs to one of these traces" for a span table reference (`spans` or an alias).
 * On SQLite, through the heads' rowid ranges (the partial index spans_trace_head); on
 * PostgreSQL, the trace_id column (its unique index leads with it).
 */
export function inTraces(dialect: Dialect, traceIds: readonly string[], table = 'spans'): RawBuilder<SqlBool> {
  const ids = sql.join([...traceIds]);
  const ref = sql.raw(table);
  if (dialect !== 'sqlite') return sql<SqlBool>`${ref}.trace_id in (${ids})`;
  return sql<SqlBool>`${ref}.rowid in (select m.rowid from spans h ${sql.raw(HEAD_MEMBERS)}
    where h.trace_id in (${ids}) and ${sql.raw(OF_HEADS)})`;
}
