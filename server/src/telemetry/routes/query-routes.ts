// Trace and log query routes under /api/v1: thin, they validate (schemas), call the query
// services, and shape the reply.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../../errors.js';
import { otlpTraceRequest } from '../otlp/json-encode.js';
import { msToNs, nsToMs, parseAttributeFilter, parseDurationNs, parseSeverity } from '../query/filters.js';
import { decodeCursor, type LogQueries, VOLUME_GROUPS } from '../query/log-queries.js';
import { summarizeTrace, type TraceQueries } from '../query/trace-queries.js';
import { volumeStepNs } from '../query/volume-steps.js';
import type { LogFilter, LogTailHub } from '../tail/log-tail.js';
import { sendJson } from './json-reply.js';
import {
  AttributeKeysQuery,
  AttributeKeysSchema,
  AttributeValuesQuery,
  AttributeValuesSchema,
  CompactTraceSchema,
  LogPatternsQuery,
  LogPatternsResult,
  LogSearchQuery,
  LogSearchResult,
  LogTailQuery,
  LogVolumeQuery,
  LogVolumeResult,
  OperationsSchema,
  OtlpTraceQuery,
  OtlpTraceSchema,
  ServiceParams,
  TraceLogsQuery,
  TraceLogsResult,
  TraceParams,
  TraceSchema,
  TraceSearchQuery,
  TraceSearchResult,
} from './schemas.js';
import { openLogTail, type TailStreams } from './tail-stream.js';
import { compactTraceView, KIND_NAMES, spanView, storedLogView, summaryView } from './views.js';

const HOUR_MS = 3_600_000;

export interface QueryRouteOptions {
  traces: TraceQueries;
  logs: LogQueries;
  tails: LogTailHub;
  streams: TailStreams;
}

function timeRange(query: { from?: number | undefined; to?: number | undefined }): { fromNs: bigint; toNs: bigint } {
  const to = query.to ?? Date.now();
  const from = query.from ?? to - HOUR_MS;
  if (from >= to) {
    throw Errors.validation(`from (${from}) must be before to (${to})`, {
      fields: [{ path: '/querystring/from', message: 'must be before to' }],
    });
  }
  return { fromNs: msToNs(from), toNs: msToNs(to) };
}

function logFilter(query: {
  service?: string | undefined;
  min_severity?: string | undefined;
  contains?: string | undefined;
  pattern?: string | undefined;
  attribute?: string[] | undefined;
  trace_id?: string | undefined;
  span_id?: string | undefined;
}): LogFilter {
  return {
    service: query.service,
    minSeverity: query.min_severity === undefined ? undefined : parseSeverity(query.min_severity, 'min_severity'),
    contains: query.contains,
    pattern: query.pattern,
    attributes: (query.attribute ?? []).map((a) => parseAttributeFilter(a, 'attribute')),
    traceId: query.trace_id?.toLowerCase(),
    spanId: query.span_id?.toLowerCase(),
  };
}

