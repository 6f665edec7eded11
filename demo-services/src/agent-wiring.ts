// Runs a service under the agent (loaded by main.ts after start()): the agent's pino logger (trace
// ids on every line, exported as OTLP logs), /healthz and /readyz on the service's own port,
// readiness checks for its database, its broker and its downstreams, and a clean stop on
// SIGTERM/SIGINT: stop taking requests, drain, close, deregister, flush.
import { type Agent, BreakerOpenError, databaseCheck, httpCheck } from '@signalbox/agent';
import { type Attempt, BREAKER_OPEN_HEADER } from './http/downstream.js';
import type { DemoConfig } from './live-config.js';
import { startService } from './run-service.js';
import { DEFINITIONS } from './services/index.js';
import type { ServiceName } from './settings.js';

const CHECK_TIMEOUT_MS = 1500;

/** One breaker per peer: opens at 50 % failures over 10 s (20 calls at least), probes after 5 s. */
const BREAKER_OPTIONS = {
  failureRateThreshold: 0.5,
  slowCallRateThreshold: 0.8,
  slowCallDurationMs: 2000,
  windowMs: 10_000,
  minimumCalls: 20,
  openDurationMs: 5000,
};

/** Every call to `peer` through a breaker whose fallback answers 503 at once while it is open. */
function breakerFor(agent: Agent<DemoConfig>, peer: ServiceName, attempt: Attempt): Attempt {
  const breaker = agent.breaker(peer, attempt, {
    ...BREAKER_OPTIONS,
    dependency: peer,
    fallback: (_method, _path, _options, _timeoutMs, error) => {
      if (!(error instanceof BreakerOpenError) && (error as { code?: string }).code !== 'EOPENBREAKER') throw error;
      return {
        status: 503,
        headers: new Headers({ 'content-type': 'application/json', [BREAKER_OPEN_HEADER]: 'open' }),
        body: { error: 'breaker_open', message: `${peer} is not called: its circuit breaker is open` },
      };
    },
  });
  return (...args) => breaker.fire(...args);
}

export async function wireService(service: ServiceName, agent: Agent<DemoConfig>): Promise<void> {
  const logger = agent.createLogger({ level: process.env['LOG_LEVEL'] ?? 'info', base: { service } });
  const definition = DEFINITIONS[service];

  let running: Awaited<ReturnType<typeof startService>>;
  try {
    running = await startService(service, {
      logger,
      wrapDownstream: (peer, attempt) => breakerFor(agent, peer, attempt),
      beforeListen(app, context) {
        agent.mountHealth(app);
        if (definition.schema) {
          agent.health.add(
            databaseCheck('database', { query: (sql) => context.db.query(sql) }, { timeoutMs: CHECK_TIMEOUT_MS }),
          );
        }
        if (definition.usesEvents) {
          agent.health.add({ name: 'broker', timeoutMs: CHECK_TIMEOUT_MS, check: () => context.events.check() });
        }
        // A downstream that is down is reported, not fatal: an unready gateway would only turn
        // one failing backend into a failing shop.
        for (const peer of definition.dependsOn) {
          agent.health.add(
            httpCheck(peer, `${context.settings.urls[peer]}/healthz`, { timeoutMs: CHECK_TIMEOUT_MS, critical: false }),
          );
        }
      },
    });
  } catch (error) {
    logger.fatal({ err: error }, `${service} could not start: ${(error as Error).message}`);
    await agent.shutdown({ timeoutMs: 2000 });
    process.exit(1);
  }

  // Fault injection follows the live configuration (FAULT_* only set the start).
  const { faults } = running.context;
  const applyFaults = (config: DemoConfig | undefined) => {
    if (!config) return;
    faults.update(config.faults);
    logger.info({ faults: config.faults, config_version: agent.config.version }, 'fault injection from configuration');
  };
  applyFaults(agent.config.get());
  agent.config.on('change', (change) => applyFaults(change.value));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${service} stopping`);
    await running.close();
    const report = await agent.shutdown();
    logger.info(report, `${service} stopped`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
