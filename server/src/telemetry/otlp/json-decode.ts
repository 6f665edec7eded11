// OTLP/JSON → records, following the OTLP JSON mapping: trace and span ids as case-insensitive
// hex, enums as integers, 64-bit integers as decimal strings (numbers accepted too), field names
// in lowerCamelCase. Like protobuf's JSON parsers, the original snake_case field names and enum
// value names are accepted as well, and unknown fields are ignored.
//
// A request whose envelope (resourceSpans / scopeSpans / spans arrays and their objects) is not
// the right shape cannot be decoded (400); a wrong value inside one record refuses that record.
import type { Attributes, AttributeValue, LogRecord, SpanEvent, SpanLink, SpanRecord } from '../model.js';
import { type LogBatch, type ResourceEntry, resourceEntry, type SpanBatch } from './batches.js';
import {
  checkNotFuture,
  checkTime,
  clip,
  finiteOrText,
  idFromHex,
  serviceOf,
  type TimeWindow,
  timeWindow,
  ValueBudget,
} from './checks.js';
import type { IngestLimits } from './limits.js';
import { bodyText } from './protobuf-decode.js';
import { InvalidRecord, Rejections, UndecodablePayload } from './rejections.js';

type Json = Record<string, unknown>;

function field(o: Json, camel: string, snake: string): unknown {
  const value = o[camel];
  return value !== undefined ? value : o[snake];
}

function object(value: unknown, what: string): Json | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidRecord(`${what} must be an object`);
  return value as Json;
}

function array(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidRecord(`${what} must be an array`);
  return value;
}

function string(value: unknown, what: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new InvalidRecord(`${what} must be a string`);
  return value;
}

const UNSIGNED = /^[0-9]{1,20}$/;
const MAX_U64 = (1n << 64n) - 1n;

function unsigned64(value: unknown, what: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && UNSIGNED.test(value)) {
    const n = BigInt(value);
    if (n <= MAX_U64) return n;
  }
  throw new InvalidRecord(`${what} must be an unsigned 64-bit integer as a decimal string, got ${clip(String(value))}`);
}

const SIGNED = /^-?[0-9]{1,19}$/;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

function signed64(value: unknown, what: string): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && SIGNED.test(value)) {
    const n = BigInt(value);
    if (n >= MIN_I64 && n <= MAX_I64) {
      const asNumber = Number(n);
      return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
    }
  }
  throw new InvalidRecord(`${what} must be a 64-bit integer, got ${clip(String(value))}`);
}

function double(value: unknown, what: string): number | string {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return finiteOrText(Number(value));
  }
  throw new InvalidRecord(`${what} must be a number, got ${clip(String(value))}`);
}

/** An enum field: its integer, or the name of one of its values. */
function enumeration(value: unknown, names: readonly string[], what: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index !== -1) return index;
  }
  throw new InvalidRecord(`${what} must be an enum integer, got ${clip(JSON.stringify(value))}`);
}

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map((n) => `SPAN_KIND_${n}`);
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'].map((n) => `STATUS_CODE_${n}`);
const SEVERITIES = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((n, i) =>
  i === 0 ? ['SEVERITY_NUMBER_UNSPECIFIED'] : ['', '2', '3', '4'].map((k) => `SEVERITY_NUMBER_${n}${k}`),
);

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function anyValue(raw: unknown, budget: ValueBudget, depth: number, what: string): AttributeValue {
  budget.value(depth, what);
  const v = object(raw, `${what} value`);
  if (v === null) return null;
  let value: unknown = field(v, 'stringValue', 'string_value');
  if (value !== undefined) return budget.text(string(value, `${what} stringValue`), what);
  value = field(v, 'boolValue', 'bool_value');
  if (value !== undefined) {
    if (typeof value !== 'boolean') throw new InvalidRecord(`${what} boolValue must be true or false`);
    return value;
  }
  value = field(v, 'intValue', 'int_value');
  if (value !== undefined) return signed64(value, `${what} intValue`);
  value = field(v, 'doubleValue', 'double_value');
  if (value !== undefined) return double(value, `${what} doubleValue`);
  value = field(v, 'arrayValue', 'array_value');
  if (value !== undefined) {
    const values = array(object(value, `${what} arrayValue`)?.values, `${what} arrayValue.values`);
    return values.map((member) => anyValue(member, budget, depth + 1, what));
  }
  value = field(v, 'kvlistValue', 'kvlist_value');
  if (value !== undefined) {
    const values = array(object(value, `${what} kvlistValue`)?.values, `${what} kvlistValue.values`);
    return keyValues(values, budget, depth + 1, what);
  }
  value = field(v, 'bytesValue', 'bytes_value');
  if (value !== undefined) {
    const text = string(value, `${what} bytesValue`);
    if (!BASE64.test(text)) throw new InvalidRecord(`${what} bytesValue must be base64`);
    return budget.text(text, what);
  }
  return null;
}

