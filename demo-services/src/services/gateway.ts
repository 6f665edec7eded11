// gateway: the shop's public API. Checks the bearer token, rate-limits each client with a
// token bucket (429 + Retry-After), and routes to the backends with a timeout per attempt and
// retries for requests that are safe to repeat.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_ROUTES, type GatewayRoute } from '../gateway/routes.js';
import { TokenBuckets } from '../gateway/token-bucket.js';
import { problem } from '../http/service-app.js';
import type { ServiceContext, ServiceDefinition } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    client?: string;
  }
}

/** Response headers a backend may set that the caller should see. */
const PASSED_HEADERS = ['content-type', 'retry-after', 'location'];

export const gateway: ServiceDefinition = {
  name: 'gateway',
  usesEvents: false,
  dependsOn: ['inventory', 'users', 'orders'],

  async register(app, context) {
    const { tokens, rateLimitPerSecond, rateLimitBurst } = context.settings.gateway;
    const buckets = new TokenBuckets({ ratePerSecond: rateLimitPerSecond, burst: rateLimitBurst });

    app.addHook('preHandler', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const client = match ? tokens.get(match[1] ?? '') : undefined;
      if (!client) {
        reply.header('www-authenticate', 'Bearer realm="shop"');
        return reply
          .code(401)
          .type('application/problem+json')
          .send(
            problem(
              401,
              'unauthorized',
              match ? 'unknown bearer token' : 'send Authorization: Bearer <token> (see GATEWAY_TOKENS)',
            ),
          );
      }
      request.client = client;
      const decision = buckets.take(client);
      reply.header('ratelimit-limit', buckets.limit);
      reply.header('ratelimit-remaining', decision.remaining);
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        reply.header('retry-after', seconds);
        return reply
          .code(429)
          .type('application/problem+json')
          .send(
            problem(429, 'rate_limited', `client ${client} is over ${rateLimitPerSecond} requests/s`, {
              retry_after_seconds: seconds,
            }),
          );
      }
    });

    for (const route of GATEWAY_ROUTES) {
      app.route({
        method: route.method,
        url: route.path,
        handler: (request, reply) => forward(context, route, request, reply),
      });
    }
    return undefined;
  },
};

async function forward(context: ServiceContext, route: GatewayRoute, request: FastifyRequest, reply: FastifyReply) {
  const { upstreamTimeoutMs } = context.settings.gateway;
  const headers: Record<string, string> = { 'x-client-id': request.client ?? 'anonymous' };
  let idempotent = route.retry === 'idempotent';
  if (route.retry === 'with-idempotency-key') {
    // The key makes a retried placement land on the same order instead of a second one.
    const given = request.headers['idempotency-key'];
    headers['idempotency-key'] = typeof given === 'string' && given !== '' ? given : randomUUID();
    idempotent = true;
  }
  let path = route.target(request.params as Record<string, string>);
  if (route.query) {
    const query = new URLSearchParams();
    const given = request.query as Record<string, string | undefined>;
    for (const name of route.query) if (given[name] !== undefined) query.set(name, String(given[name]));
    if ([...query.keys()].length > 0) path += `?${query}`;
  }
  const response = await context.downstream(route.upstream).call(route.method, path, {
    body: route.method === 'POST' ? request.body : undefined,
    headers,
    idempotent,
    timeoutMs: Math.max(upstreamTimeoutMs, route.timeoutMs ?? 0),
  });
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value) reply.header(name, value);
  }
  reply.header('x-upstream-attempts', response.attempts);
  return reply.code(response.status).send(response.body);
}
