// pino for the service: every line carries trace_id and span_id of the active span (so a log line
// leads to its trace), and every record is also handed to the agent's log export as an OTLP log
// record bound to the same span.
//
// The record is built from the log call's own arguments (pino's logMethod hook), not by parsing
// the JSON line back: that would cost the host a JSON.parse of every line it writes. It goes to
// the export queue as a finished record (the shape the OTLP serializer reads) rather than through
// the Logs SDK's Logger, whose per-record copy and validation of every attribute cost the host
// about 2 µs a line in the agent-overhead bench, for limits that a line's fields do not need.
import { format } from 'node:util';
import { context, type Span, type SpanContext, trace } from '@opentelemetry/api';
import { type AnyValue, type AnyValueMap, SeverityNumber } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

/** Bindings pino adds to every line that the resource already says (process.pid, host.name). */
const RESOURCE_BINDINGS = new Set(['pid', 'hostname']);

/** pino levels → OTLP severity numbers (the specification's mapping table). */
export function severityOf(level: number): SeverityNumber {
  if (level >= 60) return SeverityNumber.FATAL;
  if (level >= 50) return SeverityNumber.ERROR;
  if (level >= 40) return SeverityNumber.WARN;
  if (level >= 30) return SeverityNumber.INFO;
  if (level >= 20) return SeverityNumber.DEBUG;
  return SeverityNumber.TRACE;
}

/**
 * The active span's context when it names a real trace. A recording span was made by the SDK,
 * whose ids are valid by construction; only the others (remote or wrapped contexts) pay for the
 * API's regular-expression check.
 */
function activeSpanContext(): SpanContext | undefined {
  const span: Span | undefined = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  return span.isRecording() || trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** pino mixin: the active span's ids, in the field names the control plane's log search reads. */
export function traceFields(): Record<string, string> {
  const spanContext = activeSpanContext();
  if (spanContext === undefined) return {};
  const flags = spanContext.traceFlags;
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: flags === 1 ? '01' : `0${flags.toString(16)}`.slice(-2),
  };
}

/** Where log records go: the agent's bounded log queue, with the resource and scope they carry. */
export interface LogExport {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  push(record: ReadableLogRecord): void;
}

export interface CreateLoggerOptions {
  /** Also export records (undefined when telemetry is off). */
  logExport: LogExport | undefined;
}

/**
 * A pino logger writing JSON lines to `destination` (stdout by default) with trace ids, and
 * exporting each record as OTLP. Pass it to Fastify as `loggerInstance`.
 */
export function createPinoLogger(
  options: LoggerOptions,
  destination: DestinationStream | undefined,
  { logExport }: CreateLoggerOptions,
): Logger {
  const level = options.level ?? 'info';
  const userMixin = options.mixin;
  const mixin: LoggerOptions['mixin'] = userMixin
    ? (merge, number, logger) => ({ ...userMixin(merge, number, logger), ...traceFields() })
    : traceFields;
  const hooks = logExport
    ? { ...options.hooks, logMethod: exportingLogMethod(logExport, options.hooks?.logMethod) }
    : options.hooks;
  const merged: LoggerOptions = { ...options, level, mixin };
  if (hooks) merged.hooks = hooks;
  const logger = pino(merged, destination ?? pino.destination(1));
  if (logExport) trackBindings(logger);
  return logger;
}

type LogMethodHook = NonNullable<NonNullable<LoggerOptions['hooks']>['logMethod']>;

/** Writes the line as usual, then exports the same record. */
function exportingLogMethod(logExport: LogExport, userHook: LogMethodHook | undefined): LogMethodHook {
  return function logMethod(this: Logger, args, method, level) {
    if (userHook) userHook.call(this, args, method, level);
    else method.apply(this, args);
    try {
      logExport.push(buildRecord(logExport, this, args as unknown[], level));
    } catch {
      // A record that cannot be exported must never break the service's logging.
    }
  };
}

function buildRecord(logExport: LogExport, logger: Logger, args: unknown[], level: number): ReadableLogRecord {
  const attributes: AnyValueMap = {};
  const [first, ...rest] = args;
  let message: unknown;
  if (first instanceof Error) {
    Object.assign(attributes, exceptionAttributes(first));
    message = rest.length > 0 ? rest.shift() : first.message;
  } else if (first !== null && typeof first === 'object') {
    const fields = first as Record<string, unknown>;
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined || typeof value === 'function') continue;
      if (value instanceof Error && (key === 'err' || key === 'error'))
        Object.assign(attributes, exceptionAttributes(value));
      else attributes[key] = toAnyValue(value);
    }
    message = rest.shift();
  } else {
    message = first === undefined ? rest.shift() : first;
  }
  // Bindings, nearest generation first; the call's own fields win over all of them.
  for (let node = bindingsByLogger.get(logger); node !== undefined; node = node.parent) {
    const own = node.own;
    for (const key in own) {
      const value = own[key];
      if (value !== undefined && !(key in attributes)) attributes[key] = toAnyValue(value);
    }
  }
  const body =
    typeof message === 'string'
      ? rest.length > 0
        ? format(message, ...rest)
        : message
      : message == null
        ? ''
        : String(message);
  // Time and trace context are the log call's: now, and the span active around it.
  const now = Date.now();
  const time: [number, number] = [Math.trunc(now / 1000), (now % 1000) * 1e6];
  return {
    hrTime: time,
    hrTimeObserved: time,
    spanContext: activeSpanContext(),
    severityNumber: severityOf(level),
    severityText: logger.levels.labels[level] ?? String(level),
    body,
    attributes,
    droppedAttributesCount: 0,
    resource: logExport.resource,
    instrumentationScope: logExport.scope,
  };
}

/**
 * Each logger's own bindings (e.g. Fastify's per-request reqId) and its parent's, kept as the
 * objects they were given: pino holds them only as a JSON fragment, and parsing it back
 * (logger.bindings()) for every record would cost more than the rest of the export. Children
 * are created from their parent's prototype, so the root's `child` wrapper serves every
 * descendant; a child costs one map entry, and the chain is walked only when a record is made.
 */
interface Bindings {
  parent: Bindings | undefined;
  own: Record<string, unknown>;
}

const bindingsByLogger = new WeakMap<object, Bindings>();

function trackBindings(root: Logger): void {
  bindingsByLogger.set(root, { parent: undefined, own: withoutResourceBindings(root.bindings()) });
  const originalChild = root.child;
  root.child = function child(this: Logger, bindings, options) {
    const made = originalChild.call(this, bindings, options);
    bindingsByLogger.set(made, { parent: bindingsByLogger.get(this), own: bindings });
    return made;
  } as Logger['child'];
}

function withoutResourceBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in bindings) if (!RESOURCE_BINDINGS.has(key)) out[key] = bindings[key];
  return out;
}

function exceptionAttributes(error: Error): AnyValueMap {
  const out: AnyValueMap = { 'exception.type': error.name, 'exception.message': error.message };
  if (error.stack) out['exception.stacktrace'] = error.stack;
  return out;
}

/** Log attribute values as OTLP takes them: JSON-like values pass, the rest become strings. */
function toAnyValue(value: unknown): AnyValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toAnyValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: AnyValueMap = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = toAnyValue(item);
    return out;
  }
  return String(value);
}
