// Log search with cursor pagination (newest first, by (time_ns, id)), and a trace's logs.
import { type RawBuilder, sql } from 'kysely';
import { Errors } from '../../errors.js';
import type { Store } from '../../store/store.js';
import type { Attributes } from '../model.js';
import { groupsOf, servicesOf } from '../storage/services.js';
import { type AttributeFilter, andAll, containsPattern, parseJson, recordAttributeCondition } from './filters.js';
import { groupPatterns, type LogPattern, likePatternOf, type PatternSteps } from './log-patterns.js';

export interface LogFilter {
  service?: string | undefined;
  minSeverity?: number | undefined;
  contains?: string | undefined;
  /** A template of /logs/patterns: the records it was made of (see log-patterns.ts). */
  pattern?: string | undefined;
  attributes: AttributeFilter[];
  traceId?: string | undefined;
  spanId?: string | undefined;
  fromNs: bigint;
  /** Exclusive. */
  toNs: bigint;
}

export interface LogSearch extends LogFilter {
  limit: number;
  cursor?: LogCursor | undefined;
}

/** How many records matched in each step of a window, by severity group (`VOLUME_GROUPS`). */
export interface LogVolume {
  /** Start of the first step (a multiple of the step), epoch ns. */
  fromNs: bigint;
  stepNs: bigint;
  steps: number;
  /** Severity group (index into VOLUME_GROUPS) → count per step. */
  counts: Map<number, number[]>;
}

/** SeverityNumber ranges of four (1–4 trace … 21–24 fatal), and 0 for records that set none. */
export const VOLUME_GROUPS = ['unspecified', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export interface LogCursor {
  timeNs: bigint;
  id: number;
}

export interface StoredLog {
  id: number;
  timeNs: bigint;
  observedTimeNs: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Attributes;
  resource: Attributes;
  service: string;
  traceId: string | null;
  spanId: string | null;
  scopeName: string;
}

export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.timeNs}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): LogCursor {
  const match = /^([0-9]{1,20})\.([0-9]{1,16})$/.exec(Buffer.from(text, 'base64url').toString());
  if (!match) {
    throw Errors.validation('cursor is not one this API returned; pass next_cursor from the previous page as is', {
      fields: [{ path: '/querystring/cursor', message: 'is not a valid cursor' }],
    });
  }
  return { timeNs: BigInt(match[1] as string), id: Number(match[2]) };
}

interface LogRow {
  id: number | string;
  time_ns: string;
  observed_ns: string;
  severity_number: number;
  severity_text: string;
  body: string;
  attributes: unknown;
  service: string;
  resource_id: string;
  trace_id: string | null;
  span_id: string | null;
  scope_name: string;
}

const COLUMNS = sql`l.id, cast(l.time_ns as text) as time_ns, cast(l.observed_ns as text) as observed_ns,
  l.severity_number, l.severity_text, l.body, l.attributes, l.service, l.resource_id, l.trace_id, l.span_id, l.scope_name`;

/** A record as the patterns of a window show it (its example). */
export interface PatternRecord {
  timeNs: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  service: string;
  traceId: string | null;
  spanId: string | null;
}

interface PatternRow {
  id: number | string;
  time_ns: string;
  severity_number: number;
  severity_text: string;
  body: string;
  service: string;
  trace_id: string | null;
  span_id: string | null;
}

const PATTERN_COLUMNS = sql`l.id, cast(l.time_ns as text) as time_ns, l.severity_number, l.severity_text, l.body,
  l.service, l.trace_id, l.span_id`;