function keyValues(list: unknown[], budget: ValueBudget, depth: number, what: string): Attributes {
  const out: Attributes = {};
  for (const item of list) {
    const kv = object(item, `${what} attribute`);
    if (kv === null) throw new InvalidRecord(`${what} attribute must be an object`);
    const key = budget.key(string(kv.key, `${what} attribute key`), what);
    out[key] = anyValue(kv.value, budget, depth, `${what} attribute "${clip(key)}"`);
  }
  return out;
}

function attributeSet(raw: unknown, budget: ValueBudget, what: string): Attributes {
  const list = array(raw, `${what} attributes`);
  budget.begin(list.length, what);
  return keyValues(list, budget, 0, what);
}

function resourceOf(raw: unknown, budget: ValueBudget): ResourceEntry {
  const resource = object(raw, 'resource');
  const attributes = attributeSet(resource?.attributes, budget, 'resource');
  return resourceEntry(attributes, serviceOf(attributes, budget));
}

interface Scope {
  name: string;
  version: string;
}

function scopeOf(raw: unknown, budget: ValueBudget): Scope {
  const scope = object(raw, 'scope');
  return {
    name: budget.name(string(scope?.name, 'scope name'), 'scope name'),
    version: budget.name(string(scope?.version, 'scope version'), 'scope version'),
  };
}

