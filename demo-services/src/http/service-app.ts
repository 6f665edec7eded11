// The Fastify instance every demo service starts from: JSON schema validation, problem+json
// errors, and the fault injector in front of every route.
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { type FaultInjector, InjectedFault } from '../faults.js';
import { DownstreamError } from './downstream.js';

/** A business error with the HTTP status it maps to and a stable code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Paths that probes and scrapers use: slowed and hung by faults, never failed by them. */
const OPERATIONAL_PATHS = new Set(['/healthz', '/readyz', '/livez']);

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  faults: FaultInjector;
}

export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    // One line per request at demo rates would drown the business log lines that matter.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    return503OnClosing: true,
    bodyLimit: 256 * 1024, // 256 KiB: no demo request comes near
  }) as unknown as FastifyInstance;

  app.addHook('onRequest', async (request) => {
    await options.faults.delay();
    if (!OPERATIONAL_PATHS.has(request.url.split('?', 1)[0] ?? '')) options.faults.failOrCrash();
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .type('application/problem+json')
      .send(problem(404, 'not_found', `no route for ${request.method} ${request.url.split('?', 1)[0]}`));
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    let status = 500;
    let code = 'internal';
    let extra: Record<string, unknown> = {};
    if (error instanceof HttpError) {
      status = error.statusCode;
      code = error.code;
      extra = error.extra;
    } else if (error instanceof DownstreamError) {
      status = error.failure === 'timeout' ? 504 : 503;
      code = error.failure === 'timeout' ? 'dependency_timeout' : 'dependency_unavailable';
      extra = { dependency: error.dependency };
    } else if (error instanceof InjectedFault) {
      code = 'injected_fault';
    } else if ('validation' in error && error.validation) {
      status = 400;
      code = 'invalid_request';
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      status = error.statusCode;
      code = error.code?.toLowerCase() ?? 'bad_request';
    }
    if (status >= 500) request.log.error({ err: error, url: request.url }, error.message);
    reply
      .code(status)
      .type('application/problem+json')
      .send(problem(status, code, error.message, extra));
  });

  return app;
}

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return { type: `urn:signalbox:demo:${code}`, title: code.replace(/_/g, ' '), status, detail, ...extra };
}
