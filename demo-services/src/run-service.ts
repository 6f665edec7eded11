// Starts one service of the fleet: settings, fault injector, its database, the event bus, the
// HTTP server with its routes. Used by the process entry (main.ts, with the agent) and by
// tests (in-process, on port 0).
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { type Database, openDatabase } from './database/database.js';
import { connectEventBus } from './events/connect.js';
import type { EventBus } from './events/event-bus.js';
import { FaultInjector } from './faults.js';
import { type Attempt, Downstream } from './http/downstream.js';
import { createServiceApp } from './http/service-app.js';
import { DEFINITIONS } from './services/index.js';
import type { ServiceContext } from './services/service.js';
import { type DemoSettings, loadSettings, type ServiceName } from './settings.js';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Wraps each call to a peer (the agent's circuit breaker, one per peer). */
  wrapDownstream?(peer: ServiceName, attempt: Attempt): Attempt;
  /** Runs after the routes are registered and before listening (the agent mounts /healthz here). */
  beforeListen?(app: FastifyInstance, context: ServiceContext): void | Promise<void>;
}

export interface RunningService {
  readonly name: ServiceName;
  readonly url: string;
  readonly app: FastifyInstance;
  readonly context: ServiceContext;
  /** Stops taking requests, drains, stops background work, closes the bus and the database. */
  close(): Promise<void>;
}

export async function startService(name: ServiceName, options: StartOptions = {}): Promise<RunningService> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ level: env['LOG_LEVEL'] ?? 'info', base: { service: name } });
  const settings: DemoSettings = loadSettings(name, env, (message) => logger.warn(message));
  const definition = DEFINITIONS[name];
  const faults = new FaultInjector(settings.faults);
  if (faults.active) logger.warn({ faults: settings.faults }, 'fault injection is on');

  const cleanup: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      await step().catch((error) => logger.warn({ err: error }, 'error while stopping'));
    }
  };

  try {
    let db: Database | undefined;
    if (definition.schema) {
      const opened = await openDatabase(settings.database, definition.schema);
      db = opened;
      cleanup.push(() => opened.close());
    }
    let events: EventBus | undefined;
    if (definition.usesEvents) {
      const bus = await connectEventBus(settings.events, name, logger);
      events = bus;
      cleanup.push(() => bus.close());
    }

    const clients = new Map<ServiceName, Downstream>();
    const context: ServiceContext = {
      settings,
      logger,
      faults,
      get db(): Database {
        if (!db) throw new Error(`${name} has no database`);
        return db;
      },
      get events(): EventBus {
        if (!events) throw new Error(`${name} does not use events`);
        return events;
      },
      downstream(peer) {
        let client = clients.get(peer);
        if (!client) {
          const edge = name === 'gateway';
          client = new Downstream({
            name: peer,
            baseUrl: settings.urls[peer],
            timeoutMs: edge ? settings.gateway.upstreamTimeoutMs : settings.callTimeoutMs,
            retries: edge ? settings.gateway.upstreamRetries : settings.callRetries,
            ...(options.wrapDownstream
              ? { wrap: (attempt: Attempt) => options.wrapDownstream?.(peer, attempt) ?? attempt }
              : {}),
          });
          clients.set(peer, client);
        }
        return client;
      },
    };

    const app = createServiceApp({ service: name, logger, faults });
    const stopBackground = await definition.register(app, context);
    if (stopBackground) cleanup.push(stopBackground);
    await options.beforeListen?.(app, context);
    await app.listen({ host: settings.host, port: settings.port });
    // The server closes first: in-flight requests finish while the database is still open.
    cleanup.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const url = `http://${settings.host}:${port}`;
    logger.info(
      { url, database: settings.database.kind, events: events?.system ?? 'none' },
      `${name} listening on ${url}`,
    );

    let closing: Promise<void> | undefined;
    return {
      name,
      url,
      app,
      context,
      close: () => {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
