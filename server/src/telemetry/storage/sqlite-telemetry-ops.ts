// The SQLite work on the telemetry database, as plain synchronous calls on one better-sqlite3
// connection with statements prepared once: writing a group in one transaction, deleting for
// retention, measuring size. It runs in the writer thread (its own connection to the telemetry
// file) or, for in-memory stores, on the shared connection where the database is attached.
import { deserialize } from 'node:v8';
import type Sqlite from 'better-sqlite3';
import { startBucket, startBucketSql } from './span-start-buckets.js';
import { headedRows, STORED_SPAN_IDS_SQL, TRACE_ROWS } from './span-trace-heads.js';

/** The indexed start bucket of a span (see span-start-buckets.ts), as SQL. */
const SPAN_BUCKET = startBucketSql();

/** A write group flattened to column values (built on the main thread, cloned to the writer). */
export interface SqliteWriteRows {
  resources: [id: string, service: string, json: string][];
  /** trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns, status_code,
   * status_message, attributes, events, links, resource_id, scope_name, scope_version */
  spans: unknown[][];
  /** More span rows of that shape, each chunk an array of rows serialized with v8.serialize
   * (built by the decode thread: they pass through the server's thread without being read). */
  spanChunks: Uint8Array[];
  /** time_ns, observed_ns, severity_number, severity_text, body, attributes, service,
   * resource_id, trace_id, span_id, scope_name */
  logs: unknown[][];
  operations: [service: string, name: string, kind: number][];
  attributeKeys: [signal: string, service: string, key: string, valueType: string][];
  attributeValues: [signal: string, service: string, key: string, value: string][];
  nowMs: number;
}

export type TelemetryTable = 'spans' | 'logs';

/** What retention and the writer need from the telemetry database, wherever it is opened. */
export interface SqliteTelemetryAccess {
  /** Resolves with the spans (less those already stored) and log records it stored. */
  write(rows: SqliteWriteRows): Promise<number>;
  /** Deletes up to `limit` rows of one service older than the cutoff; returns how many. */
  deleteBefore(table: TelemetryTable, service: string, cutoffNs: bigint, limit: number): Promise<number>;
  /** The oldest time of a service's rows (ns, decimal), or null. */
  oldest(table: TelemetryTable, service: string): Promise<string | null>;
  /** Bytes of the telemetry database in use (pages not on the free list). */
  sizeBytes(): Promise<number>;
  /** Deletes resources and suggestion entries not seen since the cutoffs. */
  pruneCatalogs(cutoffMs: number, resourceCutoffMs: number): Promise<void>;
  /** Resolves once the first write would not wait for the writer to start. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

type Statement = Sqlite.Statement<unknown[]>;

export class SqliteTelemetryOps {
  readonly #db: Sqlite.Database;
  readonly #schema: string;
  readonly #statements = new Map<string, Statement>();

  /** `schema`: `main` when the telemetry file is the connection's own, `telemetry` when attached. */
  constructor(db: Sqlite.Database, schema: 'main' | 'telemetry') {
    this.#db = db;
    this.#schema = schema;
  }