export class LogQueries {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The filters as SQL conditions on `logs l` (the time range included). */
  #conditions(q: LogFilter): RawBuilder<unknown>[] {
    const dialect = this.#store.dialect;
    const conditions: RawBuilder<unknown>[] = [sql`l.time_ns >= ${q.fromNs}`, sql`l.time_ns < ${q.toNs}`];
    if (q.service !== undefined) conditions.push(sql`l.service = ${q.service}`);
    if (q.minSeverity !== undefined) conditions.push(sql`l.severity_number >= ${q.minSeverity}`);
    // SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE.
    const bodyLike = (pattern: string) =>
      dialect === 'postgres' ? sql`l.body ilike ${pattern} escape '\\'` : sql`l.body like ${pattern} escape '\\'`;
    if (q.contains) conditions.push(bodyLike(containsPattern(q.contains)));
    if (q.pattern !== undefined) conditions.push(bodyLike(likePatternOf(q.pattern)));
    if (q.traceId !== undefined) conditions.push(sql`l.trace_id = ${q.traceId}`);
    if (q.spanId !== undefined) conditions.push(sql`l.span_id = ${q.spanId}`);
    for (const filter of q.attributes) conditions.push(recordAttributeCondition('l', filter, dialect));
    return conditions;
  }

  /** Whether a query of these filters runs per service on SQLite (see #newest). */
  #perService(q: LogFilter): boolean {
    return (
      q.service === undefined && q.traceId === undefined && q.spanId === undefined && this.#store.dialect === 'sqlite'
    );
  }

  async search(q: LogSearch): Promise<{ logs: StoredLog[]; nextCursor: string | null }> {
    const conditions = this.#conditions(q);
    if (q.cursor) {
      // The explicit upper bound on time_ns keeps the range on the index.
      conditions.push(sql`l.time_ns <= ${q.cursor.timeNs}`);
      conditions.push(sql`(l.time_ns < ${q.cursor.timeNs} or l.id < ${q.cursor.id})`);
    }
    const rows = await this.#newest<LogRow>(COLUMNS, conditions, this.#perService(q), q.limit + 1);
    const page = rows.slice(0, q.limit);
    const logs = await this.#withResources(page);
    const last = logs[logs.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor({ timeNs: last.timeNs, id: last.id }) : null;
    return { logs, nextCursor };
  }

  /**
   * The newest `limit` matching rows. On SQLite without a service (and without a trace or span
   * id, whose own index is more selective), merged from per-service index scans.
   */
  async #newest<Row extends { id: number | string }>(
    columns: RawBuilder<unknown>,
    conditions: RawBuilder<unknown>[],
    perService: boolean,
    limit: number,
  ): Promise<Row[]> {
    const db = this.#store.db;
    if (!perService) {
      const result = await sql<Row>`select ${columns} from logs l where ${andAll(conditions)}
        order by l.time_ns desc, l.id desc limit ${limit}`.execute(db);
      return result.rows;
    }
    // Two steps: the per-service index scans return only keys (time, id); the full rows are
    // read for the page alone.
    const keys: { id: number; ns: bigint }[] = [];
    for (const group of groupsOf(await servicesOf(this.#store))) {
      const arms = group.map(
        (service) => sql`select * from (select l.id, cast(l.time_ns as text) as t, l.time_ns as ns from logs l
          where l.service = ${service} and ${andAll(conditions)} order by l.time_ns desc, l.id desc limit ${limit})`,
      );
      const result = await sql<{
        id: number | string;
        t: string;
      }>`select id, t from (${sql.join(arms, sql` union all `)})
        order by ns desc, id desc limit ${limit}`.execute(db);
      for (const row of result.rows) keys.push({ id: Number(row.id), ns: BigInt(row.t) });
    }
    keys.sort((a, b) => (a.ns > b.ns ? -1 : a.ns < b.ns ? 1 : b.id - a.id));
    const page = keys.slice(0, limit);
    if (page.length === 0) return [];
    const result =
      await sql<Row>`select ${columns} from logs l where l.id in (${sql.join(page.map((k) => k.id))})`.execute(db);
    const byId = new Map(result.rows.map((row) => [Number(row.id), row]));
    return page.map((k) => byId.get(k.id)).filter((row): row is Row => row !== undefined);
  }

  /**
   * The matching records of the newest `sample` grouped by template (see log-patterns.ts), the
   * most frequent first, each counted per step when `steps` are given; `complete` when that was
   * every matching record of the window, `oldestNs` the oldest of them.
   */
  async patterns(q: LogFilter & { sample: number; steps?: PatternSteps }): Promise<{
    scanned: number;
    complete: boolean;
    oldestNs: bigint | null;
    patterns: LogPattern<PatternRecord>[];
  }> {
    const rows = await this.#newest<PatternRow>(
      PATTERN_COLUMNS,
      this.#conditions(q),
      this.#perService(q),
      q.sample + 1,
    );
    const complete = rows.length <= q.sample;
    const records = rows.slice(0, q.sample).map(
      (row): PatternRecord => ({
        timeNs: BigInt(row.time_ns),
        severityNumber: row.severity_number,
        severityText: row.severity_text,
        body: row.body,
        service: row.service,
        traceId: row.trace_id,
        spanId: row.span_id,
      }),
    );
    return {
      scanned: records.length,
      complete,
      // Newest first: the last is the oldest.
      oldestNs: records.at(-1)?.timeNs ?? null,
      patterns: groupPatterns(records, q.steps),
    };
  }

  /**
   * Counts of the matching records per step and severity group, for a volume chart. Steps start
   * at multiples of `stepNs` (they line up from one refresh to the next), the first at or before
   * the window's start. On SQLite without a service, one range of the (service, time) index per
   * service (as #newest does).
   */
  async volume(q: LogFilter & { stepNs: bigint }): Promise<LogVolume> {
    const fromNs = (q.fromNs / q.stepNs) * q.stepNs;
    const steps = Number((q.toNs - fromNs + q.stepNs - 1n) / q.stepNs);
    // Only records in the window count (as the list shows them); the first step may be partial.
    const conditions = this.#conditions(q);
    const arms: RawBuilder<unknown>[][] = this.#perService(q)
      ? groupsOf(await servicesOf(this.#store)).map((group) => [...conditions, sql`l.service in (${sql.join(group)})`])
      : [conditions];
    const counts = new Map<number, number[]>();
    for (const where of arms) {
      const result = await sql<{ b: number | string; g: number | string; n: number | string }>`
        select (l.time_ns - ${fromNs}) / ${q.stepNs} as b, (l.severity_number + 3) / 4 as g, count(*) as n
        from logs l where ${andAll(where)} group by 1, 2`.execute(this.#store.db);
      for (const row of result.rows) {
        const group = Number(row.g);
        let series = counts.get(group);
        if (!series) {
          series = new Array<number>(steps).fill(0);
          counts.set(group, series);
        }
        const step = Number(row.b);
        if (step >= 0 && step < steps) series[step] = (series[step] ?? 0) + Number(row.n);
      }
    }
    return { fromNs, stepNs: q.stepNs, steps, counts };
  }

  /** The logs of a trace (or of one of its spans), oldest first. */
  async ofTrace(traceId: string, spanId: string | undefined, limit: number): Promise<StoredLog[]> {
    const conditions: RawBuilder<unknown>[] = [sql`l.trace_id = ${traceId}`];
    if (spanId !== undefined) conditions.push(sql`l.span_id = ${spanId}`);
    const rows = await sql<LogRow>`select ${COLUMNS} from logs l where ${andAll(conditions)}
      order by l.time_ns, l.id limit ${limit}`.execute(this.#store.db);
    return this.#withResources(rows.rows);
  }

  async #withResources(rows: LogRow[]): Promise<StoredLog[]> {
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.resource_id))];
    const resources = await sql<{ id: string; attributes: unknown }>`
      select id, attributes from telemetry_resources where id in (${sql.join(ids)})`.execute(this.#store.db);
    const byId = new Map(resources.rows.map((r) => [r.id, parseJson<Attributes>(r.attributes)]));
    return rows.map((r) => ({
      id: Number(r.id),
      timeNs: BigInt(r.time_ns),
      observedTimeNs: BigInt(r.observed_ns),
      severityNumber: Number(r.severity_number),
      severityText: r.severity_text,
      body: r.body,
      attributes: parseJson<Attributes>(r.attributes),
      resource: byId.get(r.resource_id) ?? {},
      service: r.service,
      traceId: r.trace_id,
      spanId: r.span_id,
      scopeName: r.scope_name,
    }));
  }
}
