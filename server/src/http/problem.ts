// Turns every error into RFC 9457 problem+json: our own ApiErrors, Fastify's validation and
// content-type errors, and anything unexpected (logged, answered as a 500 without internals).
// Also answers unknown routes with 404 and known paths with the wrong method with 405.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { ApiError, Errors, type ProblemField, toProblem } from '../errors.js';

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

function fieldsFromValidation(error: FastifyError): ProblemField[] {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  return ((error.validation ?? []) as AjvLikeError[]).map((issue) => {
    let path = `/${context}${issue.instancePath ?? ''}`;
    const params = issue.params ?? {};
    if (issue.keyword === 'required' && typeof params.missingProperty === 'string') {
      path += `/${params.missingProperty}`;
      return { path, message: 'is required' };
    }
    if (issue.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path += `/${params.additionalProperty}`;
      return { path, message: 'is not a known field' };
    }
    return { path, message: issue.message ?? 'is invalid' };
  });
}

export function toApiError(error: FastifyError | ApiError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const fields = fieldsFromValidation(fastifyError);
    const summary = fields.map((f) => `${f.path} ${f.message}`).join('; ');
    return Errors.validation(`Fix these fields and retry: ${summary}`, { fields });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return Errors.payloadTooLarge(fastifyError.message, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return Errors.unsupportedMediaType(fastifyError.message, { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return Errors.badRequest('The body is empty; send a JSON document', { cause: error });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return Errors.badRequest(fastifyError.message, { cause: error });
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return Errors.badRequest(`The body is not valid JSON: ${error.message}`, { cause: error });
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    if (status === 429) return Errors.tooManyRequests(fastifyError.message, { cause: error });
    return Errors.badRequest(fastifyError.message, { cause: error });
  }
  return Errors.internal('An unexpected error occurred; the server log has the details', { cause: error });
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: ApiError): FastifyReply {
  return reply
    .code(error.statusCode)
    .type('application/problem+json')
    .send(toProblem(error, request.url.split('?')[0]));
}

/** Installs the problem+json error handler and the 404/405 handler on one Fastify instance. */
export function installProblemHandling(app: FastifyInstance): void {
  // A route table of our own, to tell "no such path" (404) from "wrong method" (405).
  const routes = FindMyWay({ ignoreTrailingSlash: true });
  const noop = () => {};
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      try {
        routes.on(method as HTTPMethod, route.url, noop);
      } catch {
        // Duplicate registrations (HEAD added by Fastify) are fine.
      }
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    // 503 is a state we chose to answer with (starting, syncing, back-pressure), not a fault.
    if (apiError.statusCode === 503) request.log.warn({ err: error }, 'request refused: unavailable');
    else if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ err: error }, 'request refused');
    if (apiError.statusCode === 503 && apiError.extra?.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(apiError.extra.retryAfterSeconds));
    }
    return sendProblem(reply, request, apiError);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(
      (method) => method !== request.method && routes.find(method, path) !== null,
    );
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        request,
        Errors.methodNotAllowed(`${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`),
      );
    }
    return sendProblem(reply, request, Errors.routeNotFound(`There is no route ${request.method} ${path}`));
  });
}
