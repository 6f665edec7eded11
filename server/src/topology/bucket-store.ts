// Reads and writes the RED buckets (tables of migration 0003-topology). Each minute bucket of an
// edge or a service is also added into its 10-minute and 1-hour buckets, in the same
// transaction, so a window is read as coarse buckets in its middle and minutes only at its ends
// (a day is ~45 rows per series instead of 1440). Writes are batched upserts that ADD into
// existing rows — counts, extremes and the sparse histogram are
// merged inside the statement — so a minute flushed twice by one replica, or by several
// replicas at once, sums correctly. Rows are written in one fixed order so concurrent replicas
// on PostgreSQL take row locks in the same order and cannot deadlock each other.
// Reads fetch the bucket rows covering the window (never raw spans) and merge them here: a
// sparse histogram is a handful of numbers, cheaper to add in JS than column by column in SQL.
import { type RawBuilder, sql } from 'kysely';
import type { Store } from '../store/store.js';
import { LatencyHistogram } from './histogram.js';
import { MINUTE_MS } from './minutes.js';
import type { EdgeKind } from './pairing.js';
import type { NodeType } from './peers.js';
import type { Bucket, EdgeBucket, OperationBucket, RollupBatch, ServiceBucket } from './rollup.js';

/** Rows per INSERT (9 parameters each at most). */
const ROWS_PER_STATEMENT = 500;

/** Totals of one series over a window. */
export interface RedTotals {
  requests: number;
  errors: number;
  histogram: LatencyHistogram;
}

export interface EdgeTotals extends RedTotals {
  source: string;
  sourceType: NodeType;
  target: string;
  targetType: NodeType;
  kind: EdgeKind;
}

export interface ServiceTotals extends RedTotals {
  service: string;
}

/** Totals of one step of a series; `at` is the step's start, epoch ms. */
export interface SlotTotals extends RedTotals {
  at: number;
}

export interface OperationSlotTotals extends SlotTotals {
  operation: string;
  spanKind: number;
}

export interface OperationTotals {
  operation: string;
  spanKind: number;
  requests: number;
}

interface MeasureRow {
  /** The bucket's start, epoch ms (`start_ms` or `minute`). */
  at: number | string;
  requests: number | string;
  errors: number | string;
  min_us: number;
  max_us: number;
  hist: string;
}

/** Bucket widths of edges and services, widest first; every flush writes all of them. */
export const BUCKET_WIDTHS_MS = [60 * MINUTE_MS, 10 * MINUTE_MS, MINUTE_MS] as const;

/** A time range of buckets of one width. */
export interface BucketRange {
  widthMs: number;
  fromMs: number;
  toMs: number;
}

/**
 * Covers [fromMs, toMs) (whole minutes) with the fewest buckets: the widest aligned blocks in the
 * middle, narrower ones towards the ends.
 */
export function coverWindow(fromMs: number, toMs: number, widths: readonly number[] = BUCKET_WIDTHS_MS): BucketRange[] {
  if (fromMs >= toMs) return [];
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i]!;
    const a = Math.ceil(fromMs / w) * w;
    const b = Math.floor(toMs / w) * w;
    if (a < b) {
      const narrower = widths.slice(i + 1);
      return [
        ...coverWindow(fromMs, a, narrower),
        { widthMs: w, fromMs: a, toMs: b },
        ...coverWindow(b, toMs, narrower),
      ];
    }
  }
  throw new Error(`window ${fromMs}..${toMs} is not made of whole minutes`);
}

interface TableSpec<B extends Bucket> {
  table: string;
  keys: string[];
  keyValues(bucket: B): (string | number)[];
  /** Whether rows also go to the 10-minute and 1-hour widths. */
  tiered: boolean;
}

const EDGES: TableSpec<EdgeBucket> = {
  table: 'topology_edge_buckets',
  keys: ['width_ms', 'start_ms', 'source', 'source_type', 'target', 'target_type', 'kind'],
  keyValues: (b) => [b.source, b.sourceType, b.target, b.targetType, b.kind],
  tiered: true,
};
const SERVICES: TableSpec<ServiceBucket> = {
  table: 'topology_service_buckets',
  keys: ['width_ms', 'start_ms', 'service'],
  keyValues: (b) => [b.service],
  tiered: true,
};
const OPERATIONS: TableSpec<OperationBucket> = {
  table: 'topology_operation_minutes',
  keys: ['service', 'minute', 'operation', 'span_kind'],
  keyValues: (b) => [b.service, b.minute, b.operation, b.spanKind],
  tiered: false,
};

/** A row to upsert: its key values (in the table's key order) and its measures. */
interface UpsertRow {
  key: (string | number)[];
  requests: number;
  errors: number;
  histogram: LatencyHistogram;
}

