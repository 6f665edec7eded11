// Route schemas of the registry API (TypeBox): the single source of request validation,
// response serialization and the OpenAPI document.
import { type Static, Type } from 'typebox';
import { CHECK_DEFAULTS } from '../health/checks.js';
import { DURATION_PATTERN } from './durations.js';
import { INSTANCE_ID_PATTERN, REGISTRATION_LIMITS, SERVICE_NAME_PATTERN } from './registration.js';

const Duration = (description: string) => Type.String({ pattern: DURATION_PATTERN, maxLength: 32, description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const StatusSchema = Type.Enum(['passing', 'warning', 'critical', 'unknown'], {
  description: 'passing < unknown < warning < critical; an instance takes the worst of its sources',
});
const HistoryStatusSchema = Type.Enum(['passing', 'warning', 'critical', 'unknown', 'none', 'removed'], {
  description: '`none` before the first registration, `removed` once out of the live view',
});
const Millis = (description: string) => Type.Integer({ description });
const Labels = Type.Record(
  Type.String({ maxLength: REGISTRATION_LIMITS.maxLabelKeyLength }),
  Type.String({ maxLength: REGISTRATION_LIMITS.maxLabelValueLength }),
  {
    description: `String labels: at most ${REGISTRATION_LIMITS.maxLabels}, names up to ${REGISTRATION_LIMITS.maxLabelKeyLength} characters, values up to ${REGISTRATION_LIMITS.maxLabelValueLength}, ${REGISTRATION_LIMITS.maxLabelBytes} bytes in all`,
  },
);

export const CheckInputSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$',
        description: 'Unique per instance; default `<type>-<n>`',
      }),
    ),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.Enum(['http', 'tcp'], { description: 'http or tcp' }),
    path: Type.Optional(
      Type.String({ pattern: '^/', maxLength: 2048, description: `HTTP path (default ${CHECK_DEFAULTS.path})` }),
    ),
    method: Type.Optional(
      Type.Enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'], { description: 'HTTP method (default GET)' }),
    ),
    expected_status: Type.Optional(
      Type.Union([Type.Integer({ minimum: 100, maximum: 599 }), Type.String({ maxLength: 200 })], {
        description: `A status code, or ranges like "200-399" or "200,204" (default ${CHECK_DEFAULTS.expectedStatus}); 429 outside the range counts as warning`,
      }),
    ),
    body_contains: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'The response body must contain this text' }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" }), Type.String({ maxLength: 4096 }), {
        maxProperties: REGISTRATION_LIMITS.maxHeaders,
        description: 'Request headers',
      }),
    ),
    interval: Type.Optional(Duration('Time between probes (default "10s", at least "100ms")')),
    timeout: Type.Optional(Duration('Probe deadline, at most the interval (default "2s" or the interval)')),
    jitter: Type.Optional(Duration('Each probe starts up to this much after its slot (default 10% of the interval)')),
    healthy_threshold: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'Consecutive successes to become passing (default 1)' }),
    ),
    unhealthy_threshold: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'Consecutive failures to become critical (default 3)' }),
    ),
    initial_delay: Type.Optional(Duration('Wait before the first probe after registration (default "0s")')),
  },
  { additionalProperties: false },
);

export const RegisterBody = Type.Object(
  {
    service: Type.String({ pattern: SERVICE_NAME_PATTERN, description: 'Service name' }),
    id: Type.Optional(
      Type.String({
        pattern: INSTANCE_ID_PATTERN,
        description: 'Instance id; generated when absent. Registering an existing id updates it.',
      }),
    ),
    address: Type.String({ minLength: 1, maxLength: 300, description: 'host:port ([v6]:port for IPv6)' }),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    environment: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    labels: Type.Optional(Labels),
    ttl: Type.Optional(Duration('Heartbeat TTL; without a heartbeat for this long the instance is critical')),
    deregister_after: Type.Optional(
      Duration('Critical for this long removes the instance from the live view (default "10m")'),
    ),
    checks: Type.Optional(Type.Array(CheckInputSchema, { maxItems: REGISTRATION_LIMITS.maxChecks })),
  },
  { additionalProperties: false },
);
export type RegisterBodyType = Static<typeof RegisterBody>;

