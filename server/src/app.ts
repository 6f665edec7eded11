// Builds the control plane without listening, so tests can use inject() or listen on port 0.
// Two Fastify instances: the admin API (with /openapi.json, /docs, /metrics, /livez, /readyz)
// and the OTLP/HTTP receiver on its own port, as every OpenTelemetry SDK expects.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
  type RawServerDefault,
} from 'fastify';
import { type Logger, pino } from 'pino';
import { AuditLog } from './audit/audit-log.js';
import { createAuthenticator, installAccessControl } from './auth/index.js';
import { Errors } from './errors.js';
import { installProblemHandling, sendProblem } from './http/problem.js';
import { createMetrics } from './metrics/metrics.js';
import type { ModuleContext, ServerModule } from './module.js';
import type { Settings } from './settings.js';
import { openStore } from './store/store.js';
import { TimelineService } from './timeline/timeline.js';
import { VERSION } from './version.js';

export interface SignalboxApp {
  readonly api: FastifyInstance<
    RawServerDefault,
    IncomingMessage,
    ServerResponse,
    FastifyBaseLogger,
    TypeBoxTypeProvider
  >;
  readonly otlp: FastifyInstance;
  readonly context: ModuleContext;
  readonly modules: ReadonlyMap<string, ServerModule>;
  /** Listens on both ports, migrates the store, starts the modules. Resolves with the addresses. */
  start(): Promise<{ apiUrl: string; otlpUrl: string }>;
  /** Graceful stop: stop accepting, drain in-flight requests, stop modules (they flush), close the store. */
  close(): Promise<void>;
  isReady(): boolean;
}

export interface BuildOptions {
  logger?: Logger;
  /** Builds the modules; defaults to the full set. Tests may pass a subset. */
  modules?: (context: ModuleContext) => ServerModule[] | Promise<ServerModule[]>;
}