export function queryRoutes(options: QueryRouteOptions): FastifyPluginAsyncTypebox {
  const { traces, logs, tails, streams } = options;
  return async (app) => {
    app.get(
      '/traces',
      {
        schema: {
          tags: ['traces'],
          summary: 'Search traces: those with a span matching every filter, newest first',
          querystring: TraceSearchQuery,
          response: { 200: TraceSearchResult },
        },
      },
      async (request) => {
        const q = request.query;
        const minDurationNs =
          q.min_duration === undefined ? undefined : parseDurationNs(q.min_duration, 'min_duration');
        const maxDurationNs =
          q.max_duration === undefined ? undefined : parseDurationNs(q.max_duration, 'max_duration');
        if (minDurationNs !== undefined && maxDurationNs !== undefined && minDurationNs > maxDurationNs) {
          throw Errors.validation('min_duration must not exceed max_duration', {
            fields: [{ path: '/querystring/min_duration', message: 'exceeds max_duration' }],
          });
        }
        const result = await traces.search({
          service: q.service,
          operation: q.operation,
          attributes: (q.attribute ?? []).map((a) => parseAttributeFilter(a, 'attribute')),
          minDurationNs,
          maxDurationNs,
          errorsOnly: q.errors_only ?? false,
          ...timeRange(q),
          limit: q.limit ?? 20,
        });
        return { traces: result.traces.map(summaryView), truncated: result.truncated };
      },
    );

    const wholeTrace = async (traceIdParam: string) => {
      const traceId = traceIdParam.toLowerCase();
      const spans = await traces.trace(traceId);
      if (!spans) throw Errors.notFound(`no span of trace ${traceId} is stored (it may have expired)`);
      return { traceId, spans, summary: summarizeTrace(traceId, spans) };
    };

    app.get(
      '/traces/:traceId',
      {
        schema: {
          tags: ['traces'],
          summary: 'A whole trace: its summary and every span',
          params: TraceParams,
          response: { 200: TraceSchema },
        },
      },
      async (request, reply) => {
        const { traceId, spans, summary } = await wholeTrace(request.params.traceId);
        return sendJson(request, reply, {
          trace_id: traceId,
          summary: summaryView(summary),
          spans: spans.map(spanView),
        });
      },
    );

    app.get(
      '/traces/:traceId/compact',
      {
        schema: {
          tags: ['traces'],
          summary: 'A whole trace, each resource and scope sent once and times as integer offsets',
          description:
            'The same spans as GET /traces/{traceId}, about half the size for a big trace: a span names its resource and scope by index into `resources` and `scopes`, starts at `summary.start_ns` + `start_offset_ns`, and leaves out an empty status message, events and links. The dashboard reads traces this way.',
          params: TraceParams,
          response: { 200: CompactTraceSchema },
        },
      },
      async (request, reply) => {
        const { traceId, spans, summary } = await wholeTrace(request.params.traceId);
        return sendJson(request, reply, compactTraceView(traceId, summary, spans));
      },
    );

    app.get(
      '/traces/:traceId/otlp',
      {
        schema: {
          tags: ['traces'],
          summary: 'A whole trace as OTLP/JSON, to keep or to send to any OTLP receiver',
          description:
            "The trace as an ExportTraceServiceRequest in the OTLP/JSON mapping, spans grouped by resource and scope: POST it to an OTLP/HTTP `/v1/traces` endpoint (this server's included) as it is. Values come back as stored: a double with an integral value as an intValue, an integer beyond 2^53 and bytes as stringValues; dropped-attribute counts, trace state and flags are not kept.",
          params: TraceParams,
          querystring: OtlpTraceQuery,
          response: { 200: OtlpTraceSchema },
        },
      },
      async (request, reply) => {
        const { traceId, spans } = await wholeTrace(request.params.traceId);
        if (request.query.download) {
          reply.header('content-disposition', `attachment; filename="trace-${traceId}.json"`);
        }
        return sendJson(request, reply, otlpTraceRequest(spans));
      },
    );

    app.get(
      '/traces/:traceId/logs',
      {
        schema: {
          tags: ['traces', 'logs'],
          summary: "A trace's log records (or one span's, with span_id), oldest first",
          params: TraceParams,
          querystring: TraceLogsQuery,
          response: { 200: TraceLogsResult },
        },
      },
      async (request) => {
        const traceId = request.params.traceId.toLowerCase();
        const found = await logs.ofTrace(traceId, request.query.span_id?.toLowerCase(), request.query.limit ?? 1000);
        return { trace_id: traceId, logs: found.map(storedLogView) };
      },
    );

    app.get(
      '/services/:name/operations',
      {
        schema: {
          tags: ['traces'],
          summary: 'Span names (operations) of a service, with their span kind',
          params: ServiceParams,
          response: { 200: OperationsSchema },
        },
      },
      async (request) => {
        const operations = await traces.operations(request.params.name);
        return {
          service: request.params.name,
          operations: operations.map((o) => ({
            name: o.name,
            span_kind: KIND_NAMES[o.kind] ?? 'unspecified',
            last_seen_at: o.lastSeenMs,
          })),
        };
      },
    );

    app.get(
      '/attributes',
      {
        schema: {
          tags: ['traces', 'logs'],
          summary: 'Attribute keys seen on spans or logs, for search suggestions',
          querystring: AttributeKeysQuery,
          response: { 200: AttributeKeysSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const keys = await traces.attributeKeys(q.signal ?? 'spans', {
          service: q.service,
          prefix: q.prefix,
          limit: q.limit ?? 100,
        });
        return { keys: keys.map((k) => ({ key: k.key, value_type: k.valueType })) };
      },
    );

    app.get(
      '/attributes/values',
      {
        schema: {
          tags: ['traces', 'logs'],
          summary: 'Recently seen values of an attribute key, for search suggestions',
          querystring: AttributeValuesQuery,
          response: { 200: AttributeValuesSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const values = await traces.attributeValues(q.signal ?? 'spans', q.key, {
          service: q.service,
          prefix: q.prefix,
          limit: q.limit ?? 50,
        });
        return { key: q.key, values };
      },
    );

    app.get(
      '/logs',
      {
        schema: {
          tags: ['logs'],
          summary: 'Search log records, newest first, a page at a time',
          querystring: LogSearchQuery,
          response: { 200: LogSearchResult },
        },
      },
      async (request) => {
        const q = request.query;
        const result = await logs.search({
          ...logFilter(q),
          ...timeRange(q),
          limit: q.limit ?? 100,
          cursor: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
        });
        return { logs: result.logs.map(storedLogView), next_cursor: result.nextCursor };
      },
    );

    app.get(
      '/logs/volume',
      {
        schema: {
          tags: ['logs'],
          summary: 'How many log records match, per step of the window and per severity (for a volume chart)',
          description: 'Same filters as /logs. Steps start at a multiple of the step, so they line up between calls.',
          querystring: LogVolumeQuery,
          response: { 200: LogVolumeResult },
        },
      },
      async (request) => {
        const q = request.query;
        const range = timeRange(q);
        const stepNs = volumeStepNs(
          range.fromNs,
          range.toNs,
          q.step === undefined ? undefined : parseDurationNs(q.step, 'step'),
        );
        const volume = await logs.volume({ ...logFilter(q), ...range, stepNs });
        const fromMs = nsToMs(volume.fromNs);
        const stepMs = nsToMs(volume.stepNs);
        const series = [...volume.counts]
          .sort(([a], [b]) => a - b)
          .map(([group, counts]) => ({ severity: VOLUME_GROUPS[group] ?? 'unspecified', counts }));
        return {
          from: fromMs,
          to: nsToMs(range.toNs),
          step_ms: stepMs,
          timestamps: Array.from({ length: volume.steps }, (_, i) => fromMs + i * stepMs),
          total: series.reduce((sum, s) => sum + s.counts.reduce((a, b) => a + b, 0), 0),
          series,
        };
      },
    );

    app.get(
      '/logs/patterns',
      {
        schema: {
          tags: ['logs'],
          summary:
            'The matching records grouped by pattern (their bodies with ids and numbers as <*>), most frequent first',
          description:
            'Same filters as /logs. Groups the newest `sample` matching records of the window; `complete` says whether that was all of them. A pattern passed back as `pattern` lists its records.',
          querystring: LogPatternsQuery,
          response: { 200: LogPatternsResult },
        },
      },
      async (request) => {
        const q = request.query;
        const filter = logFilter(q);
        const range = timeRange(q);
        const sample = q.sample ?? 5000;
        const windowNs = range.toNs - range.fromNs;
        const steps = { fromNs: range.fromNs, stepNs: (windowNs + 29n) / 30n || 1n, count: 30 };
        // The window before, as long as this one: what is new, and what grew. Both read at once
        // (on PostgreSQL, two connections of the pool).
        const fromBefore = range.fromNs - windowNs;
        const before = q.compare ? { fromNs: fromBefore > 0n ? fromBefore : 0n, toNs: range.fromNs } : null;
        const [result, previous] = await Promise.all([
          logs.patterns({ ...filter, ...range, sample, steps }),
          before ? logs.patterns({ ...filter, ...before, sample }) : null,
        ]);
        // Steps that end before the oldest record scanned were not read (only the newest were).
        const unread =
          result.complete || result.oldestNs === null ? 0 : Number((result.oldestNs - steps.fromNs) / steps.stepNs);
        const previousCounts = previous ? new Map(previous.patterns.map((p) => [p.template, p.count])) : null;
        return {
          scanned: result.scanned,
          complete: result.complete,
          previous:
            before && previous
              ? {
                  from: nsToMs(before.fromNs),
                  to: nsToMs(before.toNs),
                  scanned: previous.scanned,
                  complete: previous.complete,
                }
              : null,
          total_patterns: result.patterns.length,
          series_from: nsToMs(steps.fromNs),
          series_step_ms: nsToMs(steps.stepNs),
          patterns: result.patterns.slice(0, q.limit ?? 50).map((p) => ({
            pattern: p.template,
            count: p.count,
            series: p.series.map((n, i) => (i < unread ? null : n)),
            previous_count: previousCounts ? (previousCounts.get(p.template) ?? 0) : null,
            severity: VOLUME_GROUPS[Math.ceil(p.maxSeverity / 4)] ?? 'unspecified',
            max_severity_number: p.maxSeverity,
            services: p.services,
            first_at: nsToMs(p.firstNs),
            last_at: nsToMs(p.lastNs),
            example: {
              time_at: nsToMs(p.example.timeNs),
              time_ns: p.example.timeNs.toString(),
              severity_number: p.example.severityNumber,
              severity_text: p.example.severityText,
              body: p.example.body,
              service: p.example.service,
              trace_id: p.example.traceId,
              span_id: p.example.spanId,
            },
          })),
        };
      },
    );

    app.get(
      '/logs/tail',
      {
        schema: {
          tags: ['logs'],
          summary: 'Live tail over Server-Sent Events: `log` events (one record each, as in /logs without `id`)',
          description:
            'Same filters as /logs. Each record committed on this replica that matches is sent as `event: log`; a slow reader gets `event: dropped` with the count it missed. 429 when too many tails are open.',
          querystring: LogTailQuery,
          response: {
            200: {
              description: 'A stream of `log` events (JSON data) and `dropped` events ({ count })',
              content: { 'text/event-stream': { schema: Type.String() } },
            },
          },
        },
      },
      async (request, reply) => {
        openLogTail(request, reply, tails, streams, logFilter(request.query));
      },
    );
  };
}
