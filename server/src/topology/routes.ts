// Routes of the topology API: the service graph, RED series per service and per edge. Thin: validate the
// query (schemas below, also the OpenAPI document), call the TopologyService, return its result.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { DURATION_PATTERN, parseDuration } from '../registry/durations.js';
import type { TopologyService } from './topology-service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const EpochMs = (description: string) => Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description });

const WindowQuery = {
  from: Type.Optional(EpochMs('Start of the window, epoch ms (default: `to` minus 15 minutes)')),
  to: Type.Optional(EpochMs('End of the window, epoch ms (default: now)')),
};

const RedFields = {
  requests: Type.Integer({ description: 'Requests in the window' }),
  errors: Type.Integer({ description: 'Failed requests (span status ERROR on either side) in the window' }),
  rate: Type.Number({ description: 'Requests per second over the part of the window that has passed' }),
  error_rate: Type.Number({ description: 'Share of requests that failed, 0..1' }),
  p50_ms: Nullable(Type.Number({ description: 'Median latency, ms (null without requests)' })),
  p95_ms: Nullable(Type.Number({ description: '95th percentile latency, ms' })),
  p99_ms: Nullable(Type.Number({ description: '99th percentile latency, ms' })),
};

const NodeType = Type.Union(
  [Type.Literal('service'), Type.Literal('database'), Type.Literal('messaging'), Type.Literal('external')],
  { description: 'service: sends spans (or named by peer.service); the others are inferred from span attributes' },
);

const TopologySchema = Type.Object({
  from: EpochMs('Start of the first minute bucket in the window'),
  to: EpochMs('End of the last minute bucket in the window (exclusive)'),
  nodes: Type.Array(
    Type.Object({
      id: Type.String({ description: 'A service name, or `<type>:<name>` for inferred peers' }),
      name: Type.String({
        description:
          'An external peer is named by its host name, or by its IP address (or localhost) with the port, since one address often serves several services',
      }),
      type: NodeType,
      ...RedFields,
      environments: Type.Array(Type.String(), {
        description:
          'Deployment environments the service runs in: from its live registry instances, else from the `deployment.environment(.name)` of the resources it sent spans with. Empty for peers and when unknown',
      }),
      namespaces: Type.Array(Type.String(), {
        description:
          'Kubernetes namespaces it runs in: from the `k8s.namespace.name` label of its live instances, else the Kubernetes source (pods matched to its instances, Services of the same name), else its span resources. Empty for peers and when unknown',
      }),
    }),
    { description: 'A service counts its SERVER, CONSUMER and root spans; a peer counts what its callers saw' },
  ),
  edges: Type.Array(
    Type.Object({
      source: Type.String({ description: 'Node id of the caller' }),
      target: Type.String({ description: 'Node id of the callee' }),
      kind: Type.Union([Type.Literal('sync'), Type.Literal('async')], {
        description: 'sync: CLIENT→SERVER; async: PRODUCER→CONSUMER (or through a broker)',
      }),
      ...RedFields,
    }),
    { description: "Latency is the caller's (the CLIENT or PRODUCER span's duration)" },
  ),
});

const Series = Type.Object({
  requests: Type.Array(Type.Integer()),
  errors: Type.Array(Type.Integer()),
  rate: Type.Array(Type.Number(), { description: 'Requests per second in each step' }),
  error_rate: Type.Array(Type.Number(), { description: 'Share of failed requests in each step, 0..1' }),
  p50_ms: Type.Array(Nullable(Type.Number())),
  p95_ms: Type.Array(Nullable(Type.Number())),
  p99_ms: Type.Array(Nullable(Type.Number())),
});