const CheckView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  path: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  expected_status: Type.Optional(Type.String()),
  body_contains: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  interval: Type.String(),
  timeout: Type.String(),
  jitter: Type.String(),
  healthy_threshold: Type.Integer(),
  unhealthy_threshold: Type.Integer(),
  initial_delay: Type.String(),
  status: StatusSchema,
  output: Nullable(Type.String({ description: 'Output of the last probe' })),
  duration_ms: Nullable(Type.Number({ description: 'Duration of the last probe' })),
  checked_at: Nullable(Millis('When the last probe ran')),
});

const SourceViewSchema = Type.Object({
  source: Type.String({ description: '`check:<id>`, `ttl`, `kubernetes`, `registration`' }),
  status: StatusSchema,
  reason: Type.String(),
  at: Nullable(Millis('When the source last reported')),
});

export const InstanceSchema = Type.Object(
  {
    id: Type.String(),
    service: Type.String(),
    address: Type.String(),
    version: Nullable(Type.String()),
    environment: Nullable(Type.String()),
    labels: Type.Record(Type.String(), Type.String()),
    ttl: Nullable(Type.String()),
    deregister_after: Type.String(),
    status: StatusSchema,
    status_reason: Nullable(Type.String()),
    status_source: Nullable(Type.String({ description: 'The source that decided the status' })),
    status_since: Millis('Since when the instance has had this status'),
    flapping: Type.Boolean({ description: 'Too many transitions within the flapping window' }),
    registered_at: Millis('When the current registration began'),
    updated_at: Millis('Last change of the registration'),
    last_heartbeat_at: Nullable(Millis('Last heartbeat (registration counts as one)')),
    removed_at: Nullable(Millis('When it left the live view; null while live')),
    checks: Type.Array(CheckView),
    sources: Type.Array(SourceViewSchema),
  },
  { description: 'A registered instance with its status and where it came from' },
);
export type InstanceView = Static<typeof InstanceSchema>;

const Counts = Type.Object({
  passing: Type.Integer(),
  warning: Type.Integer(),
  critical: Type.Integer(),
  unknown: Type.Integer(),
});
const Versions = Type.Array(Type.Object({ version: Nullable(Type.String()), instances: Type.Integer() }));

export const ServiceSummarySchema = Type.Object({
  name: Type.String(),
  status: Type.Enum(['passing', 'warning', 'critical', 'unknown'], {
    description:
      'critical when every instance is critical; warning when some are critical or warning; passing when none is bad and one passes; else unknown',
  }),
  instances: Type.Integer({ description: 'Live instances' }),
  counts: Counts,
  flapping: Type.Integer({ description: 'Instances marked flapping' }),
  versions: Versions,
  environments: Type.Array(Type.Object({ environment: Nullable(Type.String()), instances: Type.Integer() }), {
    description: 'Live instances by environment, most first (null: registered without one)',
  }),
});
export type ServiceSummary = Static<typeof ServiceSummarySchema>;

export const ServiceListSchema = Type.Object({ services: Type.Array(ServiceSummarySchema) });

export const ServiceDetailSchema = Type.Object({
  name: Type.String(),
  status: StatusSchema,
  counts: Counts,
  flapping: Type.Integer(),
  versions: Versions,
  instances: Type.Array(InstanceSchema),
});
export type ServiceDetail = Static<typeof ServiceDetailSchema>;

export const HistorySchema = Type.Object({
  instance_id: Type.String(),
  transitions: Type.Array(
    Type.Object({
      at: Millis('When'),
      from: HistoryStatusSchema,
      to: HistoryStatusSchema,
      reason: Type.String(),
      source: Type.String({ description: 'What decided it: check:<id>, ttl, kubernetes, registration, api, registry' }),
    }),
    { description: 'Newest first' },
  ),
});

export const HeartbeatAckSchema = Type.Object({
  id: Type.String(),
  service: Type.String(),
  status: StatusSchema,
  last_heartbeat_at: Millis('The heartbeat just recorded'),
  ttl: Nullable(Type.String()),
});

export const InstanceParams = Type.Object({ id: Type.String({ pattern: INSTANCE_ID_PATTERN }) });
export const ServiceParams = Type.Object({ name: Type.String({ pattern: SERVICE_NAME_PATTERN }) });
export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  before: Type.Optional(Type.Integer({ minimum: 0, description: 'Only transitions before this time (paging)' })),
});