  /** Prepared once, on first use (the tables exist only once migrations have run). */
  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Commits the rows in one transaction; returns how many spans and log records it stored. */
  write(rows: SqliteWriteRows): number {
    const now = rows.nowMs;
    const resource = this.#statement(
      `insert into telemetry_resources (id, service, attributes, last_seen_ms) values (?, ?, ?, ?)
       on conflict (id) do update set last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    );
    // trace_rows and an explicit rowid: a trace's rows of this commit must be consecutive and
    // marked at the head (see span-trace-heads.ts).
    const span = this.#statement(
      `insert into spans (trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
        status_code, status_message, attributes, events, links, resource_id, scope_name, scope_version,
        trace_rows, rowid)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const storedSpanIds = this.#statement(STORED_SPAN_IDS_SQL).pluck();
    const lastRowid = this.#statement('select coalesce(max(rowid), 0) from spans').pluck();
    const log = this.#statement(
      `insert into logs (time_ns, observed_ns, severity_number, severity_text, body, attributes, service,
        resource_id, trace_id, span_id, scope_name)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const operation = this.#statement(
      `insert into telemetry_operations (service, name, kind, last_seen_ms) values (?, ?, ?, ?)
       on conflict (service, name, kind) do update set last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    );
    const attributeKey = this.#statement(
      `insert into telemetry_attribute_keys (signal, service, key, value_type, last_seen_ms) values (?, ?, ?, ?, ?)
       on conflict (signal, service, key) do update set value_type = excluded.value_type,
         last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    );
    const attributeValue = this.#statement(
      `insert into telemetry_attribute_values (signal, service, key, value, last_seen_ms) values (?, ?, ?, ?, ?)
       on conflict (signal, service, key, value) do update set last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    );
    // IMMEDIATE: the transaction may read (the trace's stored spans) before it writes, and a read
    // transaction that must become a write one while another connection writes fails at once
    // with SQLITE_BUSY instead of waiting for the lock.
    return this.#db
      .transaction(() => {
        for (const r of rows.resources) resource.run(r[0], r[1], r[2], now);
        const parts = rows.spans.length > 0 ? [rows.spans] : [];
        for (const chunk of rows.spanChunks) {
          // Empty: its buffer was lost with a writer thread that died holding it.
          if (chunk.byteLength === 0) throw new Error('a chunk of span rows was lost; the batch must be sent again');
          parts.push(deserialize(chunk) as unknown[][]);
        }
        // All of the commit's spans at once: a trace's rows from several requests share a head.
        const spans = parts.length === 1 ? (parts[0] as unknown[][]) : parts.flat();
        let firstRowid = 0;
        let rowid = 0;
        if (spans.length > 0) {
          firstRowid = rowid = lastRowid.get() as number;
          for (const row of headedRows(spans, (traceId) => storedSpanIds.all(traceId) as unknown[])) {
            row[TRACE_ROWS + 1] = ++rowid;
            span.run(row);
          }
        }
        for (const row of rows.logs) log.run(row);
        for (const o of rows.operations) operation.run(o[0], o[1], o[2], now);
        for (const k of rows.attributeKeys) attributeKey.run(k[0], k[1], k[2], k[3], now);
        for (const v of rows.attributeValues) attributeValue.run(v[0], v[1], v[2], v[3], now);
        // Spans stored (repeats were dropped) and log records.
        return rowid - firstRowid + rows.logs.length;
      })
      .immediate();
  }

  deleteBefore(table: TelemetryTable, service: string, cutoffNs: bigint, limit: number): number {
    if (table === 'spans') {
      // Spans are indexed by (service, start bucket): see span-start-buckets.ts.
      return this.#statement(
        `delete from spans where rowid in (select rowid from spans
           where service = ? and ${SPAN_BUCKET} <= ? and start_ns < ? limit ?)`,
      ).run(service, startBucket(cutoffNs), cutoffNs, limit).changes;
    }
    return this.#statement(
      'delete from logs where id in (select id from logs where service = ? and time_ns < ? limit ?)',
    ).run(service, cutoffNs, limit).changes;
  }

  oldest(table: TelemetryTable, service: string): string | null {
    if (table === 'spans') {
      // The oldest bucket first (through the index), then the oldest start in it.
      const row = this.#statement(
        `select cast(min(start_ns) as text) as t from spans
         where service = ? and ${SPAN_BUCKET} = (select min(${SPAN_BUCKET}) from spans where service = ?)`,
      ).get(service, service) as { t: string | null };
      return row.t;
    }
    const row = this.#statement('select cast(min(time_ns) as text) as t from logs where service = ?').get(service) as {
      t: string | null;
    };
    return row.t;
  }

  sizeBytes(): number {
    const pragma = (name: string) => Number(this.#db.pragma(`${this.#schema}.${name}`, { simple: true }));
    return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
  }

  pruneCatalogs(cutoffMs: number, resourceCutoffMs: number): void {
    this.#statement('delete from telemetry_resources where last_seen_ms < ?').run(resourceCutoffMs);
    for (const table of ['telemetry_operations', 'telemetry_attribute_keys', 'telemetry_attribute_values']) {
      this.#statement(`delete from ${table} where last_seen_ms < ?`).run(cutoffMs);
    }
  }
}
