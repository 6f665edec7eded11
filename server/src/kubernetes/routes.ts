// Kubernetes routes under /api/v1/kubernetes: thin, they validate (schemas), call the cluster
// view or the pod logs, and shape the reply.
import type { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ClusterView } from './cluster-view.js';
import type { PodLogs } from './pod-logs.js';
import {
  EventQuery,
  EventSchema,
  ListOf,
  LOG_LIMITS,
  LogQuery,
  LogStreamQuery,
  LogsSchema,
  NamespaceSchema,
  PodDetailSchema,
  PodParams,
  PodQuery,
  PodSchema,
  ServiceParams,
  ServicePodsSchema,
  ServiceQuery,
  ServiceSchema,
  SourceStatusSchema,
  WorkloadDetailSchema,
  WorkloadParams,
  WorkloadQuery,
  WorkloadSchema,
} from './schemas.js';
import type { SseHub, SseStream } from './sse.js';

const tags = ['kubernetes'];

export function kubernetesRoutes(view: ClusterView, logs: PodLogs, sse: SseHub): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preClose', async () => sse.closeAll('the server is shutting down'));

    app.get(
      '/kubernetes/status',
      {
        schema: {
          tags,
          summary: 'The Kubernetes source: cluster, watched namespaces, cache sync and watch health per resource',
          response: { 200: SourceStatusSchema },
        },
      },
      async () => view.status(),
    );

    app.get(
      '/kubernetes/namespaces',
      {
        schema: {
          tags,
          summary: 'Namespaces with counts of pods, problem pods, workloads, services and warning events',
          response: { 200: Type.Object({ items: Type.Array(NamespaceSchema) }) },
        },
      },
      async () => ({ items: view.namespaces() }),
    );

    app.get(
      '/kubernetes/workloads',
      {
        schema: {
          tags,
          summary: 'Deployments, StatefulSets, DaemonSets (and bare ReplicaSets) with rollout state, problems first',
          querystring: WorkloadQuery,
          response: { 200: ListOf(WorkloadSchema) },
        },
      },
      async (request) => view.workloads(request.query),
    );

    app.get(
      '/kubernetes/namespaces/:namespace/workloads/:kind/:name',
      {
        schema: {
          tags,
          summary: 'One workload: rollout, its pods (problems first) and events about it, its ReplicaSets and pods',
          params: WorkloadParams,
          response: { 200: WorkloadDetailSchema },
        },
      },
      async (request) => view.workload(request.params.namespace, request.params.kind, request.params.name),
    );

    app.get(
      '/kubernetes/pods',
      {
        schema: {
          tags,
          summary: 'Pods, problems first (crash loops, OOM kills, image pulls, scheduling, probes, restarts)',
          querystring: PodQuery,
          response: { 200: ListOf(PodSchema) },
        },
      },
      async (request) => view.pods(request.query),
    );

    app.get(
      '/kubernetes/namespaces/:namespace/pods/:name',
      {
        schema: {
          tags,
          summary: 'One pod with its containers, problems and events',
          params: PodParams,
          response: { 200: PodDetailSchema },
        },
      },
      async (request) => view.pod(request.params.namespace, request.params.name),
    );

    app.get(
      '/kubernetes/namespaces/:namespace/pods/:name/logs',
      {
        schema: {
          tags,
          summary: `The last lines of a container's log (current or previous instance), read from the API server; at most ${LOG_LIMITS.limitBytes} bytes`,
          params: PodParams,
          querystring: LogQuery,
          response: { 200: LogsSchema },
        },
      },
      async (request) => {
        const { namespace, name } = request.params;
        const q = request.query;
        const result = await logs.tail(namespace, name, {
          container: q.container,
          tailLines: q.tail_lines,
          previous: q.previous,
          sinceSeconds: q.since_seconds,
        });
        return { namespace, pod: name, previous: q.previous ?? false, ...result };
      },
    );

    app.get(
      '/kubernetes/namespaces/:namespace/pods/:name/logs/stream',
      {
        schema: {
          tags,
          summary:
            'Follow a container log over Server-Sent Events: `event: line` (data: {time_ns, text}) for the last tail_lines lines and each new one, `event: end` (data: {reason}) when the container stops',
          params: PodParams,
          querystring: LogStreamQuery,
          produces: ['text/event-stream'],
          response: {
            200: {
              description: 'text/event-stream',
              // The stream is piped as it is; the schema only documents it.
              content: { 'text/event-stream': { schema: Type.Unsafe<PassThrough>({ type: 'string' }) } },
            },
          },
        },
      },
      async (request, reply) => {
        const { namespace, name } = request.params;
        const q = request.query;
        const pending: unknown[] = [];
        let stream: SseStream | undefined;
        let endedBeforeOpen: string | undefined;
        // Errors before the stream opens (no such pod or container) answer as problem+json.
        const handle = await logs.follow(
          namespace,
          name,
          { container: q.container, tailLines: q.tail_lines, sinceSeconds: q.since_seconds },
          (line) => (stream ? stream.send('line', line) : pending.push(line)),
          (reason) => {
            if (!stream) endedBeforeOpen = reason;
            else {
              stream.send('end', { reason });
              stream.end();
            }
          },
        );
        stream = sse.open(reply);
        stream.send('open', { namespace, pod: name, container: handle.container });
        for (const line of pending.splice(0)) stream.send('line', line);
        stream.onClose(() => handle.stop());
        if (endedBeforeOpen !== undefined) {
          stream.send('end', { reason: endedBeforeOpen });
          stream.end();
        }
        return reply.send(stream.stream);
      },
    );

    app.get(
      '/kubernetes/services',
      {
        schema: {
          tags,
          summary: 'Kubernetes Services with their pods, ready endpoints and problem pods',
          querystring: ServiceQuery,
          response: { 200: ListOf(ServiceSchema) },
        },
      },
      async (request) => view.services(request.query),
    );

    app.get(
      '/kubernetes/namespaces/:namespace/services/:name/pods',
      {
        schema: {
          tags,
          summary: "A Service's pods (by its selector and its endpointslices), problems first",
          params: ServiceParams,
          response: { 200: ServicePodsSchema },
        },
      },
      async (request) => view.servicePods(request.params.namespace, request.params.name),
    );

    app.get(
      '/kubernetes/events',
      {
        schema: {
          tags,
          summary: 'Events (events.k8s.io/v1), newest first; about one object with kind+namespace+name or uid',
          querystring: EventQuery,
          response: { 200: ListOf(EventSchema) },
        },
      },
      async (request) => view.events(request.query),
    );
  };
}
