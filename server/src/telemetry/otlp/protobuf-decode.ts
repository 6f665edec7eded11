// OTLP protobuf → records. protobufjs decodes the request (its generated decoder is fast);
// this maps the decoded messages straight to SpanRecord / LogRecord, checking each record
// against the limits, without `toObject` (which would double the cost).
import type { Attributes, AttributeValue, LogRecord, SpanEvent, SpanLink, SpanRecord } from '../model.js';
import { type LogBatch, type ResourceEntry, resourceEntry, type SpanBatch } from './batches.js';
import {
  checkNotFuture,
  checkTime,
  finiteOrText,
  idFromBytes,
  serviceOf,
  type TimeWindow,
  timeWindow,
  ValueBudget,
} from './checks.js';
import type { IngestLimits } from './limits.js';
import { InvalidRecord, Rejections, UndecodablePayload } from './rejections.js';
import { otlpSchema } from './schema.js';

// The shapes protobufjs produces for our schema (camelCase fields, defaults on the prototype,
// 64-bit integers as Long, bytes as Buffer, `value` naming the set member of the oneof).
interface PbLong {
  low: number;
  high: number;
  toNumber(): number;
  toString(): string;
}
interface PbAnyValue {
  value?: string;
  stringValue: string;
  boolValue: boolean;
  intValue: PbLong | number;
  doubleValue: number;
  arrayValue: { values: PbAnyValue[] } | null;
  kvlistValue: { values: PbKeyValue[] } | null;
  bytesValue: Uint8Array;
}
interface PbKeyValue {
  key: string;
  value: PbAnyValue | null;
}
interface PbResource {
  attributes: PbKeyValue[];
}
interface PbScope {
  name: string;
  version: string;
}
interface PbEvent {
  timeUnixNano: PbLong | number;
  name: string;
  attributes: PbKeyValue[];
}
interface PbLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  attributes: PbKeyValue[];
}
interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: PbLong | number;
  endTimeUnixNano: PbLong | number;
  attributes: PbKeyValue[];
  events: PbEvent[];
  links: PbLink[];
  status: { code: number; message: string } | null;
}
interface PbLogRecord {
  timeUnixNano: PbLong | number;
  observedTimeUnixNano: PbLong | number;
  severityNumber: number;
  severityText: string;
  body: PbAnyValue | null;
  attributes: PbKeyValue[];
  traceId: Uint8Array;
  spanId: Uint8Array;
}
interface PbTraceRequest {
  resourceSpans: { resource: PbResource | null; scopeSpans: { scope: PbScope | null; spans: PbSpan[] }[] }[];
}
interface PbLogsRequest {
  resourceLogs: { resource: PbResource | null; scopeLogs: { scope: PbScope | null; logRecords: PbLogRecord[] }[] }[];
}

function unsigned64(value: PbLong | number): bigint {
  if (typeof value === 'number') return BigInt(value);
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/** int64 attribute values: a number when exact, else the decimal text (never a rounded number). */
function signed64(value: PbLong | number): number | string {
  if (typeof value === 'number') return value;
  const n = value.toNumber();
  return Number.isSafeInteger(n) ? n : value.toString();
}

function anyValue(v: PbAnyValue | null, budget: ValueBudget, depth: number, what: string): AttributeValue {
  budget.value(depth, what);
  if (v === null) return null;
  switch (v.value) {
    case 'stringValue':
      return budget.text(v.stringValue, what);
    case 'boolValue':
      return v.boolValue;
    case 'intValue':
      return signed64(v.intValue);
    case 'doubleValue':
      return finiteOrText(v.doubleValue);
    case 'arrayValue': {
      const values = v.arrayValue?.values ?? [];
      const out: AttributeValue[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i] ?? null, budget, depth + 1, what);
      return out;
    }
    case 'kvlistValue':
      return keyValues(v.kvlistValue?.values ?? [], budget, depth + 1, what);
    case 'bytesValue':
      return budget.text(Buffer.from(v.bytesValue).toString('base64'), what);
    default:
      return null;
  }
}

function keyValues(list: PbKeyValue[], budget: ValueBudget, depth: number, what: string): Attributes {
  const out: Attributes = {};
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as PbKeyValue;
    out[budget.key(kv.key, what)] = anyValue(kv.value, budget, depth, what);
  }
  return out;
}

function attributeSet(list: PbKeyValue[], budget: ValueBudget, what: string): Attributes {
  budget.begin(list.length, what);
  return keyValues(list, budget, 0, what);
}

