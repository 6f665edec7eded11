// Trace search, trace by id, and the catalogs behind search (operations, attribute suggestions).
//
// Search follows Jaeger's meaning: a trace matches when one of its spans matches every filter
// (service, operation, attributes, duration, error). Matching spans are read newest first in
// chunks through the time indexes (on PostgreSQL (service, start_ns), (service, name, start_ns)
// and (start_ns); on SQLite (service, start bucket), see storage/span-start-buckets.ts, and a
// search without a service merges the per-service index), so a search stops as soon as it has `limit` distinct traces instead of
// grouping everything in the time range; a scan cap bounds the cost of filters that match
// almost nothing (the response then says `truncated`). Summaries come from the found traces'
// spans by trace id (on SQLite through the traces' head rows, see storage/span-trace-heads.ts).
import { type RawBuilder, sql } from 'kysely';
import type { Store } from '../../store/store.js';
import type { Attributes } from '../model.js';
import { groupsOf, servicesOf } from '../storage/services.js';
import { newestFirst, startWindow } from '../storage/span-start-buckets.js';
import { inTraces } from '../storage/span-trace-heads.js';
import type { Signal } from '../storage/write-group.js';
import { type AttributeFilter, andAll, parseJson, recordAttributeCondition } from './filters.js';

export interface TraceSearch {
  service?: string | undefined;
  operation?: string | undefined;
  attributes: AttributeFilter[];
  minDurationNs?: bigint | undefined;
  maxDurationNs?: bigint | undefined;
  errorsOnly: boolean;
  fromNs: bigint;
  /** Exclusive. */
  toNs: bigint;
  limit: number;
}

export interface ServiceCount {
  name: string;
  spanCount: number;
  errorCount: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  /** False when the root span has not arrived (or was never sent): root_* then name the earliest span. */
  hasRoot: boolean;
  startNs: bigint;
  durationNs: bigint;
  spanCount: number;
  errorCount: number;
  services: ServiceCount[];
}

export interface StoredEvent {
  time_ns: string;
  name: string;
  attributes: Attributes;
}

export interface StoredLink {
  trace_id: string;
  span_id: string;
  attributes: Attributes;
}

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: number;
  startNs: bigint;
  durationNs: bigint;
  statusCode: number;
  statusMessage: string;
  attributes: Attributes;
  events: StoredEvent[];
  links: StoredLink[];
  resource: Attributes;
  /** Spans of one resource (process) share it, and the same `resource` object. */
  resourceId: string;
  scopeName: string;
  scopeVersion: string;
  logCount: number;
}

/**
 * The summary of a trace from its spans (as `trace` returns them, by start time): what
 * `summaries` computes in SQL, without reading the trace a second time.
 */
export function summarizeTrace(traceId: string, spans: readonly StoredSpan[]): TraceSummary {
  const first = spans[0];
  if (!first) throw new Error(`trace ${traceId} has no spans to summarize`);
  let startNs = first.startNs;
  let endNs = first.startNs + first.durationNs;
  let errorCount = 0;
  let root: StoredSpan | undefined;
  const services = new Map<string, ServiceCount>();
  for (const span of spans) {
    if (span.startNs < startNs) startNs = span.startNs;
    const end = span.startNs + span.durationNs;
    if (end > endNs) endNs = end;
    const failed = span.statusCode === 2 ? 1 : 0;
    errorCount += failed;
    let service = services.get(span.service);
    if (!service) {
      service = { name: span.service, spanCount: 0, errorCount: 0 };
      services.set(span.service, service);
    }
    service.spanCount++;
    service.errorCount += failed;
    // Several parentless spans (a broken trace): the earliest is the root.
    if (span.parentSpanId === null && (!root || span.startNs < root.startNs)) root = span;
  }
  const named = root ?? spans.reduce((earliest, span) => (span.startNs < earliest.startNs ? span : earliest));
  return {
    traceId,
    rootService: named.service,
    rootOperation: named.name,
    hasRoot: root !== undefined,
    startNs,
    durationNs: endNs - startNs,
    spanCount: spans.length,
    errorCount,
    services: [...services.values()].sort((a, b) => b.spanCount - a.spanCount || (a.name < b.name ? -1 : 1)),
  };
}

