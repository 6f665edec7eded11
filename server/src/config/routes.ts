// Configuration routes under /api/v1: thin, they validate (schemas), call the service, shape the
// reply. Reads need viewer, changes operator (the access hook's defaults); the agent routes
// (channel, poll, acks) also take the agent credential.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SseHub, SseStream } from '../kubernetes/sse.js';
import { parseDuration } from '../registry/durations.js';
import type { AgentChannel } from './agent-channel.js';
import type { ConfigService } from './config-service.js';
import {
  AckBody,
  ChannelQuery,
  DiffQuery,
  DiffSchema,
  DocParams,
  DocumentListSchema,
  DocumentSchema,
  HistoryQuery,
  HistorySchema,
  InstancesSchema,
  PollSchema,
  PublishBody,
  RollbackBody,
  SchemaBody,
  VersionParams,
  VersionSchema,
} from './schemas.js';

const tags = ['config'];
const DEFAULT_WAIT_MS = 25_000;
const MAX_WAIT_MS = 60_000;

export function configRoutes(config: ConfigService, channel: AgentChannel, hub: SseHub): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Open channels would keep close() waiting: end them first (agents reconnect elsewhere).
    app.addHook('preClose', async () => hub.closeAll('the server is shutting down'));

    app.get(
      '/config',
      { schema: { tags, summary: 'Every configured service and environment', response: { 200: DocumentListSchema } } },
      async () => ({ documents: await config.listDocuments() }),
    );

    app.get(
      '/config/:service/:environment',
      {
        schema: {
          tags,
          summary: 'The current document, its schema and versions',
          params: DocParams,
          response: { 200: DocumentSchema },
        },
      },
      async (request) => config.getDocument(request.params.service, request.params.environment),
    );

    app.put(
      '/config/:service/:environment/schema',
      {
        schema: {
          tags,
          summary: 'Set or remove the JSON Schema (422 when the latest version does not satisfy it)',
          params: DocParams,
          body: SchemaBody,
          response: { 200: DocumentSchema },
        },
      },
      async (request) =>
        config.setSchema(
          request.params.service,
          request.params.environment,
          request.body.schema ?? null,
          request.principal,
        ),
    );

    app.get(
      '/config/:service/:environment/versions',
      {
        schema: {
          tags,
          summary: 'History, newest first',
          params: DocParams,
          querystring: HistoryQuery,
          response: { 200: HistorySchema },
        },
      },
      async (request) => ({
        versions: await config.history(
          request.params.service,
          request.params.environment,
          request.query.limit ?? 50,
          request.query.before,
        ),
      }),
    );

    app.post(
      '/config/:service/:environment/versions',
      {
        schema: {
          tags,
          summary:
            'Publish a version: 422 listing each path that breaks the schema, 409 when base_version is not the latest',
          params: DocParams,
          body: PublishBody,
          response: { 201: VersionSchema },
        },
      },
      async (request, reply) => {
        const version = await config.publish({
          service: request.params.service,
          environment: request.params.environment,
          content: request.body.content,
          baseVersion: request.body.base_version,
          message: request.body.message,
          actor: request.principal,
        });
        return reply.code(201).send(version);
      },
    );

    app.get(
      '/config/:service/:environment/versions/:version',
      { schema: { tags, summary: 'One version', params: VersionParams, response: { 200: VersionSchema } } },
      async (request) => config.getVersion(request.params.service, request.params.environment, request.params.version),
    );

    app.get(
      '/config/:service/:environment/diff',
      {
        schema: {
          tags,
          summary: 'Structured difference between two versions (RFC 6902 operations and a jsondiffpatch delta)',
          params: DocParams,
          querystring: DiffQuery,
          response: { 200: DiffSchema },
        },
      },
      async (request) =>
        config.diff(request.params.service, request.params.environment, request.query.from, request.query.to),
    );

    app.post(
      '/config/:service/:environment/rollback',
      {
        schema: {
          tags,
          summary: 'Publish an earlier version’s content again as a new version',
          params: DocParams,
          body: RollbackBody,
          response: { 201: VersionSchema },
        },
      },
      async (request, reply) => {
        const version = await config.rollback({
          service: request.params.service,
          environment: request.params.environment,
          to: request.body.to_version,
          baseVersion: request.body.base_version,
          message: request.body.message,
          actor: request.principal,
        });
        return reply.code(201).send(version);
      },
    );

    app.get(
      '/config/:service/:environment/instances',
      {
        schema: {
          tags,
          summary: 'Drift: per instance, the version it should run and the one it says it runs',
          params: DocParams,
          response: { 200: InstancesSchema },
        },
      },
      async (request) => ({
        service: request.params.service,
        environment: request.params.environment,
        instances: await config.instances(request.params.service, request.params.environment),
      }),
    );

    app.post(
      '/config/:service/:environment/acks',
      {
        config: { agent: true },
        schema: {
          tags,
          summary: 'An agent reports that it applied or rejected a version',
          params: DocParams,
          body: AckBody,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await config.ack({
          service: request.params.service,
          environment: request.params.environment,
          instanceId: request.body.instance_id,
          version: request.body.version,
          status: request.body.status as 'applied' | 'rejected',
          reason: request.body.reason ?? null,
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/config/:service/:environment/channel',
      {
        config: { agent: true },
        schema: {
          tags,
          summary:
            'Server-Sent Events for one agent: `config` (the version to run) and `breaker-commands` (the commands in force), each sent at once and on every change',
          params: DocParams,
          querystring: ChannelQuery,
          produces: ['text/event-stream'],
          response: { 200: Type.Any({ description: 'text/event-stream' }) },
        },
      },
      async (request, reply) => {
        const stream: SseStream = hub.open(reply);
        const close = channel.open(
          {
            service: request.params.service,
            environment: request.params.environment,
            instanceId: request.query.instance_id,
          },
          { configVersion: request.query.config_version ?? null, revision: request.query.commands_revision ?? null },
          (event) => stream.send(event.type, event.data),
        );
        stream.onClose(close);
        return reply.send(stream.stream);
      },
    );

    app.get(
      '/config/:service/:environment/poll',
      {
        config: { agent: true },
        schema: {
          tags,
          summary:
            'Long-poll fallback of the channel: answers when the config version or breaker commands differ from what the agent has, or after `wait`',
          params: DocParams,
          querystring: ChannelQuery,
          response: { 200: PollSchema },
        },
      },
      async (request) => {
        const wait =
          request.query.wait === undefined ? DEFAULT_WAIT_MS : (parseDuration(request.query.wait) ?? DEFAULT_WAIT_MS);
        const abort = new AbortController();
        request.raw.once('close', () => abort.abort());
        return channel.poll(
          {
            service: request.params.service,
            environment: request.params.environment,
            instanceId: request.query.instance_id,
          },
          { configVersion: request.query.config_version ?? null, revision: request.query.commands_revision ?? null },
          Math.min(wait, MAX_WAIT_MS),
          abort.signal,
        );
      },
    );
  };
}