function resourceOf(resource: PbResource | null, budget: ValueBudget): ResourceEntry {
  const attributes = attributeSet(resource?.attributes ?? [], budget, 'resource');
  return resourceEntry(attributes, serviceOf(attributes, budget));
}

function decode<T>(type: ReturnType<typeof otlpSchema>['exportTraceRequest'], body: Uint8Array): T {
  try {
    return type.decode(body) as unknown as T;
  } catch (error) {
    // protobufjs throws on truncated input and wrong wire types; absurdly deep nesting ends in
    // a RangeError from the stack. Either way the payload cannot be decoded.
    throw new UndecodablePayload(`the protobuf payload cannot be decoded: ${(error as Error).message}`);
  }
}

function span(pb: PbSpan, resource: ResourceEntry, scope: PbScope | null, budget: ValueBudget, window: TimeWindow) {
  const traceId = idFromBytes(pb.traceId, 16, 'trace_id');
  const spanId = idFromBytes(pb.spanId, 8, 'span_id');
  const parentSpanId = pb.parentSpanId.length === 0 ? null : idFromBytes(pb.parentSpanId, 8, 'parent_span_id');
  if (pb.kind < 0 || pb.kind > 5) throw new InvalidRecord(`kind ${pb.kind} is not a SpanKind (0..5)`);
  const startNs = unsigned64(pb.startTimeUnixNano);
  const endNs = unsigned64(pb.endTimeUnixNano);
  checkTime(startNs, window, 'start_time_unix_nano');
  if (endNs < startNs) throw new InvalidRecord('end_time_unix_nano is before start_time_unix_nano');
  checkNotFuture(endNs, window, 'end_time_unix_nano');
  const statusCode = pb.status?.code ?? 0;
  if (statusCode < 0 || statusCode > 2) throw new InvalidRecord(`status.code ${statusCode} is not a StatusCode (0..2)`);
  const limits = budget.limits;
  if (pb.events.length > limits.maxEvents) {
    throw new InvalidRecord(`span has ${pb.events.length} events, more than ${limits.maxEvents}`);
  }
  if (pb.links.length > limits.maxLinks) {
    throw new InvalidRecord(`span has ${pb.links.length} links, more than ${limits.maxLinks}`);
  }
  const events: SpanEvent[] = new Array(pb.events.length);
  for (let i = 0; i < pb.events.length; i++) {
    const e = pb.events[i] as PbEvent;
    events[i] = {
      timeNs: unsigned64(e.timeUnixNano),
      name: budget.name(e.name, 'event name'),
      attributes: attributeSet(e.attributes, budget, 'event'),
    };
  }
  const links: SpanLink[] = new Array(pb.links.length);
  for (let i = 0; i < pb.links.length; i++) {
    const l = pb.links[i] as PbLink;
    links[i] = {
      traceId: idFromBytes(l.traceId, 16, 'link trace_id'),
      spanId: idFromBytes(l.spanId, 8, 'link span_id'),
      attributes: attributeSet(l.attributes, budget, 'link'),
    };
  }
  const record: SpanRecord = {
    traceId,
    spanId,
    parentSpanId,
    service: resource.service,
    name: budget.name(pb.name, 'span name'),
    kind: pb.kind as SpanRecord['kind'],
    startNs,
    durationNs: endNs - startNs,
    statusCode: statusCode as SpanRecord['statusCode'],
    statusMessage: budget.text(pb.status?.message ?? '', 'status message'),
    attributes: attributeSet(pb.attributes, budget, 'span'),
    events,
    links,
    resource: resource.attributes,
    scopeName: budget.name(scope?.name ?? '', 'scope name'),
    scopeVersion: budget.name(scope?.version ?? '', 'scope version'),
  };
  return record;
}

