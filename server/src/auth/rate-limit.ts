// Per-token rate limit on /api/v1 with @fastify/rate-limit, keyed by the token id the access
// hook found (it runs first: scope hooks run before the route hooks this plugin adds). Agents
// (one shared ingest token for a whole fleet) and open mode (a laptop) are not limited. Counts
// are kept per replica, so N replicas allow up to N times the limit in total.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors } from '../errors.js';

const WINDOW_MS = 60_000; // 1 min: the limit is in requests per minute

function limited(request: FastifyRequest): boolean {
  const kind = request.principal?.kind;
  return kind === 'token' || kind === 'bootstrap';
}

export async function installRateLimit(scope: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute === 0) return;
  await scope.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: perMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `token:${request.principal?.id ?? request.ip}`,
    allowList: (request) => !limited(request),
    errorResponseBuilder: (request, context) =>
      Errors.tooManyRequests(
        `"${request.principal?.name}" made more than ${context.max} requests in a minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
        { extra: { retryAfterSeconds: Math.ceil(context.ttl / 1000) } },
      ),
  });
}
