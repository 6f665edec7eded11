// A stored trace as an OTLP/JSON ExportTraceServiceRequest, in the protocol's JSON mapping (hex
// ids, 64-bit integers as decimal strings, enums as numbers, lowerCamelCase names), grouped as
// SDKs send it: by resource, then by instrumentation scope. A trace downloaded this way can be
// kept beside a bug report and sent as it is to any OTLP/HTTP receiver, this one included.
//
// What the receiver normalized comes back normalized: a double with an integral value is sent
// as an intValue, an integer beyond 2^53 and bytes (kept as decimal and base64 text) as
// stringValues; dropped-attribute counts, trace state and flags are not stored.
import type { Attributes, AttributeValue } from '../model.js';
import type { StoredSpan } from '../query/trace-queries.js';

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } }
  | Record<string, never>;

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export function otlpAnyValue(value: AttributeValue): OtlpAnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(otlpAnyValue) } };
  return { kvlistValue: { values: otlpKeyValues(value) } };
}

export function otlpKeyValues(attributes: Attributes): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: otlpAnyValue(value) }));
}

function otlpSpan(s: StoredSpan) {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startNs.toString(),
    endTimeUnixNano: (s.startNs + s.durationNs).toString(),
    attributes: otlpKeyValues(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: e.time_ns, name: e.name, attributes: otlpKeyValues(e.attributes) })),
    links: s.links.map((l) => ({ traceId: l.trace_id, spanId: l.span_id, attributes: otlpKeyValues(l.attributes) })),
    status: { code: s.statusCode, ...(s.statusMessage ? { message: s.statusMessage } : {}) },
  };
}

interface ScopeSpans {
  scope: { name: string; version?: string };
  spans: ReturnType<typeof otlpSpan>[];
}

/** The spans (in the order given) as one request; resources and scopes in order of first use. */
export function otlpTraceRequest(spans: readonly StoredSpan[]) {
  const byResource = new Map<string, { resource: Attributes; scopes: Map<string, ScopeSpans> }>();
  for (const span of spans) {
    let entry = byResource.get(span.resourceId);
    if (!entry) {
      entry = { resource: span.resource, scopes: new Map() };
      byResource.set(span.resourceId, entry);
    }
    // A scope is its name and version; JSON of the pair keys it without a separator to escape.
    const scopeKey = JSON.stringify([span.scopeName, span.scopeVersion]);
    let scope = entry.scopes.get(scopeKey);
    if (!scope) {
      scope = {
        scope: { name: span.scopeName, ...(span.scopeVersion ? { version: span.scopeVersion } : {}) },
        spans: [],
      };
      entry.scopes.set(scopeKey, scope);
    }
    scope.spans.push(otlpSpan(span));
  }
  return {
    resourceSpans: [...byResource.values()].map(({ resource, scopes }) => ({
      resource: { attributes: otlpKeyValues(resource) },
      scopeSpans: [...scopes.values()],
    })),
  };
}