/** The rows a batch of minute buckets makes: one per bucket, or one per width and coarse bucket. */
function rowsOf<B extends Bucket>(spec: TableSpec<B>, buckets: readonly B[]): UpsertRow[] {
  if (!spec.tiered) {
    return buckets.map((b) => ({
      key: spec.keyValues(b),
      requests: b.requests,
      errors: b.errors,
      histogram: b.histogram,
    }));
  }
  // Minutes of one flush that fall in the same coarse bucket are merged here first: one
  // statement may not update the same row twice.
  const rows = new Map<string, UpsertRow>();
  for (const b of buckets) {
    const series = spec.keyValues(b);
    for (const width of BUCKET_WIDTHS_MS) {
      const start = b.minute - (b.minute % width);
      const id = `${width}\u0000${start}\u0000${series.join('\u0000')}`;
      const row = rows.get(id);
      if (row) {
        row.requests += b.requests;
        row.errors += b.errors;
        row.histogram.merge(b.histogram);
      } else {
        const histogram = new LatencyHistogram();
        histogram.merge(b.histogram);
        rows.set(id, { key: [width, start, ...series], requests: b.requests, errors: b.errors, histogram });
      }
    }
  }
  return [...rows.values()];
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function emptyTotals(): RedTotals {
  return { requests: 0, errors: 0, histogram: new LatencyHistogram() };
}

/** Adds one stored row into running totals. */
function addRow(into: RedTotals, row: MeasureRow): void {
  into.requests += Number(row.requests);
  into.errors += Number(row.errors);
  into.histogram.addEncoded(row.hist);
  into.histogram.mergeExtremes(Number(row.min_us), Number(row.max_us));
}

/** Groups rows by a key, adding each group's measures; keeps the first row of each group. */
function group<R extends MeasureRow>(rows: readonly R[], keyOf: (row: R) => string): { first: R; totals: RedTotals }[] {
  const groups = new Map<string, { first: R; totals: RedTotals }>();
  for (const row of rows) {
    const key = keyOf(row);
    let entry = groups.get(key);
    if (!entry) {
      entry = { first: row, totals: emptyTotals() };
      groups.set(key, entry);
    }
    addRow(entry.totals, row);
  }
  return [...groups.values()];
}

/** Start of the step a minute falls in, for steps counted from `fromMs`. */
function slotOf(minute: number, fromMs: number, stepMs: number): number {
  return minute - ((minute - fromMs) % stepMs);
}

export class RedBucketStore {
  private readonly least: string;
  private readonly greatest: string;
  private readonly histMerge: RawBuilder<unknown>;
  /** The measure columns as read: the histogram as text on both dialects. */
  private readonly measures: RawBuilder<unknown>;
  private readonly operationMeasures: RawBuilder<unknown>;

  constructor(private readonly store: Store) {
    const postgres = store.dialect === 'postgres';
    // SQLite's two-argument min()/max() are its least()/greatest().
    this.least = postgres ? 'least' : 'min';
    this.greatest = postgres ? 'greatest' : 'max';
    this.histMerge = sql.raw(
      postgres
        ? 'topology_hist_add(t.hist, excluded.hist)'
        : `(select json_group_object(key, total) from (select key, sum(value) as total from
             (select key, value from json_each(t.hist) union all select key, value from json_each(excluded.hist))
           group by key))`,
    );
    const measures = `requests, errors, min_us, max_us, ${postgres ? 'hist::text as hist' : 'hist'}`;
    this.measures = sql.raw(`start_ms as at, ${measures}`);
    this.operationMeasures = sql.raw(`minute as at, ${measures}`);
  }

  /** Adds a batch into the store in one transaction: all of it or none of it. */
  async write(batch: RollupBatch): Promise<void> {
    if (batch.edges.length + batch.services.length + batch.operations.length === 0) return;
    await this.store.db.transaction().execute(async (trx) => {
      await this.upsert(trx, EDGES, batch.edges);
      await this.upsert(trx, SERVICES, batch.services);
      await this.upsert(trx, OPERATIONS, batch.operations);
    });
  }

  private async upsert<B extends Bucket>(db: Store['db'], spec: TableSpec<B>, buckets: readonly B[]): Promise<void> {
    if (buckets.length === 0) return;
    const rows = rowsOf(spec, buckets).map((r) => ({
      key: r.key,
      values: [r.requests, r.errors, r.histogram.min, r.histogram.max, r.histogram.encode()],
    }));
    rows.sort((a, b) => compareKeys(a.key, b.key));
    const columns = sql.raw([...spec.keys, 'requests', 'errors', 'min_us', 'max_us', 'hist'].join(', '));
    const update = sql.raw(
      [
        'requests = t.requests + excluded.requests',
        'errors = t.errors + excluded.errors',
        `min_us = ${this.least}(t.min_us, excluded.min_us)`,
        `max_us = ${this.greatest}(t.max_us, excluded.max_us)`,
      ].join(', '),
    );
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const values = sql.join(chunk.map((row) => sql`(${sql.join([...row.key, ...row.values])})`));
      await sql`insert into ${sql.table(spec.table)} as t (${columns}) values ${values}
        on conflict (${sql.raw(spec.keys.join(', '))}) do update set ${update}, hist = ${this.histMerge}`.execute(db);
    }
  }

  /** SQL condition selecting the buckets that cover [fromMs, toMs) exactly once. */
  private covering(fromMs: number, toMs: number): RawBuilder<unknown> {
    const ranges = coverWindow(fromMs, toMs);
    if (ranges.length === 0) return sql`1 = 0`;
    return sql`(${sql.join(
      ranges.map((r) => sql`(width_ms = ${r.widthMs} and start_ms >= ${r.fromMs} and start_ms < ${r.toMs})`),
      sql` or `,
    )})`;
  }

  /** Every edge's totals over [fromMs, toMs). */
  async edgeTotals(fromMs: number, toMs: number): Promise<EdgeTotals[]> {
    type Row = MeasureRow & { source: string; source_type: string; target: string; target_type: string; kind: string };
    const { rows } = await sql<Row>`select source, source_type, target, target_type, kind, ${this.measures}
      from topology_edge_buckets where ${this.covering(fromMs, toMs)}`.execute(this.store.db);
    return group(
      rows,
      (r) => `${r.source}\u0000${r.source_type}\u0000${r.target}\u0000${r.target_type}\u0000${r.kind}`,
    ).map(({ first, totals }) => ({
      ...totals,
      source: first.source,
      sourceType: first.source_type as NodeType,
      target: first.target,
      targetType: first.target_type as NodeType,
      kind: first.kind as EdgeKind,
    }));
  }

  /** Every service's totals (entry spans) over [fromMs, toMs). */
  async serviceTotals(fromMs: number, toMs: number): Promise<ServiceTotals[]> {
    type Row = MeasureRow & { service: string };
    const { rows } = await sql<Row>`select service, ${this.measures}
      from topology_service_buckets where ${this.covering(fromMs, toMs)}`.execute(this.store.db);
    return group(rows, (r) => r.service).map(({ first, totals }) => ({ ...totals, service: first.service }));
  }

  /** One service's totals per step of `stepMs` starting at `fromMs` (a whole minute). */
  async serviceSeries(service: string, fromMs: number, toMs: number, stepMs: number): Promise<SlotTotals[]> {
    // The widest buckets that tile every step exactly.
    const width = BUCKET_WIDTHS_MS.find((w) => stepMs % w === 0 && fromMs % w === 0 && toMs % w === 0) ?? MINUTE_MS;
    const { rows } = await sql<MeasureRow>`select ${this.measures}
      from topology_service_buckets
      where service = ${service} and width_ms = ${width} and start_ms >= ${fromMs} and start_ms < ${toMs}`.execute(
      this.store.db,
    );
    return group(rows, (r) => String(slotOf(Number(r.at), fromMs, stepMs))).map(({ first, totals }) => ({
      ...totals,
      at: slotOf(Number(first.at), fromMs, stepMs),
    }));
  }

  /** The operations of a service with the most requests over the window. */
  async topOperations(service: string, fromMs: number, toMs: number, limit: number): Promise<OperationTotals[]> {
    const { rows } = await sql<{ operation: string; span_kind: number; requests: number | string }>`
      select operation, span_kind, sum(requests) as requests
      from topology_operation_minutes where service = ${service} and minute >= ${fromMs} and minute < ${toMs}
      group by operation, span_kind order by requests desc, operation, span_kind limit ${limit}`.execute(this.store.db);
    return rows.map((row) => ({
      operation: row.operation,
      spanKind: Number(row.span_kind),
      requests: Number(row.requests),
    }));
  }

  /** Per-step totals of the named operations of a service. */
  async operationSeries(
    service: string,
    operations: readonly string[],
    fromMs: number,
    toMs: number,
    stepMs: number,
  ): Promise<OperationSlotTotals[]> {
    if (operations.length === 0) return [];
    type Row = MeasureRow & { operation: string; span_kind: number };
    const { rows } = await sql<Row>`select operation, span_kind, ${this.operationMeasures}
      from topology_operation_minutes
      where service = ${service} and minute >= ${fromMs} and minute < ${toMs}
        and operation in (${sql.join([...new Set(operations)])})`.execute(this.store.db);
    return group(rows, (r) => `${r.span_kind}\u0000${slotOf(Number(r.at), fromMs, stepMs)}\u0000${r.operation}`).map(
      ({ first, totals }) => ({
        ...totals,
        at: slotOf(Number(first.at), fromMs, stepMs),
        operation: first.operation,
        spanKind: Number(first.span_kind),
      }),
    );
  }

  /** Whether any bucket of the service is stored, at any time. */
  async knowsService(service: string): Promise<boolean> {
    const { rows } = await sql`select 1 as found from topology_operation_minutes
      where service = ${service} limit 1`.execute(this.store.db);
    return rows.length > 0;
  }

  /** Deletes buckets that ended by `ms` (a coarse bucket goes with its last minute); returns the row count. */
  async deleteBefore(ms: number): Promise<number> {
    let deleted = 0;
    const count = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);
    for (const table of [EDGES.table, SERVICES.table]) {
      for (const width of BUCKET_WIDTHS_MS) {
        deleted += count(
          await sql`delete from ${sql.table(table)} where width_ms = ${width} and start_ms <= ${ms - width}`.execute(
            this.store.db,
          ),
        );
      }
    }
    deleted += count(await sql`delete from topology_operation_minutes where minute < ${ms}`.execute(this.store.db));
    return deleted;
  }
}