/** Rows of matching spans read per step at most, and in all. */
const MAX_CHUNK = 20_000;
const MAX_SCANNED = 500_000;

export class TraceQueries {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async search(q: TraceSearch): Promise<{ traces: TraceSummary[]; truncated: boolean }> {
    const db = this.#store.db;
    const dialect = this.#store.dialect;
    const filters: RawBuilder<unknown>[] = [];
    if (q.service !== undefined) filters.push(sql`s.service = ${q.service}`);
    if (q.operation !== undefined) filters.push(sql`s.name = ${q.operation}`);
    if (q.minDurationNs !== undefined) filters.push(sql`s.duration_ns >= ${q.minDurationNs}`);
    if (q.maxDurationNs !== undefined) filters.push(sql`s.duration_ns <= ${q.maxDurationNs}`);
    if (q.errorsOnly) filters.push(sql`s.status_code = 2`);
    for (const filter of q.attributes) filters.push(recordAttributeCondition('s', filter, dialect));
    const where = andAll(filters);

    const found: string[] = [];
    const seen = new Set<string>();
    const add = (traceId: string) => {
      if (found.length < q.limit && !seen.has(traceId)) {
        seen.add(traceId);
        found.push(traceId);
      }
    };
    // SQLite has no index on start_ns alone: without a service, merge the per-service index.
    const services = q.service === undefined && dialect === 'sqlite' ? await servicesOf(this.#store) : undefined;
    let upper = q.toNs;
    let chunk = Math.max(q.limit * 4, 200);
    let scanned = 0;
    let truncated = false;
    while (found.length < q.limit) {
      const rows = await this.#newestMatching(where, q.fromNs, upper, chunk, services);
      for (const row of rows) add(row.trace_id);
      scanned += rows.length;
      if (rows.length < chunk) break;
      // Continue strictly below the last start, after taking every span that shares it (rows
      // with equal start_ns have no order, so a LIMIT may have cut through them).
      const last = BigInt((rows[rows.length - 1] as { start_ns: string }).start_ns);
      const onService = services ? sql`s.service in (${sql.join(services)}) and ` : sql``;
      const ties = await sql<{ trace_id: string }>`
        select s.trace_id from spans s
        where ${onService}${startWindow(dialect, last, last + 1n, 's')} and ${where}`.execute(db);
      for (const row of ties.rows) add(row.trace_id);
      upper = last;
      if (scanned >= MAX_SCANNED) {
        truncated = found.length < q.limit;
        break;
      }
      chunk = Math.min(chunk * 4, MAX_CHUNK);
    }
    const traces = await this.summaries(found);
    traces.sort((a, b) => (a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : 0));
    return { traces, truncated };
  }

  /** Up to `limit` matching spans starting in [from, upper), newest first. */
  async #newestMatching(
    where: RawBuilder<unknown>,
    fromNs: bigint,
    upperNs: bigint,
    limit: number,
    services: string[] | undefined,
  ): Promise<{ trace_id: string; start_ns: string }[]> {
    const db = this.#store.db;
    const dialect = this.#store.dialect;
    const window = startWindow(dialect, fromNs, upperNs, 's');
    const newest = newestFirst(dialect, 's');
    if (!services) {
      const result = await sql<{ trace_id: string; start_ns: string }>`
        select s.trace_id, cast(s.start_ns as text) as start_ns from spans s
        where ${window} and ${where}
        order by ${newest} limit ${limit}`.execute(db);
      return result.rows;
    }
    const rows: { trace_id: string; start_ns: string; ns: bigint }[] = [];
    for (const group of groupsOf(services)) {
      const arms = group.map(
        (service) => sql`select * from (select s.trace_id, cast(s.start_ns as text) as start_ns, s.start_ns as ns
          from spans s where s.service = ${service} and ${window} and ${where}
          order by ${newest} limit ${limit})`,
      );
      const result = await sql<{ trace_id: string; start_ns: string }>`
        select trace_id, start_ns from (${sql.join(arms, sql` union all `)}) order by ns desc limit ${limit}`.execute(
        db,
      );
      for (const row of result.rows) rows.push({ ...row, ns: BigInt(row.start_ns) });
    }
    rows.sort((a, b) => (a.ns > b.ns ? -1 : a.ns < b.ns ? 1 : 0));
    return rows.slice(0, limit);
  }