function parse(body: Uint8Array): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
  } catch (error) {
    throw new UndecodablePayload(`the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UndecodablePayload('the body must be a JSON object (an Export…ServiceRequest)');
  }
  return parsed as Json;
}

/** The envelope's arrays and objects; a wrong shape there makes the whole request undecodable. */
function envelopeArray(o: Json, camel: string, snake: string, where: string): Json[] {
  const value = field(o, camel, snake);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UndecodablePayload(`${where}.${camel} must be an array`);
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new UndecodablePayload(`${where}.${camel}[${i}] must be an object`);
    }
    return item as Json;
  });
}

function span(raw: Json, resource: ResourceEntry, scope: Scope, budget: ValueBudget, window: TimeWindow): SpanRecord {
  const traceId = idFromHex(field(raw, 'traceId', 'trace_id'), 16, 'traceId');
  const spanId = idFromHex(field(raw, 'spanId', 'span_id'), 8, 'spanId');
  const parent = field(raw, 'parentSpanId', 'parent_span_id');
  const parentSpanId =
    parent === undefined || parent === null || parent === '' ? null : idFromHex(parent, 8, 'parentSpanId');
  const kind = enumeration(raw.kind, SPAN_KINDS, 'kind');
  if (kind < 0 || kind > 5) throw new InvalidRecord(`kind ${kind} is not a SpanKind (0..5)`);
  const startNs = unsigned64(field(raw, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano');
  const endNs = unsigned64(field(raw, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano');
  checkTime(startNs, window, 'startTimeUnixNano');
  if (endNs < startNs) throw new InvalidRecord('endTimeUnixNano is before startTimeUnixNano');
  checkNotFuture(endNs, window, 'endTimeUnixNano');
  const status = object(raw.status, 'status');
  const statusCode = enumeration(status?.code, STATUS_CODES, 'status.code');
  if (statusCode < 0 || statusCode > 2) throw new InvalidRecord(`status.code ${statusCode} is not a StatusCode (0..2)`);
  const limits = budget.limits;
  const rawEvents = array(raw.events, 'events');
  if (rawEvents.length > limits.maxEvents) {
    throw new InvalidRecord(`span has ${rawEvents.length} events, more than ${limits.maxEvents}`);
  }
  const rawLinks = array(raw.links, 'links');
  if (rawLinks.length > limits.maxLinks) {
    throw new InvalidRecord(`span has ${rawLinks.length} links, more than ${limits.maxLinks}`);
  }
  const events: SpanEvent[] = rawEvents.map((item) => {
    const e = object(item, 'event') ?? {};
    return {
      timeNs: unsigned64(field(e, 'timeUnixNano', 'time_unix_nano'), 'event timeUnixNano'),
      name: budget.name(string(e.name, 'event name'), 'event name'),
      attributes: attributeSet(e.attributes, budget, 'event'),
    };
  });
  const links: SpanLink[] = rawLinks.map((item) => {
    const l = object(item, 'link') ?? {};
    return {
      traceId: idFromHex(field(l, 'traceId', 'trace_id'), 16, 'link traceId'),
      spanId: idFromHex(field(l, 'spanId', 'span_id'), 8, 'link spanId'),
      attributes: attributeSet(l.attributes, budget, 'link'),
    };
  });
  return {
    traceId,
    spanId,
    parentSpanId,
    service: resource.service,
    name: budget.name(string(raw.name, 'name'), 'span name'),
    kind: kind as SpanRecord['kind'],
    startNs,
    durationNs: endNs - startNs,
    statusCode: statusCode as SpanRecord['statusCode'],
    statusMessage: budget.text(string(status?.message, 'status.message'), 'status message'),
    attributes: attributeSet(raw.attributes, budget, 'span'),
    events,
    links,
    resource: resource.attributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
  };
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest; throws UndecodablePayload when it is not one. */
export function decodeTracesJson(body: Uint8Array, limits: IngestLimits, nowMs = Date.now()): SpanBatch {
  const request = parse(body);
  const window = timeWindow(limits, nowMs);
  const budget = new ValueBudget(limits);
  const rejections = new Rejections();
  const batch: SpanBatch = { spans: [], resourceIds: [], resources: [], received: 0, rejections };
  envelopeArray(request, 'resourceSpans', 'resource_spans', 'request').forEach((rs, r) => {
    const where = `resourceSpans[${r}]`;
    const scopes = envelopeArray(rs, 'scopeSpans', 'scope_spans', where).map((ss, s) => ({
      raw: ss,
      spans: envelopeArray(ss, 'spans', 'spans', `${where}.scopeSpans[${s}]`),
    }));
    const count = scopes.reduce((n, ss) => n + ss.spans.length, 0);
    batch.received += count;
    let resource: ResourceEntry;
    try {
      resource = resourceOf(rs.resource, budget);
    } catch (error) {
      if (!(error instanceof InvalidRecord)) throw error;
      if (count > 0) rejections.add(error.message, where, count);
      return;
    }
    let used = false;
    scopes.forEach((ss, s) => {
      let scope: Scope;
      try {
        scope = scopeOf(ss.raw.scope, budget);
      } catch (error) {
        if (!(error instanceof InvalidRecord)) throw error;
        if (ss.spans.length > 0) rejections.add(error.message, `${where}.scopeSpans[${s}]`, ss.spans.length);
        return;
      }
      ss.spans.forEach((raw, i) => {
        try {
          batch.spans.push(span(raw, resource, scope, budget, window));
          batch.resourceIds.push(resource.id);
          used = true;
        } catch (error) {
          if (!(error instanceof InvalidRecord)) throw error;
          rejections.add(error.message, `${where}.scopeSpans[${s}].spans[${i}]`);
        }
      });
    });
    if (used) batch.resources.push(resource);
  });
  return batch;
}

function logRecord(
  raw: Json,
  resource: ResourceEntry,
  scope: Scope,
  budget: ValueBudget,
  bodyBudget: ValueBudget,
  window: TimeWindow,
): LogRecord {
  const observedNs = unsigned64(field(raw, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano');
  const timeNs = unsigned64(field(raw, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano') || observedNs || window.nowNs;
  checkTime(timeNs, window, 'timeUnixNano');
  const severityNumber = enumeration(field(raw, 'severityNumber', 'severity_number'), SEVERITIES, 'severityNumber');
  if (severityNumber < 0 || severityNumber > 24) {
    throw new InvalidRecord(`severityNumber ${severityNumber} is not a SeverityNumber (0..24)`);
  }
  checkNotFuture(observedNs, window, 'observedTimeUnixNano');
  // A string body may be longer than an attribute value: it has a budget of its own.
  bodyBudget.begin(1, 'body');
  const body = bodyText(anyValue(raw.body, bodyBudget, 0, 'body'));
  if (body.length > budget.limits.maxBodyLength) {
    throw new InvalidRecord(`body is ${body.length} characters, more than ${budget.limits.maxBodyLength}`);
  }
  const traceId = field(raw, 'traceId', 'trace_id');
  const spanId = field(raw, 'spanId', 'span_id');
  return {
    timeNs,
    observedTimeNs: observedNs || window.nowNs,
    severityNumber,
    severityText: budget.name(string(field(raw, 'severityText', 'severity_text'), 'severityText'), 'severityText'),
    body,
    attributes: attributeSet(raw.attributes, budget, 'log record'),
    resource: resource.attributes,
    service: resource.service,
    traceId: traceId === undefined || traceId === null || traceId === '' ? null : idFromHex(traceId, 16, 'traceId'),
    spanId: spanId === undefined || spanId === null || spanId === '' ? null : idFromHex(spanId, 8, 'spanId'),
    scopeName: scope.name,
  };
}

/** Decodes an OTLP/JSON ExportLogsServiceRequest; throws UndecodablePayload when it is not one. */
export function decodeLogsJson(body: Uint8Array, limits: IngestLimits, nowMs = Date.now()): LogBatch {
  const request = parse(body);
  const window = timeWindow(limits, nowMs);
  const budget = new ValueBudget(limits);
  const bodyBudget = new ValueBudget({ ...limits, maxValueLength: limits.maxBodyLength });
  const rejections = new Rejections();
  const batch: LogBatch = { logs: [], resourceIds: [], resources: [], received: 0, rejections };
  envelopeArray(request, 'resourceLogs', 'resource_logs', 'request').forEach((rl, r) => {
    const where = `resourceLogs[${r}]`;
    const scopes = envelopeArray(rl, 'scopeLogs', 'scope_logs', where).map((sl, s) => ({
      raw: sl,
      logs: envelopeArray(sl, 'logRecords', 'log_records', `${where}.scopeLogs[${s}]`),
    }));
    const count = scopes.reduce((n, sl) => n + sl.logs.length, 0);
    batch.received += count;
    let resource: ResourceEntry;
    try {
      resource = resourceOf(rl.resource, budget);
    } catch (error) {
      if (!(error instanceof InvalidRecord)) throw error;
      if (count > 0) rejections.add(error.message, where, count);
      return;
    }
    let used = false;
    scopes.forEach((sl, s) => {
      let scope: Scope;
      try {
        scope = scopeOf(sl.raw.scope, budget);
      } catch (error) {
        if (!(error instanceof InvalidRecord)) throw error;
        if (sl.logs.length > 0) rejections.add(error.message, `${where}.scopeLogs[${s}]`, sl.logs.length);
        return;
      }
      sl.logs.forEach((raw, i) => {
        try {
          batch.logs.push(logRecord(raw, resource, scope, budget, bodyBudget, window));
          batch.resourceIds.push(resource.id);
          used = true;
        } catch (error) {
          if (!(error instanceof InvalidRecord)) throw error;
          rejections.add(error.message, `${where}.scopeLogs[${s}].logRecords[${i}]`);
        }
      });
    });
    if (used) batch.resources.push(resource);
  });
  return batch;
}