const ServiceRedSchema = Type.Object({
  service: Type.String(),
  from: EpochMs('Start of the first step'),
  to: EpochMs('End of the window (exclusive)'),
  step_ms: Type.Integer({ description: 'Width of each step, ms (a whole number of minutes)' }),
  timestamps: Type.Array(Type.Integer(), {
    description: 'Start of each step, epoch ms; every series has one value per step',
  }),
  series: Series,
  operations: Type.Array(
    Type.Object({
      name: Type.String({ description: 'Span name' }),
      span_kind: Type.Union([
        Type.Literal('unspecified'),
        Type.Literal('internal'),
        Type.Literal('server'),
        Type.Literal('client'),
        Type.Literal('producer'),
        Type.Literal('consumer'),
      ]),
      series: Series,
    }),
    { description: 'The busiest operations (up to 100), busiest first' },
  ),
});

const StepQuery = Type.Optional(
  Type.String({
    pattern: DURATION_PATTERN,
    maxLength: 32,
    description: 'Step between points, a whole number of minutes like "1m" or "5m" (default: about 60 points)',
  }),
);

const EdgeKindSchema = Type.Union([Type.Literal('sync'), Type.Literal('async')]);

const EdgeRedSchema = Type.Object({
  source: Type.String(),
  target: Type.String(),
  kind: Nullable(EdgeKindSchema),
  from: EpochMs('Start of the first step'),
  to: EpochMs('End of the window (exclusive)'),
  step_ms: Type.Integer({ description: 'Width of each step, ms (a whole number of minutes)' }),
  timestamps: Type.Array(Type.Integer(), {
    description: 'Start of each step, epoch ms; every series has one value per step',
  }),
  series: Series,
});

const ProblemRef = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String() },
  { additionalProperties: true, description: 'RFC 9457 problem+json' },
);

export function topologyRoutes(service: TopologyService): FastifyPluginAsync {
  return async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/topology',
      {
        schema: {
          tags: ['topology'],
          summary: 'Service graph with RED per node and edge',
          description:
            'Computed from 1-minute roll-ups made at ingest (never from raw spans). Edges whose halves arrive apart wait up to the pairing window (10 s by default) before they count, and roll-ups reach the store every few seconds, so the last seconds of a window fill in shortly after.',
          querystring: Type.Object(WindowQuery, { additionalProperties: false }),
          response: { 200: TopologySchema, 400: ProblemRef },
        },
      },
      async (request) => service.topology(request.query),
    );

    app.get(
      '/services/:name/red',
      {
        schema: {
          tags: ['topology'],
          summary: 'RED series of a service and of its operations',
          params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
          querystring: Type.Object(
            {
              ...WindowQuery,
              step: StepQuery,
            },
            { additionalProperties: false },
          ),
          response: { 200: ServiceRedSchema, 400: ProblemRef, 404: ProblemRef },
        },
      },
      async (request) => {
        const { from, to, step } = request.query;
        return service.serviceRed(request.params.name, {
          from,
          to,
          stepMs: step === undefined ? undefined : parseDuration(step),
        });
      },
    );

    const NodeRef = (what: string) =>
      Type.String({ minLength: 1, maxLength: 300, description: `Node id of the ${what}, as GET /topology names it` });
    app.get(
      '/topology/edges/red',
      {
        schema: {
          tags: ['topology'],
          summary: 'RED series of the calls along one edge',
          description:
            "From the edge's 1-minute (and 10-minute, 1-hour) roll-ups. Latency is the caller's. 404 when the window holds no calls from `source` to `target`.",
          querystring: Type.Object(
            {
              source: NodeRef('caller'),
              target: NodeRef('callee'),
              kind: Type.Optional(
                Type.Union([Type.Literal('sync'), Type.Literal('async')], {
                  description: 'Only synchronous or only asynchronous calls (default: both)',
                }),
              ),
              ...WindowQuery,
              step: StepQuery,
            },
            { additionalProperties: false },
          ),
          response: { 200: EdgeRedSchema, 400: ProblemRef, 404: ProblemRef },
        },
      },
      async (request) => {
        const { step, ...query } = request.query;
        return service.edgeRed({ ...query, stepMs: step === undefined ? undefined : parseDuration(step) });
      },
    );
  };
}
