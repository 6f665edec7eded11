// A small instrumented service for the agent's tests: a Fastify app with the health endpoints
// mounted, a route that logs and calls a second route over fetch (so a trace crosses a CLIENT →
// SERVER hop with W3C trace context), and a way to drive load.
import { trace } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Agent } from '../../src/agent.js';
import type { AgentLogger } from '../../src/logger.js';
import type { StartOptions } from '../../src/settings.js';

export interface TestService {
  app: FastifyInstance;
  url: string;
  /** GET /work; resolves with the status and the trace id the handler saw. */
  work(): Promise<{ status: number; traceId: string }>;
  close(): Promise<void>;
}

/** Builds the app after start() (Fastify instances are instrumented as they are created). */
export async function startService(agent: Agent): Promise<TestService> {
  const logger = agent.createLogger({ level: 'info' }, { write: () => {} });
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  agent.mountHealth(app);
  let base = '';
  app.get('/work', async (request) => {
    const traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
    request.log.info({ step: 'work', order_id: 42 }, 'working on an order');
    const inner = await fetch(`${base}/inner`);
    const body = (await inner.json()) as { traceparent?: string };
    return { traceId, traceparent: body.traceparent ?? null };
  });
  app.get('/inner', async (request) => ({ traceparent: request.headers.traceparent ?? null }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url: base,
    async work() {
      const response = await fetch(`${base}/work`);
      const body = (await response.json()) as { traceId: string };
      return { status: response.status, traceId: body.traceId };
    },
    close: () => app.close(),
  };
}

/** Short intervals so outages and recoveries happen within a test's time. */
export function fastOptions(overrides: StartOptions): StartOptions {
  const queue = {
    maxQueueSize: 64,
    maxBatchSize: 32,
    exportIntervalMs: 100,
    exportTimeoutMs: 1_000,
    retryInitialMs: 200,
    retryMaxMs: 1_000,
  };
  return {
    version: '1.2.3',
    environment: 'test',
    env: {},
    registration: {
      ttlMs: 3_000,
      heartbeatIntervalMs: 300,
      checkIntervalMs: 1_000,
      checkTimeoutMs: 500,
      backoffInitialMs: 200,
      backoffMaxMs: 1_000,
      requestTimeoutMs: 1_000,
    },
    telemetry: { traces: queue, logs: queue },
    ...overrides,
  };
}

/** An AgentLogger that keeps what the agent said, for assertions. */
export function recordingLogger(): AgentLogger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (_fields: object, message = '') => {
      lines.push({ level, message });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
