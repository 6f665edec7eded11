// Breaker routes under /api/v1: the fleet view and transition history (viewer), operator
// commands (operator, the default for writes), and the agent routes (reports, command acks).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../errors.js';
import { parseDuration } from '../registry/durations.js';
import type { BreakerService, CommandAction, CommandScope } from './breaker-service.js';
import {
  CancelBody,
  CommandAckBody,
  CommandBody,
  CommandListQuery,
  CommandParams,
  CommandSchema,
  FleetQuery,
  FleetSchema,
  ReportBody,
  TransitionsQuery,
  TransitionsSchema,
} from './schemas.js';

const tags = ['breakers'];
const DEFAULT_FORCE_MS = 10 * 60_000;
const MAX_FORCE_MS = 24 * 3_600_000;

export function breakerRoutes(breakers: BreakerService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/breakers',
      {
        schema: {
          tags,
          summary: 'Every breaker of the fleet by service, breaker and instance, with state and counters',
          querystring: FleetQuery,
          response: { 200: FleetSchema },
        },
      },
      async (request) => breakers.fleet(request.query),
    );

    app.get(
      '/breakers/transitions',
      {
        schema: {
          tags,
          summary: 'State changes, newest first',
          querystring: TransitionsQuery,
          response: { 200: TransitionsSchema },
        },
      },
      async (request) => ({
        transitions: await breakers.transitions({ ...request.query, limit: request.query.limit ?? 100 }),
      }),
    );

    app.post(
      '/breakers/reports',
      {
        config: { agent: true },
        schema: {
          tags,
          summary: 'An agent reports its breakers (state, counters, new transitions)',
          body: ReportBody,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await breakers.report(request.body);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/breakers/commands',
      {
        schema: {
          tags,
          summary: 'Operator commands, newest first',
          querystring: CommandListQuery,
          response: { 200: Type.Object({ commands: Type.Array(CommandSchema) }) },
        },
      },
      async (request) => ({ commands: await breakers.listCommands(request.query.status, request.query.limit ?? 100) }),
    );

    app.post(
      '/breakers/commands',
      {
        schema: {
          tags,
          summary:
            'Force open, force closed or reset breakers of an instance, a service or the fleet; pushed to agents, undone at expiry',
          body: CommandBody,
          response: { 201: CommandSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        let expiresInMs = DEFAULT_FORCE_MS;
        if (body.expires_in !== undefined) {
          expiresInMs = parseDuration(body.expires_in) ?? 0;
          if (expiresInMs <= 0 || expiresInMs > MAX_FORCE_MS) {
            throw Errors.validation('expires_in must be more than 0 and at most 24h', {
              fields: [{ path: '/body/expires_in', message: 'must be between 1ms and 24h' }],
            });
          }
        }
        const command = await breakers.createCommand({
          action: body.action as CommandAction,
          scope: body.scope as CommandScope,
          service: body.service,
          instance_id: body.instance_id,
          breaker: body.breaker,
          reason: body.reason,
          expiresInMs,
          actor: request.principal,
        });
        return reply.code(201).send(command);
      },
    );

    app.get(
      '/breakers/commands/:id',
      {
        schema: {
          tags,
          summary: 'One command with its acknowledgements',
          params: CommandParams,
          response: { 200: CommandSchema },
        },
      },
      async (request) => breakers.getCommand(request.params.id),
    );

    app.delete(
      '/breakers/commands/:id',
      {
        schema: {
          tags,
          summary: 'Cancel an active command now (agents release the breaker)',
          params: CommandParams,
          body: Type.Optional(CancelBody),
          response: { 200: CommandSchema },
        },
      },
      async (request) => breakers.cancelCommand(request.params.id, request.principal, request.body?.reason ?? null),
    );

    app.post(
      '/breakers/commands/:id/acks',
      {
        config: { agent: true },
        schema: {
          tags,
          summary: 'An agent acknowledges a command (applied, released at expiry, rejected)',
          params: CommandParams,
          body: CommandAckBody,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await breakers.ackCommand(
          request.params.id,
          request.body.instance_id,
          request.body.status,
          request.body.detail ?? null,
        );
        return reply.code(204).send(null);
      },
    );
  };
}
