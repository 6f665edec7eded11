// Registry routes under /api/v1: thin, they validate (schemas), call the service, shape the reply.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuditLog } from '../audit/audit-log.js';
import { formatDuration } from './durations.js';
import type { RegistryService } from './registry-service.js';
import {
  HeartbeatAckSchema,
  HistoryQuery,
  HistorySchema,
  InstanceParams,
  InstanceSchema,
  type InstanceView,
  RegisterBody,
  ServiceDetailSchema,
  ServiceListSchema,
  ServiceParams,
} from './schemas.js';

const tags = ['registry'];

/** What the audit log keeps of an instance before and after an operator's change. */
function auditState(instance: InstanceView) {
  const { id, service, address, version, environment, status, removed_at } = instance;
  return { id, service, address, version, environment, status, removed_at };
}

// Registration, heartbeats and deregistration accept the agent credential (`agent: true`);
// people need the operator role for them (the default for writes).
export function registryRoutes(registry: RegistryService, audit: AuditLog): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/instances',
      {
        config: { agent: true },
        schema: {
          tags,
          summary: 'Register an instance (idempotent on its id: registering again updates it)',
          body: RegisterBody,
          response: { 200: InstanceSchema, 201: InstanceSchema },
        },
      },
      async (request, reply) => {
        const { created, instance } = await registry.register(request.body);
        return reply.code(created ? 201 : 200).send(instance);
      },
    );

    app.put(
      '/instances/:id/heartbeat',
      {
        config: { agent: true },
        schema: {
          tags,
          summary: 'Renew the heartbeat TTL (404 when not registered: register again)',
          params: InstanceParams,
          response: { 200: HeartbeatAckSchema },
        },
      },
      async (request) => {
        const { record, at } = await registry.heartbeat(request.params.id);
        return {
          id: record.id,
          service: record.service,
          status: record.status,
          last_heartbeat_at: at,
          ttl: record.ttlMs === null ? null : formatDuration(record.ttlMs),
        };
      },
    );

    app.delete(
      '/instances/:id',
      {
        config: { agent: true },
        schema: {
          tags,
          summary: 'Deregister an instance (it stays in history); an operator doing it is audited',
          params: InstanceParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const actor = request.principal;
        // An agent leaving on shutdown is the instance's own lifecycle, not a change someone made.
        if (actor.kind === 'agent') {
          await registry.deregister(id);
          return reply.code(204).send(null);
        }
        const before = await registry.getInstance(id);
        await registry.deregister(id, `deregistered by ${actor.name}`);
        if (before.removed_at === null) {
          const after = await registry.getInstance(id);
          await audit.record({
            actor,
            action: 'instance.deregister',
            target_type: 'instance',
            target_id: id,
            service: before.service,
            before: auditState(before),
            after: auditState(after),
          });
        }
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/instances/:id',
      {
        schema: {
          tags,
          summary: 'One instance, live or removed',
          params: InstanceParams,
          response: { 200: InstanceSchema },
        },
      },
      async (request) => registry.getInstance(request.params.id),
    );

    app.get(
      '/instances/:id/history',
      {
        schema: {
          tags,
          summary: 'Status transitions of an instance, newest first',
          params: InstanceParams,
          querystring: HistoryQuery,
          response: { 200: HistorySchema },
        },
      },
      async (request) => ({
        instance_id: request.params.id,
        transitions: await registry.history(request.params.id, request.query.limit ?? 100, request.query.before),
      }),
    );

    app.get(
      '/services',
      {
        schema: {
          tags,
          summary: 'Services with live instances: aggregate status, counts by status, versions',
          response: { 200: ServiceListSchema },
        },
      },
      async () => ({ services: await registry.listServices() }),
    );

    app.get(
      '/services/:name',
      {
        schema: {
          tags,
          summary: 'One service and its live instances with status and last check results',
          params: ServiceParams,
          response: { 200: ServiceDetailSchema },
        },
      },
      async (request) => registry.getService(request.params.name),
    );
  };
}