export async function buildApp(settings: Settings, options: BuildOptions = {}): Promise<SignalboxApp> {
  const logger = options.logger ?? pino({ level: settings.logLevel, base: { service: 'signalbox-server' } });
  const metrics = createMetrics();
  const store = await openStore(settings.store, {
    observer: {
      query(kind, seconds, failed) {
        metrics.storeOperationSeconds.observe({ operation: kind, outcome: failed ? 'error' : 'ok' }, seconds);
      },
    },
  });
  const audit = new AuditLog(store);
  const auth = createAuthenticator(settings, store, audit, logger);
  const context: ModuleContext = {
    settings,
    store,
    metrics,
    logger,
    replicaId: settings.replicaId ?? `replica-${randomUUID().slice(0, 8)}`,
    audit,
    auth,
    timeline: new TimelineService(),
  };
  const { defaultModules } = await import('./modules.js');
  const moduleList = await (options.modules ?? defaultModules)(context);
  const modules = new Map(moduleList.map((m) => [m.name, m]));

  let migrated = false;
  let started = false;
  let closing = false;

  const api = Fastify({
    loggerInstance: logger.child({ server: 'api' }) as FastifyBaseLogger,
    bodyLimit: settings.apiBodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const otlp = Fastify({
    loggerInstance: logger.child({ server: 'otlp' }) as FastifyBaseLogger,
    bodyLimit: settings.otlpBodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  for (const [name, server] of [
    ['api', api as FastifyInstance],
    ['otlp', otlp],
  ] as const) {
    installProblemHandling(server);
    server.addHook('onResponse', async (request, reply) => {
      metrics.httpRequestSeconds.observe(
        {
          server: name,
          route: request.routeOptions.url ?? 'unmatched',
          method: request.method,
          status_class: `${Math.floor(reply.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1000,
      );
    });
  }

  await api.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Signalbox API',
        version: VERSION,
        description:
          'Admin and query API of the Signalbox control plane. Errors are RFC 9457 problem+json documents with a stable `type`.',
      },
      tags: [
        { name: 'registry', description: 'Services and instances' },
        { name: 'kubernetes', description: 'Pods, workloads, events and pod logs from the Kubernetes source' },
        { name: 'system', description: 'Health and metrics of the control plane itself' },
        { name: 'auth', description: 'API tokens (admin) and the caller' },
        { name: 'audit', description: 'Every change: who, what, when, before and after' },
        { name: 'timeline', description: 'One service’s history from every source' },
        { name: 'config', description: 'Versioned configuration, rollouts, drift and the agent channel' },
        { name: 'breakers', description: 'Circuit breakers of the fleet and operator commands' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API token (viewer, operator or admin), the bootstrap admin token, or on agent routes the ingest token. Not needed in open mode (no token configured, loopback only).',
          },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  await api.register(swaggerUi, { routePrefix: '/docs' });
  api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger());

  const notReady = (): string | null => {
    if (closing) return 'shutting down';
    if (!migrated) return 'store migrations have not finished';
    if (!started) return 'modules are starting';
    for (const module of modules.values()) {
      const reason = module.notReadyReason?.();
      if (reason) return `${module.name}: ${reason}`;
    }
    return null;
  };

  api.get('/livez', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  api.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    let reason = notReady();
    if (!reason) {
      try {
        await store.ping(1000);
      } catch (error) {
        reason = `store does not answer: ${(error as Error).message}`;
      }
    }
    if (reason) return sendProblem(reply, request, Errors.unavailable(`not ready: ${reason}`));
    return { status: 'ready', replica: context.replicaId, store: store.dialect };
  });
  api.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  // Until migrations are done the API answers 503 rather than touching a half-built schema.
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!migrated) {
      reply.header('retry-after', '1');
      return sendProblem(
        reply,
        request,
        Errors.unavailable('The control plane is starting; retry shortly', { extra: { retryAfterSeconds: 1 } }),
      );
    }
    return undefined;
  };

  await api.register(
    async (scope) => {
      scope.addHook('onRequest', guard);
      // Who may call what, in one place: routes only declare `config: { role, agent }` (auth/index.ts).
      await installAccessControl(scope as unknown as FastifyInstance, auth, {
        rateLimitPerMinute: settings.apiRateLimit,
      });
      for (const module of modules.values()) {
        if (module.apiRoutes) await scope.register(module.apiRoutes);
      }
    },
    { prefix: '/api/v1' },
  );
  await otlp.register(async (scope) => {
    scope.addHook('onRequest', guard);
    for (const module of modules.values()) {
      if (module.otlpRoutes) await scope.register(module.otlpRoutes);
    }
  });

  const startedModules: ServerModule[] = [];

  return {
    api,
    otlp,
    context,
    modules,
    isReady: () => notReady() === null,
    async start() {
      await api.listen({ port: settings.apiPort, host: settings.host });
      await otlp.listen({ port: settings.otlpPort, host: settings.host });
      await store.migrate();
      // Refuses a non-loopback API without any token before anything is served past the guard.
      await auth.checkAtStart(logger);
      migrated = true;
      for (const module of modules.values()) {
        await module.start?.();
        startedModules.push(module);
      }
      started = true;
      const address = (server: { server: { address(): ReturnType<import('node:net').Server['address']> } }) => {
        const info = server.server.address();
        if (info === null || typeof info === 'string') return String(info);
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        return `http://${host}:${info.port}`;
      };
      return { apiUrl: address(api), otlpUrl: address(otlp) };
    },
    async close() {
      if (closing) return;
      closing = true;
      // Stop accepting and drain in-flight requests first, so nothing accepted is cut off,
      // then let modules flush what they hold, then close the store.
      await Promise.allSettled([api.close(), otlp.close()]);
      for (const module of startedModules.reverse()) {
        try {
          await module.stop?.();
        } catch (error) {
          logger.error({ err: error, module: module.name }, 'module failed to stop cleanly');
        }
      }
      await store.close();
    },
  };
}