  /** Summaries of the given traces (those with no stored spans are left out). */
  async summaries(traceIds: string[]): Promise<TraceSummary[]> {
    if (traceIds.length === 0) return [];
    const db = this.#store.db;
    const ofTraces = inTraces(this.#store.dialect, traceIds);
    const perService = await sql<{
      trace_id: string;
      service: string;
      spans: number | string;
      errors: number | string;
      first_ns: string;
      last_ns: string;
    }>`
      select trace_id, service, count(*) as spans, sum(case when status_code = 2 then 1 else 0 end) as errors,
        cast(min(start_ns) as text) as first_ns, cast(max(start_ns + duration_ns) as text) as last_ns
      from spans where ${ofTraces} group by trace_id, service`.execute(db);
    const roots = await sql<{ trace_id: string; service: string; name: string; start_ns: string }>`
      select trace_id, service, name, cast(start_ns as text) as start_ns
      from spans where ${ofTraces} and parent_span_id is null`.execute(db);

    const byTrace = new Map<string, TraceSummary & { endNs: bigint }>();
    for (const row of perService.rows) {
      const first = BigInt(row.first_ns);
      const last = BigInt(row.last_ns);
      const spans = Number(row.spans);
      const errors = Number(row.errors);
      let summary = byTrace.get(row.trace_id);
      if (!summary) {
        summary = {
          traceId: row.trace_id,
          rootService: '',
          rootOperation: '',
          hasRoot: false,
          startNs: first,
          durationNs: 0n,
          endNs: last,
          spanCount: 0,
          errorCount: 0,
          services: [],
        };
        byTrace.set(row.trace_id, summary);
      }
      if (first < summary.startNs) summary.startNs = first;
      if (last > summary.endNs) summary.endNs = last;
      summary.spanCount += spans;
      summary.errorCount += errors;
      summary.services.push({ name: row.service, spanCount: spans, errorCount: errors });
    }
    const rootStart = new Map<string, bigint>();
    for (const row of roots.rows) {
      const summary = byTrace.get(row.trace_id);
      const start = BigInt(row.start_ns);
      if (!summary) continue;
      // Several parentless spans (a broken trace): the earliest is the root.
      const previous = rootStart.get(row.trace_id);
      if (previous !== undefined && previous <= start) continue;
      rootStart.set(row.trace_id, start);
      summary.rootService = row.service;
      summary.rootOperation = row.name;
      summary.hasRoot = true;
    }
    for (const summary of byTrace.values()) {
      if (summary.hasRoot) continue;
      const earliest = await sql<{ service: string; name: string }>`
        select service, name from spans where ${inTraces(this.#store.dialect, [summary.traceId])}
        order by start_ns limit 1`.execute(db);
      summary.rootService = earliest.rows[0]?.service ?? '';
      summary.rootOperation = earliest.rows[0]?.name ?? '';
    }
    return [...byTrace.values()].map(({ endNs, ...summary }) => {
      summary.durationNs = endNs - summary.startNs;
      summary.services.sort((a, b) => b.spanCount - a.spanCount || (a.name < b.name ? -1 : 1));
      return summary;
    });
  }

  /** Every span of a trace, oldest first; null when no span of it is stored. */
  async trace(traceId: string): Promise<StoredSpan[] | null> {
    const db = this.#store.db;
    // The spans and their log counts at once (on PostgreSQL, two connections of the pool: one
    // round trip less); the resources once the spans have named them.
    const spans = sql<{
      span_id: string;
      parent_span_id: string | null;
      service: string;
      name: string;
      kind: number;
      start_ns: string;
      duration_ns: string;
      status_code: number;
      status_message: string;
      attributes: unknown;
      events: string;
      links: string;
      resource_id: string;
      scope_name: string;
      scope_version: string;
    }>`
      select span_id, parent_span_id, service, name, kind, cast(start_ns as text) as start_ns,
        cast(duration_ns as text) as duration_ns, status_code, status_message, attributes, events, links,
        resource_id, scope_name, scope_version
      from spans where ${inTraces(this.#store.dialect, [traceId])} order by start_ns, span_id`.execute(db);
    const counts = sql<{ span_id: string | null; n: number | string }>`
      select span_id, count(*) as n from logs where trace_id = ${traceId} group by span_id`.execute(db);
    const [rows, logCounts] = await Promise.all([spans, counts]);
    if (rows.rows.length === 0) return null;
    const resourceIds = [...new Set(rows.rows.map((r) => r.resource_id))];
    const resources = await sql<{ id: string; attributes: unknown }>`
      select id, attributes from telemetry_resources where id in (${sql.join(resourceIds)})`.execute(db);
    const resourceById = new Map(resources.rows.map((r) => [r.id, parseJson<Attributes>(r.attributes)]));
    const logsBySpan = new Map(logCounts.rows.map((r) => [r.span_id, Number(r.n)]));
    return rows.rows.map((r) => ({
      traceId,
      spanId: r.span_id,
      parentSpanId: r.parent_span_id,
      service: r.service,
      name: r.name,
      kind: Number(r.kind),
      startNs: BigInt(r.start_ns),
      durationNs: BigInt(r.duration_ns),
      statusCode: Number(r.status_code),
      statusMessage: r.status_message,
      attributes: parseJson<Attributes>(r.attributes),
      events: JSON.parse(r.events) as StoredEvent[],
      links: JSON.parse(r.links) as StoredLink[],
      resource: resourceById.get(r.resource_id) ?? {},
      resourceId: r.resource_id,
      scopeName: r.scope_name,
      scopeVersion: r.scope_version,
      logCount: logsBySpan.get(r.span_id) ?? 0,
    }));
  }

  async operations(service: string): Promise<{ name: string; kind: number; lastSeenMs: number }[]> {
    const rows = await this.#store.db
      .selectFrom('telemetry_operations')
      .select(['name', 'kind', 'last_seen_ms'])
      .where('service', '=', service)
      .orderBy('name')
      .orderBy('kind')
      .execute();
    return rows.map((r) => ({ name: r.name, kind: Number(r.kind), lastSeenMs: Number(r.last_seen_ms) }));
  }

  async attributeKeys(
    signal: Signal,
    options: { service?: string | undefined; prefix?: string | undefined; limit: number },
  ): Promise<{ key: string; valueType: string }[]> {
    let query = this.#store.db
      .selectFrom('telemetry_attribute_keys')
      .select(['key', sql<string>`max(value_type)`.as('value_type')])
      .where('signal', '=', signal);
    if (options.service !== undefined) query = query.where('service', '=', options.service);
    if (options.prefix) query = query.where('key', '>=', options.prefix).where('key', '<', `${options.prefix}\uffff`);
    const rows = await query.groupBy('key').orderBy('key').limit(options.limit).execute();
    return rows.map((r) => ({ key: r.key, valueType: r.value_type }));
  }

  async attributeValues(
    signal: Signal,
    key: string,
    options: { service?: string | undefined; prefix?: string | undefined; limit: number },
  ): Promise<string[]> {
    let query = this.#store.db
      .selectFrom('telemetry_attribute_values')
      .select(['value', sql<number>`max(last_seen_ms)`.as('seen')])
      .where('signal', '=', signal)
      .where('key', '=', key);
    if (options.service !== undefined) query = query.where('service', '=', options.service);
    if (options.prefix) {
      query = query.where('value', '>=', options.prefix).where('value', '<', `${options.prefix}\uffff`);
    }
    const rows = await query.groupBy('value').orderBy('seen', 'desc').orderBy('value').limit(options.limit).execute();
    return rows.map((r) => r.value);
  }
}
