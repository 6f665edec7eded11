// Fastify: one SERVER span per request, named after the route ("GET /orders/:id"), with the W3C
// trace context of the caller as its parent and active while the request's hooks and handler run.
//
// Fastify 5 announces each new instance on the `fastify.initialization` diagnostics channel; the
// agent adds three hooks to it there (onRequest starts the span, onResponse ends it when the
// response is written, onError records the exception; the span's status is ERROR for 5xx only), so a service needs no code for it. The
// same instance's server is taken away from the generic http instrumentation, which would
// otherwise trace the request a second time.
//
// Why not @fastify/otel (the agent used it until the overhead bench said otherwise): even with
// its hook and handler spans off it adds an onSend and an onError hook to every route and an
// onResponse hook to every request, rebuilds `request.routeOptions` four times per request, and
// sets attributes nobody reads. Profiled under the agent-overhead bench (CPU time, busy machine),
// its onRequest hook took 13.6 µs per request against 10 for this one (mostly the SDK's
// startSpan), and the whole agent cost 8 to 20 µs less per request without it.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isHealthPath } from '../health/endpoints.js';

const INITIALIZATION_CHANNEL = 'fastify.initialization';
const kSpan = Symbol('signalbox request span');
const kError = Symbol('signalbox request error');

/** The parts of Fastify's request, reply and instance the hooks use (Fastify 4 and 5). */
interface RequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  routeOptions: { url?: string | undefined };
  protocol?: string;
  [kSpan]: Span | null;
  [kError]: Error | null;
}
interface ReplyLike {
  statusCode: number;
}
type Done = () => void;
interface FastifyLike {
  server: Server;
  decorateRequest(name: symbol, value: null): unknown;
  addHook(name: 'onRequest', hook: (request: RequestLike, reply: ReplyLike, done: Done) => void): unknown;
  addHook(name: 'onResponse', hook: (request: RequestLike, reply: ReplyLike, done: Done) => void): unknown;
  addHook(name: 'onError', hook: (request: RequestLike, reply: ReplyLike, error: Error, done: Done) => void): unknown;
}

/** What shimmer (used by every OpenTelemetry instrumentation) leaves on a wrapped function. */
interface Wrapped {
  __wrapped?: boolean;
  __original?: Server['emit'];
}

export interface FastifyTracing {
  /** Stops instrumenting new Fastify instances (those already instrumented keep their hooks). */
  stop(): void;
}

export function traceFastify(tracer: Tracer): FastifyTracing {
  const onInitialization = (message: unknown) => {
    const app = (message as { fastify?: FastifyLike }).fastify;
    if (app) instrument(app, tracer);
  };
  subscribe(INITIALIZATION_CHANNEL, onInitialization);
  return { stop: () => unsubscribe(INITIALIZATION_CHANNEL, onInitialization) };
}

function instrument(app: FastifyLike, tracer: Tracer): void {
  untraceHttpLayer(app.server);
  // Declared up front so that every request object keeps one shape.
  app.decorateRequest(kSpan, null);
  app.decorateRequest(kError, null);

  app.addHook('onRequest', function startRequestSpan(request, _reply, done) {
    if (isHealthPath(request.url)) return done();
    let parent = context.active();
    // A span already active means something outside traces this request (a plain http server
    // handing requests to Fastify): this one is then an INTERNAL child of it.
    const outer = trace.getSpan(parent);
    if (outer === undefined) parent = propagation.extract(parent, request.headers);
    const { method, url } = request;
    const route = request.routeOptions.url;
    const query = url.indexOf('?');
    const attributes: Attributes = {
      'http.request.method': method,
      'url.scheme': request.protocol ?? 'http',
      'url.path': query === -1 ? url : url.slice(0, query),
    };
    if (route !== undefined) attributes['http.route'] = route;
    const span = tracer.startSpan(
      route === undefined ? method : `${method} ${route}`,
      { kind: outer === undefined ? SpanKind.SERVER : SpanKind.INTERNAL, attributes },
      parent,
    );
    request[kSpan] = span;
    context.with(trace.setSpan(parent, span), done);
  });

  app.addHook('onResponse', function endRequestSpan(request, reply, done) {
    const span = request[kSpan];
    if (span !== null) {
      request[kSpan] = null;
      const status = reply.statusCode;
      span.setAttribute('http.response.status_code', status);
      // A 5xx is the server's failure; a 4xx is the client's and leaves the status unset.
      if (status >= 500) {
        const error = request[kError];
        span.setAttribute('error.type', error?.name ?? String(status));
        span.setStatus(error ? { code: SpanStatusCode.ERROR, message: error.message } : { code: SpanStatusCode.ERROR });
      }
      request[kError] = null;
      span.end();
    }
    done();
  });

  app.addHook('onError', function recordRequestError(request, _reply, error, done) {
    const span = request[kSpan];
    if (span !== null) {
      span.recordException(error);
      request[kError] = error;
    }
    done();
  });
}

/**
 * Gives this one server the `emit` the http instrumentation wrapped (an own property shadowing
 * the patched prototype), so requests to it are traced by these hooks alone. If the method is
 * not wrapped (http instrumentation off, or loaded differently), nothing changes.
 */
function untraceHttpLayer(server: Server): void {
  const emit = server.emit as Server['emit'] & Wrapped;
  if (emit.__wrapped === true && typeof emit.__original === 'function') {
    server.emit = emit.__original;
  }
}
