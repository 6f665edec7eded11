// Shared by the telemetry and OTLP tests: payloads in the shape of the OTLP specification's
// examples (with current times: the receiver refuses data older than the retention), protobuf
// encoding with our schema, an OTLP client that shows the raw response, and API reads.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { otlpSchema } from '../src/telemetry/otlp/schema.js';

export function hexId(bytes: 16 | 8): string {
  return randomBytes(bytes).toString('hex');
}

export function nowNs(offsetMs = 0): bigint {
  return BigInt(Date.now() + offsetMs) * 1_000_000n;
}

export interface SpecSpanOptions {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startNs?: bigint;
  durationNs?: bigint;
  service?: string;
  attributes?: unknown[];
  status?: { code: number; message?: string };
}

/** A span as the specification's examples/trace.json writes one (OTLP/JSON). */
export function specSpan(o: SpecSpanOptions = {}): Record<string, unknown> {
  const start = o.startNs ?? nowNs(-1000);
  return {
    traceId: (o.traceId ?? hexId(16)).toUpperCase(),
    spanId: (o.spanId ?? hexId(8)).toUpperCase(),
    ...(o.parentSpanId ? { parentSpanId: o.parentSpanId.toUpperCase() } : {}),
    name: o.name ?? "I'm a server span",
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + (o.durationNs ?? 1_000_000_000n)).toString(),
    kind: o.kind ?? 2,
    attributes: o.attributes ?? [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
    ...(o.status ? { status: o.status } : {}),
  };
}

/** examples/trace.json: one resource, one scope, the given spans. */
export function specTraces(spans: Record<string, unknown>[], service = 'my.service'): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: {
              name: 'my.library',
              version: '1.0.0',
              attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'some scope attribute' } }],
            },
            spans,
          },
        ],
      },
    ],
  };
}

export interface SpecLogOptions {
  traceId?: string | undefined;
  spanId?: string | undefined;
  timeNs?: bigint;
  severityNumber?: number;
  severityText?: string;
  body?: string;
  attributes?: unknown[];
}

/** A log record as the specification's examples/logs.json writes one. */
export function specLog(o: SpecLogOptions = {}): Record<string, unknown> {
  const time = o.timeNs ?? nowNs(-1000);
  return {
    timeUnixNano: time.toString(),
    observedTimeUnixNano: time.toString(),
    severityNumber: o.severityNumber ?? 10,
    severityText: o.severityText ?? 'Information',
    ...(o.traceId ? { traceId: o.traceId.toUpperCase() } : {}),
    ...(o.spanId ? { spanId: o.spanId.toUpperCase() } : {}),
    body: { stringValue: o.body ?? 'Example log record' },
    attributes: o.attributes ?? [
      { key: 'string.attribute', value: { stringValue: 'some string' } },
      { key: 'boolean.attribute', value: { boolValue: true } },
      { key: 'int.attribute', value: { intValue: '10' } },
      { key: 'double.attribute', value: { doubleValue: 637.704 } },
      {
        key: 'array.attribute',
        value: { arrayValue: { values: [{ stringValue: 'many' }, { stringValue: 'values' }] } },
      },
      {
        key: 'map.attribute',
        value: { kvlistValue: { values: [{ key: 'some.map.key', value: { stringValue: 'some value' } }] } },
      },
    ],
  };
}

/** examples/logs.json: one resource, one scope, the given records. */
export function specLogs(logs: Record<string, unknown>[], service = 'my.service'): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ scope: { name: 'my.library', version: '1.0.0' }, logRecords: logs }],
      },
    ],
  };
}

/** OTLP/JSON → protobuf bytes with our schema (ids turned into bytes as the JSON mapping says). */
export function toProtobuf(signal: 'traces' | 'logs', json: Record<string, unknown>): Buffer {
  const schema = otlpSchema();
  const type = signal === 'traces' ? schema.exportTraceRequest : schema.exportLogsRequest;
  const ids = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(ids);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          ['traceId', 'spanId', 'parentSpanId'].includes(k) && typeof v === 'string' ? Buffer.from(v, 'hex') : ids(v),
        ]),
      );
    }
    return value;
  };
  return Buffer.from(type.encode(type.fromObject(ids(json) as Record<string, unknown>)).finish());
}

export interface OtlpResponse {
  status: number;
  headers: Headers;
  contentType: string;
  body: Buffer;
}

export async function postOtlp(
  otlpUrl: string,
  signal: 'traces' | 'logs',
  body: Buffer | string | Record<string, unknown>,
  options: { contentType?: string; gzip?: boolean; headers?: Record<string, string> } = {},
): Promise<OtlpResponse> {
  let bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? (Buffer.isBuffer(body) ? 'application/x-protobuf' : 'application/json'),
    ...options.headers,
  };
  if (options.gzip) {
    bytes = gzipSync(bytes);
    headers['content-encoding'] = 'gzip';
  }
  const response = await fetch(`${otlpUrl}/v1/${signal}`, { method: 'POST', headers, body: bytes });
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** The Export…ServiceResponse of a 200, decoded from either encoding. */
export function exportResult(signal: 'traces' | 'logs', response: OtlpResponse): { rejected: number; message: string } {
  if (response.contentType.startsWith('application/json')) {
    const json = JSON.parse(response.body.toString()) as {
      partialSuccess?: { rejectedSpans?: string; rejectedLogRecords?: string; errorMessage?: string };
    };
    const partial = json.partialSuccess;
    return {
      rejected: Number(partial?.rejectedSpans ?? partial?.rejectedLogRecords ?? 0),
      message: partial?.errorMessage ?? '',
    };
  }
  const schema = otlpSchema();
  const type = signal === 'traces' ? schema.exportTraceResponse : schema.exportLogsResponse;
  const decoded = type.toObject(type.decode(response.body), { longs: Number }) as {
    partialSuccess?: { rejectedSpans?: number; rejectedLogRecords?: number; errorMessage?: string };
  };
  const partial = decoded.partialSuccess;
  return {
    rejected: partial?.rejectedSpans ?? partial?.rejectedLogRecords ?? 0,
    message: partial?.errorMessage ?? '',
  };
}

/** The google.rpc.Status of an error response, decoded from either encoding. */
export function errorStatus(response: OtlpResponse): { code: number; message: string } {
  if (response.contentType.startsWith('application/json')) {
    return JSON.parse(response.body.toString()) as { code: number; message: string };
  }
  const type = otlpSchema().status;
  const decoded = type.toObject(type.decode(response.body)) as { code?: number; message?: string };
  return { code: decoded.code ?? 0, message: decoded.message ?? '' };
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ApiSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: string;
  start_ns: string;
  start_at: number;
  duration_ns: string;
  duration_ms: number;
  status: string;
  status_message: string;
  attributes: Record<string, unknown>;
  events: { time_ns: string; name: string; attributes: Record<string, unknown> }[];
  links: { trace_id: string; span_id: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
  log_count: number;
}

export interface ApiSummary {
  trace_id: string;
  root_service: string;
  root_operation: string;
  has_root: boolean;
  start_at: number;
  start_ns: string;
  duration_ns: string;
  duration_ms: number;
  span_count: number;
  error_count: number;
  services: { name: string; span_count: number; error_count: number }[];
}

export interface ApiTrace {
  trace_id: string;
  summary: ApiSummary;
  spans: ApiSpan[];
}

export interface ApiLog {
  id: number;
  time_at: number;
  time_ns: string;
  observed_time_ns: string;
  severity_number: number;
  severity_text: string;
  body: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  service: string;
  trace_id: string | null;
  span_id: string | null;
  scope_name: string;
}
