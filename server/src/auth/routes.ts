// Token API (admin only) and /whoami. Thin: validate, call the token service, shape the reply.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Errors } from '../errors.js';
import { parseDuration } from '../registry/durations.js';
import type { Authenticator } from './authenticator.js';
import {
  CreatedTokenSchema,
  CreateTokenBody,
  RevokeQuery,
  TokenListQuery,
  TokenListSchema,
  TokenParams,
  TokenSchema,
  WhoAmISchema,
} from './schemas.js';

const tags = ['auth'];

export function authRoutes(auth: Authenticator): FastifyPluginAsyncTypebox {
  const { tokens } = auth;
  return async (app) => {
    app.post(
      '/tokens',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Create an API token; the response is the only time the token is shown',
          body: CreateTokenBody,
          response: { 201: CreatedTokenSchema },
        },
      },
      async (request, reply) => {
        const { name, role, expires_in } = request.body;
        let expiresInMs: number | undefined;
        if (expires_in !== undefined) {
          expiresInMs = parseDuration(expires_in);
          if (!expiresInMs) {
            throw Errors.validation('expires_in must be a positive duration such as "720h"', {
              fields: [{ path: '/body/expires_in', message: 'must be a positive duration' }],
            });
          }
        }
        const created = await tokens.create({ name, role, expiresInMs }, request.principal);
        reply.header('cache-control', 'no-store');
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/tokens',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'API tokens, newest first (never the tokens themselves)',
          querystring: TokenListQuery,
          response: { 200: TokenListSchema },
        },
      },
      async (request) => ({ tokens: await tokens.list(request.query.include_revoked ?? false) }),
    );

    app.delete(
      '/tokens/:id',
      {
        config: { role: 'admin' },
        schema: {
          tags,
          summary: 'Revoke a token: it is refused from now on (idempotent)',
          params: TokenParams,
          querystring: RevokeQuery,
          response: { 200: TokenSchema },
        },
      },
      async (request) => tokens.revoke(request.params.id, request.principal, request.query.reason),
    );

    app.get(
      '/whoami',
      {
        config: { role: 'viewer', agent: true },
        schema: {
          tags,
          summary: 'The caller as the API sees it: kind, name and role of the token',
          response: { 200: WhoAmISchema },
        },
      },
      async (request) => ({
        kind: request.principal.kind,
        id: request.principal.id,
        name: request.principal.name,
        role: request.principal.role,
        open_mode: request.principal.kind === 'open',
      }),
    );
  };
}