/** Decodes an ExportTraceServiceRequest; throws UndecodablePayload when it is not one. */
export function decodeTraces(body: Uint8Array, limits: IngestLimits, nowMs = Date.now()): SpanBatch {
  const request = decode<PbTraceRequest>(otlpSchema().exportTraceRequest, body);
  const window = timeWindow(limits, nowMs);
  const budget = new ValueBudget(limits);
  const rejections = new Rejections();
  const batch: SpanBatch = { spans: [], resourceIds: [], resources: [], received: 0, rejections };
  request.resourceSpans.forEach((rs, r) => {
    const count = rs.scopeSpans.reduce((n, ss) => n + ss.spans.length, 0);
    batch.received += count;
    let resource: ResourceEntry;
    try {
      resource = resourceOf(rs.resource, budget);
    } catch (error) {
      if (!(error instanceof InvalidRecord)) throw error;
      if (count > 0) rejections.add(error.message, `resource_spans[${r}]`, count);
      return;
    }
    let used = false;
    rs.scopeSpans.forEach((ss, s) => {
      for (let i = 0; i < ss.spans.length; i++) {
        try {
          batch.spans.push(span(ss.spans[i] as PbSpan, resource, ss.scope, budget, window));
          batch.resourceIds.push(resource.id);
          used = true;
        } catch (error) {
          if (!(error instanceof InvalidRecord)) throw error;
          rejections.add(error.message, `resource_spans[${r}].scope_spans[${s}].spans[${i}]`);
        }
      }
    });
    if (used) batch.resources.push(resource);
  });
  return batch;
}

/** A log body as text: strings as they are, anything else as JSON. */
export function bodyText(value: AttributeValue): string {
  if (value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function logRecord(
  pb: PbLogRecord,
  resource: ResourceEntry,
  scope: PbScope | null,
  budget: ValueBudget,
  bodyBudget: ValueBudget,
  window: TimeWindow,
): LogRecord {
  const observedNs = unsigned64(pb.observedTimeUnixNano);
  // OTLP: a zero time means unknown; fall back to when it was observed, then to now.
  const timeNs = unsigned64(pb.timeUnixNano) || observedNs || window.nowNs;
  checkTime(timeNs, window, 'time_unix_nano');
  if (pb.severityNumber < 0 || pb.severityNumber > 24) {
    throw new InvalidRecord(`severity_number ${pb.severityNumber} is not a SeverityNumber (0..24)`);
  }
  checkNotFuture(observedNs, window, 'observed_time_unix_nano');
  // A string body may be longer than an attribute value: it has a budget of its own.
  bodyBudget.begin(1, 'body');
  const body = bodyText(anyValue(pb.body, bodyBudget, 0, 'body'));
  if (body.length > budget.limits.maxBodyLength) {
    throw new InvalidRecord(`body is ${body.length} characters, more than ${budget.limits.maxBodyLength}`);
  }
  return {
    timeNs,
    observedTimeNs: observedNs || window.nowNs,
    severityNumber: pb.severityNumber,
    severityText: budget.name(pb.severityText, 'severity_text'),
    body,
    attributes: attributeSet(pb.attributes, budget, 'log record'),
    resource: resource.attributes,
    service: resource.service,
    traceId: pb.traceId.length === 0 ? null : idFromBytes(pb.traceId, 16, 'trace_id'),
    spanId: pb.spanId.length === 0 ? null : idFromBytes(pb.spanId, 8, 'span_id'),
    scopeName: budget.name(scope?.name ?? '', 'scope name'),
  };
}

/** Decodes an ExportLogsServiceRequest; throws UndecodablePayload when it is not one. */
export function decodeLogs(body: Uint8Array, limits: IngestLimits, nowMs = Date.now()): LogBatch {
  const request = decode<PbLogsRequest>(otlpSchema().exportLogsRequest, body);
  const window = timeWindow(limits, nowMs);
  const budget = new ValueBudget(limits);
  const bodyBudget = new ValueBudget({ ...limits, maxValueLength: limits.maxBodyLength });
  const rejections = new Rejections();
  const batch: LogBatch = { logs: [], resourceIds: [], resources: [], received: 0, rejections };
  request.resourceLogs.forEach((rl, r) => {
    const count = rl.scopeLogs.reduce((n, sl) => n + sl.logRecords.length, 0);
    batch.received += count;
    let resource: ResourceEntry;
    try {
      resource = resourceOf(rl.resource, budget);
    } catch (error) {
      if (!(error instanceof InvalidRecord)) throw error;
      if (count > 0) rejections.add(error.message, `resource_logs[${r}]`, count);
      return;
    }
    let used = false;
    rl.scopeLogs.forEach((sl, s) => {
      for (let i = 0; i < sl.logRecords.length; i++) {
        try {
          batch.logs.push(logRecord(sl.logRecords[i] as PbLogRecord, resource, sl.scope, budget, bodyBudget, window));
          batch.resourceIds.push(resource.id);
          used = true;
        } catch (error) {
          if (!(error instanceof InvalidRecord)) throw error;
          rejections.add(error.message, `resource_logs[${r}].scope_logs[${s}].log_records[${i}]`);
        }
      }
    });
    if (used) batch.resources.push(resource);
  });
  return batch;
}
