// Staged rollout routes under /api/v1: start (operator), list and read (viewer), promote and
// abort by hand (operator). Thin: the RolloutService does the work.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Errors } from '../errors.js';
import { parseDuration } from '../registry/durations.js';
import { DecisionBody, RolloutListSchema, RolloutParams, RolloutSchema, StartRolloutBody } from './rollout-schemas.js';
import type { RolloutService } from './rollout-service.js';
import { DocParams } from './schemas.js';

const tags = ['config'];

export function rolloutRoutes(rollouts: RolloutService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/config/:service/:environment/rollouts',
      {
        schema: {
          tags,
          summary:
            'Publish a version to a canary share first; it is promoted or rolled back on canary-versus-baseline figures',
          params: DocParams,
          body: StartRolloutBody,
          response: { 201: RolloutSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const bakeMs = parseDuration(body.bake);
        if (bakeMs === undefined || bakeMs <= 0) {
          throw Errors.validation('bake must be a positive duration such as "2m"', {
            fields: [{ path: '/body/bake', message: 'a positive duration' }],
          });
        }
        const rollout = await rollouts.start({
          service: request.params.service,
          environment: request.params.environment,
          content: body.content,
          baseVersion: body.base_version,
          message: body.message,
          canary: body.canary,
          bakeMs,
          thresholds: body.thresholds ?? {},
          autoPromote: body.auto_promote ?? true,
          actor: request.principal,
        });
        return reply.code(201).send(rollout);
      },
    );

    app.get(
      '/config/:service/:environment/rollouts',
      {
        schema: { tags, summary: 'Rollouts, newest first', params: DocParams, response: { 200: RolloutListSchema } },
      },
      async (request) => ({ rollouts: await rollouts.list(request.params.service, request.params.environment) }),
    );

    app.get(
      '/config/:service/:environment/rollouts/:id',
      {
        schema: {
          tags,
          summary: 'One rollout with its steps and the latest canary-versus-baseline figures',
          params: RolloutParams,
          response: { 200: RolloutSchema },
        },
      },
      async (request) => rollouts.get(request.params.service, request.params.environment, request.params.id),
    );

    app.post(
      '/config/:service/:environment/rollouts/:id/promote',
      {
        schema: {
          tags,
          summary: 'Promote now: the canary version becomes current for every instance (409 when it already ended)',
          params: RolloutParams,
          body: DecisionBody,
          response: { 200: RolloutSchema },
        },
      },
      async (request) =>
        rollouts.promote(
          request.params.service,
          request.params.environment,
          request.params.id,
          request.principal,
          request.body?.reason,
        ),
    );

    app.post(
      '/config/:service/:environment/rollouts/:id/abort',
      {
        schema: {
          tags,
          summary: 'Abort: canary instances return to the previous version (409 when it already ended)',
          params: RolloutParams,
          body: DecisionBody,
          response: { 200: RolloutSchema },
        },
      },
      async (request) =>
        rollouts.abort(
          request.params.service,
          request.params.environment,
          request.params.id,
          request.principal,
          request.body?.reason,
        ),
    );
  };
}
