// Stored spans, traces and logs shaped as the API returns them (snake_case, `*_at` in epoch
// ms, exact nanoseconds as decimal strings).
import type { Attributes, LogRecord } from '../model.js';
import { nsToMs, nsToMsFraction } from '../query/filters.js';
import type { StoredLog } from '../query/log-queries.js';
import type { StoredSpan, TraceSummary } from '../query/trace-queries.js';

export const KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export const STATUS_NAMES = ['unset', 'ok', 'error'] as const;

export function summaryView(s: TraceSummary) {
  return {
    trace_id: s.traceId,
    root_service: s.rootService,
    root_operation: s.rootOperation,
    has_root: s.hasRoot,
    start_at: nsToMs(s.startNs),
    start_ns: s.startNs.toString(),
    duration_ns: s.durationNs.toString(),
    duration_ms: nsToMsFraction(s.durationNs),
    span_count: s.spanCount,
    error_count: s.errorCount,
    services: s.services.map((c) => ({ name: c.name, span_count: c.spanCount, error_count: c.errorCount })),
  };
}

export function spanView(s: StoredSpan) {
  return {
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId,
    service: s.service,
    name: s.name,
    kind: KIND_NAMES[s.kind] ?? 'unspecified',
    start_at: nsToMs(s.startNs),
    start_ns: s.startNs.toString(),
    duration_ns: s.durationNs.toString(),
    duration_ms: nsToMsFraction(s.durationNs),
    status: STATUS_NAMES[s.statusCode] ?? 'unset',
    status_message: s.statusMessage,
    attributes: s.attributes,
    events: s.events,
    links: s.links,
    resource: s.resource,
    scope: { name: s.scopeName, version: s.scopeVersion },
    log_count: s.logCount,
  };
}

/**
 * A trace with each resource and scope sent once and times as integer offsets: for a trace of
 * thousands of spans from a few processes this is about half the JSON of `spanView`s, and the
 * reader needs no BigInt per span.
 */
export function compactTraceView(traceId: string, summary: TraceSummary, spans: readonly StoredSpan[]) {
  const resources: Attributes[] = [];
  const resourceIndex = new Map<string, number>();
  const scopes: { name: string; version: string }[] = [];
  const scopeIndex = new Map<string, number>();
  const view = spans.map((s) => {
    let resource = resourceIndex.get(s.resourceId);
    if (resource === undefined) {
      resource = resources.push(s.resource) - 1;
      resourceIndex.set(s.resourceId, resource);
    }
    const scopeKey = `${s.scopeName}\n${s.scopeVersion}`;
    let scope = scopeIndex.get(scopeKey);
    if (scope === undefined) {
      scope = scopes.push({ name: s.scopeName, version: s.scopeVersion }) - 1;
      scopeIndex.set(scopeKey, scope);
    }
    return {
      span_id: s.spanId,
      parent_span_id: s.parentSpanId,
      service: s.service,
      name: s.name,
      kind: KIND_NAMES[s.kind] ?? 'unspecified',
      start_offset_ns: Number(s.startNs - summary.startNs),
      duration_ns: Number(s.durationNs),
      status: STATUS_NAMES[s.statusCode] ?? 'unset',
      ...(s.statusMessage ? { status_message: s.statusMessage } : {}),
      attributes: s.attributes,
      ...(s.events.length ? { events: s.events } : {}),
      ...(s.links.length ? { links: s.links } : {}),
      resource,
      scope,
      log_count: s.logCount,
    };
  });
  return { trace_id: traceId, summary: summaryView(summary), resources, scopes, spans: view };
}

export function storedLogView(l: StoredLog) {
  return { id: l.id, ...logView(l) };
}

/** A log record as the API shows it; the live tail sends committed records, which have no id. */
export function logView(l: StoredLog | LogRecord) {
  return {
    time_at: nsToMs(l.timeNs),
    time_ns: l.timeNs.toString(),
    observed_time_ns: l.observedTimeNs.toString(),
    severity_number: l.severityNumber,
    severity_text: l.severityText,
    body: l.body,
    attributes: l.attributes,
    resource: l.resource,
    service: l.service,
    trace_id: l.traceId,
    span_id: l.spanId,
    scope_name: l.scopeName,
  };
}
