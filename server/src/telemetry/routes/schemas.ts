// Route schemas of the trace and log API (TypeBox): request validation, response
// serialization and the OpenAPI document. Times: `*_at` epoch milliseconds; spans and logs
// also carry exact nanoseconds as decimal strings (`*_ns`).
import { Type } from 'typebox';
import { DURATION_NS_PATTERN } from '../query/filters.js';

const TRACE_ID = '^[0-9a-fA-F]{32}$';
const SPAN_ID = '^[0-9a-fA-F]{16}$';
const Nanos = (description: string) => Type.String({ pattern: '^[0-9]+$', description });
const Millis = (description: string) => Type.Integer({ description });
const AttributesSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings',
});
const AttributeFilters = Type.Array(Type.String({ minLength: 3, maxLength: 1024 }), {
  maxItems: 16,
  description:
    'Repeatable `key=value` filter on span (or log) and resource attributes, typed: `true`/`false` are booleans, numerals numbers, anything else (or "quoted") a string',
});
const TimeRange = {
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'Start, epoch ms (default: one hour before `to`)' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'End (exclusive), epoch ms (default: now)' })),
};

export const SpanKindName = Type.Union([
  Type.Literal('unspecified'),
  Type.Literal('internal'),
  Type.Literal('server'),
  Type.Literal('client'),
  Type.Literal('producer'),
  Type.Literal('consumer'),
]);
export const StatusName = Type.Union([Type.Literal('unset'), Type.Literal('ok'), Type.Literal('error')]);

export const TraceSearchQuery = Type.Object(
  {
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    operation: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Span name' })),
    attribute: Type.Optional(AttributeFilters),
    min_duration: Type.Optional(
      Type.String({ pattern: DURATION_NS_PATTERN, description: 'Matching span lasts at least, e.g. "250ms"' }),
    ),
    max_duration: Type.Optional(Type.String({ pattern: DURATION_NS_PATTERN, description: 'e.g. "2s"' })),
    errors_only: Type.Optional(Type.Boolean({ description: 'Only traces with a matching span in error' })),
    ...TimeRange,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
  },
  { additionalProperties: false },
);

const ServiceCountSchema = Type.Object({
  name: Type.String(),
  span_count: Type.Integer(),
  error_count: Type.Integer(),
});

export const TraceSummarySchema = Type.Object({
  trace_id: Type.String(),
  root_service: Type.String(),
  root_operation: Type.String(),
  has_root: Type.Boolean({ description: 'False when the root span is missing; root_* then name the earliest span' }),
  start_at: Millis('Earliest span start, epoch ms'),
  start_ns: Nanos('Earliest span start, epoch ns'),
  duration_ns: Nanos('From the earliest start to the latest end'),
  duration_ms: Type.Number(),
  span_count: Type.Integer(),
  error_count: Type.Integer(),
  services: Type.Array(ServiceCountSchema, { description: 'Services in the trace, most spans first' }),
});

export const TraceSearchResult = Type.Object({
  traces: Type.Array(TraceSummarySchema, { description: 'Newest first' }),
  truncated: Type.Boolean({
    description: 'True when the search stopped at its scan cap before finding `limit` traces: narrow the time range',
  }),
});

export const TraceParams = Type.Object({
  traceId: Type.String({ pattern: TRACE_ID, description: '32 hex characters' }),
});

export const SpanSchema = Type.Object({
  trace_id: Type.String(),
  span_id: Type.String(),
  parent_span_id: Type.Union([Type.String(), Type.Null()]),
  service: Type.String(),
  name: Type.String(),
  kind: SpanKindName,
  start_at: Millis('Start, epoch ms'),
  start_ns: Nanos('Start, epoch ns'),
  duration_ns: Nanos('Duration, ns'),
  duration_ms: Type.Number(),
  status: StatusName,
  status_message: Type.String(),
  attributes: AttributesSchema,
  events: Type.Array(Type.Object({ time_ns: Nanos('epoch ns'), name: Type.String(), attributes: AttributesSchema })),
  links: Type.Array(Type.Object({ trace_id: Type.String(), span_id: Type.String(), attributes: AttributesSchema })),
  resource: AttributesSchema,
  scope: Type.Object({ name: Type.String(), version: Type.String() }),
  log_count: Type.Integer({ description: 'Log records of this span (GET /traces/{traceId}/logs?span_id=…)' }),
});

export const TraceSchema = Type.Object({
  trace_id: Type.String(),
  summary: TraceSummarySchema,
  spans: Type.Array(SpanSchema, { description: 'Every span, by start time' }),
});

const CompactSpanSchema = Type.Object({
  span_id: Type.String(),
  parent_span_id: Type.Union([Type.String(), Type.Null()]),
  service: Type.String(),
  name: Type.String(),
  kind: SpanKindName,
  start_offset_ns: Type.Integer({
    minimum: 0,
    description: 'Start, ns after the trace start (summary.start_ns); exact below 2^53 ns (104 days)',
  }),
  duration_ns: Type.Integer({ minimum: 0, description: 'Duration, ns' }),
  status: StatusName,
  status_message: Type.Optional(Type.String({ description: 'Left out when empty' })),
  attributes: AttributesSchema,
  events: Type.Optional(SpanSchema.properties.events),
  links: Type.Optional(SpanSchema.properties.links),
  resource: Type.Integer({ minimum: 0, description: 'Index into `resources`' }),
  scope: Type.Integer({ minimum: 0, description: 'Index into `scopes`' }),
  log_count: SpanSchema.properties.log_count,
});

