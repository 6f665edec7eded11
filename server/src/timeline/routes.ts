// GET /api/v1/services/{name}/timeline: what happened to one service, from every source, merged.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors } from '../errors.js';
import type { TimelineService } from './timeline.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DEFAULT_WINDOW_MS = 24 * 3_600_000; // 24 h
const DEFAULT_LIMIT = 500;

const TimelineParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });
const TimelineQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive (default: 24 h before `to`)' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive (default: now)' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 5000, description: `Most events (default ${DEFAULT_LIMIT})` }),
    ),
  },
  { additionalProperties: false },
);
const TimelineSchema = Type.Object({
  service: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  events: Type.Array(
    Type.Object({
      at: Type.Integer({ description: 'Epoch ms' }),
      source: Type.String({ description: 'audit, health, breakers, kubernetes…' }),
      kind: Type.String({ description: 'The audit action, `status.<to>` for health transitions, …' }),
      summary: Type.String(),
      instance_id: Nullable(Type.String()),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
    { description: 'Newest first' },
  ),
  truncated: Type.Boolean({ description: 'More events exist in the window than `limit`' }),
  sources: Type.Array(Type.Object({ name: Type.String(), ok: Type.Boolean(), error: Nullable(Type.String()) }), {
    description: 'Each source asked, and why it gave nothing when it failed',
  }),
});

export function timelineRoutes(timeline: TimelineService, now: () => number = Date.now): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/services/:name/timeline',
      {
        schema: {
          tags: ['timeline'],
          summary: "One service's timeline: audit entries, health transitions, breaker transitions, Kubernetes events",
          params: TimelineParams,
          querystring: TimelineQuerySchema,
          response: { 200: TimelineSchema },
        },
      },
      async (request) => {
        const to = request.query.to ?? now();
        const from = request.query.from ?? Math.max(0, to - DEFAULT_WINDOW_MS);
        if (from > to) {
          throw Errors.validation('from must not be after to', {
            fields: [{ path: '/querystring/from', message: 'is after to' }],
          });
        }
        return timeline.query(
          { service: request.params.name, from, to, limit: request.query.limit ?? DEFAULT_LIMIT },
          (source, error) => request.log.error({ err: error, source }, 'timeline source failed'),
        );
      },
    );
  };
}
