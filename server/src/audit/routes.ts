// GET /api/v1/audit: the audit log, newest first, filtered and paged.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Errors } from '../errors.js';
import type { AuditLog } from './audit-log.js';
import { AuditPageSchema, AuditQuery } from './schemas.js';

const DEFAULT_LIMIT = 100;

export function auditRoutes(audit: AuditLog): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Changes made through the API and by the control plane: who, what, when, before and after',
          querystring: AuditQuery,
          response: { 200: AuditPageSchema },
        },
      },
      async (request) => {
        const q = request.query;
        if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
          throw Errors.validation('from must not be after to', {
            fields: [{ path: '/querystring/from', message: 'is after to' }],
          });
        }
        return audit.query({
          actor: q.actor,
          action: q.action,
          targetType: q.target_type,
          targetId: q.target_id,
          service: q.service,
          from: q.from,
          to: q.to,
          cursor: q.cursor,
          limit: q.limit ?? DEFAULT_LIMIT,
        });
      },
    );
  };
}