export const CompactTraceSchema = Type.Object({
  trace_id: Type.String(),
  summary: TraceSummarySchema,
  resources: Type.Array(AttributesSchema, { description: "The spans' resources, each once" }),
  scopes: Type.Array(SpanSchema.properties.scope, { description: "The spans' instrumentation scopes, each once" }),
  spans: Type.Array(CompactSpanSchema, {
    description: 'Every span, by start time; events and links are left out when there are none',
  }),
});

const OtlpKeyValuesSchema = Type.Array(
  Type.Object({ key: Type.String(), value: Type.Record(Type.String(), Type.Unknown()) }),
  { description: 'OTLP KeyValue list: each value an AnyValue (stringValue, intValue as a decimal string, …)' },
);

const OtlpSpanSchema = Type.Object({
  traceId: Type.String({ description: '32 hex digits' }),
  spanId: Type.String({ description: '16 hex digits' }),
  parentSpanId: Type.Optional(Type.String({ description: 'Left out for a root span' })),
  name: Type.String(),
  kind: Type.Integer({ minimum: 0, maximum: 5, description: 'OTLP SpanKind number' }),
  startTimeUnixNano: Nanos('epoch ns'),
  endTimeUnixNano: Nanos('epoch ns'),
  attributes: OtlpKeyValuesSchema,
  events: Type.Array(
    Type.Object({ timeUnixNano: Nanos('epoch ns'), name: Type.String(), attributes: OtlpKeyValuesSchema }),
  ),
  links: Type.Array(Type.Object({ traceId: Type.String(), spanId: Type.String(), attributes: OtlpKeyValuesSchema })),
  status: Type.Object({ code: Type.Integer({ minimum: 0, maximum: 2 }), message: Type.Optional(Type.String()) }),
});

export const OtlpTraceQuery = Type.Object(
  {
    download: Type.Optional(
      Type.Boolean({ description: 'true: answered as an attachment named trace-<trace id>.json (a browser saves it)' }),
    ),
  },
  { additionalProperties: false },
);

export const OtlpTraceSchema = Type.Object(
  {
    resourceSpans: Type.Array(
      Type.Object({
        resource: Type.Object({ attributes: OtlpKeyValuesSchema }),
        scopeSpans: Type.Array(
          Type.Object({
            scope: Type.Object({ name: Type.String(), version: Type.Optional(Type.String()) }),
            spans: Type.Array(OtlpSpanSchema),
          }),
        ),
      }),
    ),
  },
  { description: 'An OTLP/JSON ExportTraceServiceRequest' },
);

export const OperationsSchema = Type.Object({
  service: Type.String(),
  operations: Type.Array(
    Type.Object({ name: Type.String(), span_kind: SpanKindName, last_seen_at: Millis('epoch ms') }),
  ),
});

export const ServiceParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 1024 }) });

const Signal = Type.Union([Type.Literal('spans'), Type.Literal('logs')], { default: 'spans' });

export const AttributeKeysQuery = Type.Object(
  {
    signal: Type.Optional(Signal),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    prefix: Type.Optional(Type.String({ maxLength: 1024 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const AttributeKeysSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      key: Type.String(),
      value_type: Type.String({ description: 'string, number, bool or other (arrays, maps), of the last value seen' }),
    }),
  ),
});

export const AttributeValuesQuery = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 1024 }),
    signal: Type.Optional(Signal),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    prefix: Type.Optional(Type.String({ maxLength: 1024 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  },
  { additionalProperties: false },
);

export const AttributeValuesSchema = Type.Object({
  key: Type.String(),
  values: Type.Array(Type.String(), {
    description: 'Recently seen short values, most recent first (a sample: keys with many values list none)',
  }),
});

const LogFilterFields = {
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  min_severity: Type.Optional(
    Type.String({ maxLength: 8, description: 'SeverityNumber 1..24, or trace, debug, info, warn, error, fatal' }),
  ),
  contains: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Text in the body (any case)' })),
  pattern: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'A `pattern` from /logs/patterns: the records of that template (each <*> stands for any text)',
    }),
  ),
  attribute: Type.Optional(AttributeFilters),
  trace_id: Type.Optional(Type.String({ pattern: TRACE_ID })),
  span_id: Type.Optional(Type.String({ pattern: SPAN_ID })),
};

export const LogSearchQuery = Type.Object(
  {
    ...LogFilterFields,
    ...TimeRange,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const LogTailQuery = Type.Object(LogFilterFields, { additionalProperties: false });

const SeverityGroup = Type.Union(
  [
    Type.Literal('unspecified'),
    Type.Literal('trace'),
    Type.Literal('debug'),
    Type.Literal('info'),
    Type.Literal('warn'),
    Type.Literal('error'),
    Type.Literal('fatal'),
  ],
  {
    description: 'SeverityNumber 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; 0 unspecified',
  },
);

export const LogVolumeQuery = Type.Object(
  {
    ...LogFilterFields,
    ...TimeRange,
    step: Type.Optional(
      Type.String({
        pattern: DURATION_NS_PATTERN,
        description: 'Width of each step, whole seconds like "30s" or "5m" (default: a round step giving about 60)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LogVolumeResult = Type.Object({
  from: Millis('Start of the first step (a multiple of the step), epoch ms'),
  to: Millis('End of the window (exclusive), epoch ms'),
  step_ms: Type.Integer({ description: 'Width of each step, ms' }),
  timestamps: Type.Array(Millis('epoch ms'), {
    description: 'Start of each step; every series has one count per step',
  }),
  total: Type.Integer({ description: 'Records that matched in the window' }),
  series: Type.Array(
    Type.Object({
      severity: SeverityGroup,
      counts: Type.Array(Type.Integer({ minimum: 0 })),
    }),
    { description: 'One per severity that had records, least severe first' },
  ),
});

export const LogPatternsQuery = Type.Object(
  {
    ...LogFilterFields,
    ...TimeRange,
    sample: Type.Optional(
      Type.Integer({
        minimum: 100,
        maximum: 10000,
        default: 5000,
        description: 'How many of the newest matching records are grouped',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Patterns returned' })),
    compare: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Also group the window just before, as long as this one, and give each pattern its count there',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LogPatternsResult = Type.Object({
  scanned: Type.Integer({ description: 'Records grouped: the newest that match, at most `sample`' }),
  complete: Type.Boolean({ description: 'Whether those were all the records of the window that match' }),
  previous: Type.Union(
    [
      Type.Object({
        from: Millis('Start of the window before, epoch ms'),
        to: Millis('Its end (exclusive): the start of this window, epoch ms'),
        scanned: Type.Integer(),
        complete: Type.Boolean({
          description: 'Whether its scanned records were all it had: only then does a count of 0 mean none',
        }),
      }),
      Type.Null(),
    ],
    { description: 'The window before, with `compare=true`' },
  ),
  total_patterns: Type.Integer({ description: 'Patterns among the scanned records (more than listed past `limit`)' }),
  series_from: Millis("Start of the first step of every pattern's `series` (the window's start), epoch ms"),
  series_step_ms: Type.Integer({ description: 'Width of each step of `series`, ms' }),
  patterns: Type.Array(
    Type.Object({
      pattern: Type.String({
        description:
          "The body's first line with each word holding a digit (ids, numbers, durations, addresses) as <*>; pass it as `pattern` to /logs for its records",
      }),
      count: Type.Integer({ description: 'Scanned records of this pattern' }),
      series: Type.Array(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]), {
        description:
          'Its records per step of the window (30 steps); null for steps older than the oldest scanned record when the scan was not complete',
      }),
      previous_count: Type.Union([Type.Integer(), Type.Null()], {
        description: 'Its scanned records in the window before (0: none there), with `compare=true`',
      }),
      severity: SeverityGroup,
      max_severity_number: Type.Integer({ description: 'The highest SeverityNumber among them' }),
      services: Type.Array(Type.Object({ service: Type.String(), count: Type.Integer() }), {
        description: 'Records per service, most first',
      }),
      first_at: Millis('Oldest scanned record of the pattern, epoch ms'),
      last_at: Millis('Newest, epoch ms'),
      example: Type.Object(
        {
          time_at: Millis('epoch ms'),
          time_ns: Nanos('epoch ns'),
          severity_number: Type.Integer(),
          severity_text: Type.String(),
          body: Type.String(),
          service: Type.String(),
          trace_id: Type.Union([Type.String(), Type.Null()]),
          span_id: Type.Union([Type.String(), Type.Null()]),
        },
        { description: 'Its newest record' },
      ),
    }),
    { description: 'The most frequent first' },
  ),
});

export const LogSchema = Type.Object({
  id: Type.Integer(),
  time_at: Millis('epoch ms'),
  time_ns: Nanos('epoch ns'),
  observed_time_ns: Nanos('epoch ns'),
  severity_number: Type.Integer(),
  severity_text: Type.String(),
  body: Type.String({ description: 'A string body as is; other bodies as JSON text' }),
  attributes: AttributesSchema,
  resource: AttributesSchema,
  service: Type.String(),
  trace_id: Type.Union([Type.String(), Type.Null()], { description: 'GET /traces/{trace_id} for its trace' }),
  span_id: Type.Union([Type.String(), Type.Null()]),
  scope_name: Type.String(),
});

export const LogSearchResult = Type.Object({
  logs: Type.Array(LogSchema, { description: 'Newest first' }),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page' }),
});

export const TraceLogsQuery = Type.Object(
  {
    span_id: Type.Optional(Type.String({ pattern: SPAN_ID })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 })),
  },
  { additionalProperties: false },
);

export const TraceLogsResult = Type.Object({
  trace_id: Type.String(),
  logs: Type.Array(LogSchema, { description: 'Oldest first' }),
});
