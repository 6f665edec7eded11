// Sets up OpenTelemetry for the host: @opentelemetry/sdk-node with W3C trace context, our
// resource, OTLP/HTTP exporters for traces and logs behind bounded queues, and the
// instrumentations for http, undici/fetch, Fastify and pg. Everything that can fail here is
// caught: telemetry that cannot start leaves the service running without it.
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { context, type DiagLogger, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { settleWithin } from '../deadline.js';
import { isHealthPath } from '../health/endpoints.js';
import type { AgentLogger } from '../logger.js';
import type { LogExport } from '../logging/pino.js';
import type { AgentSettings } from '../settings.js';
import { AGENT_VERSION } from '../version.js';
import { ExportQueue, type ExportQueueStats } from './export-queue.js';
import { traceFastify } from './fastify.js';
import { exportWith, QueueLogRecordProcessor, QueueSpanProcessor } from './processors.js';
import { buildResourceAttributes } from './resource.js';

export interface TelemetryStats {
  spans: ExportQueueStats;
  logs: ExportQueueStats;
}

export interface TelemetryPipeline {
  readonly active: boolean;
  /** Where the agent's pino loggers put their records (undefined when telemetry is off). */
  readonly logExport: LogExport | undefined;
  stats(): TelemetryStats;
  /** Sends what is queued; true when everything went out within the deadline. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Flushes within the deadline, then stops the SDK and removes the instrumentations. */
  shutdown(timeoutMs: number): Promise<boolean>;
}

/** Instrumentation scope of the Fastify request spans. */
const FASTIFY_SCOPE = '@signalbox/agent/fastify';
/** Instrumentation scope of the records from the agent's pino loggers. */
const PINO_SCOPE = '@signalbox/agent/pino';

/** CommonJS packages patched by instrumentations when `require`d after start (see patchLoadedModules). */
const LATE_PATCHED_PACKAGES = ['pg', 'pg-pool'];

export function startTelemetry(
  settings: AgentSettings,
  logger: AgentLogger,
  env: Record<string, string | undefined>,
): TelemetryPipeline {
  if (!settings.telemetry.enabled) return inactivePipeline('disabled');
  const ownsDiag = env['OTEL_LOG_LEVEL'] === undefined;
  if (ownsDiag) diag.setLogger(diagToAgentLogger(logger), DiagLogLevel.WARN);
  try {
    const { traces, logs: logSettings } = settings.telemetry;
    // OTLP/HTTP with protobuf bodies (the specification's default): a third of the bytes of JSON
    // and about half the host's CPU to encode.
    const traceExporter = new OTLPTraceExporter({
      url: `${settings.otlpEndpoint}/v1/traces`,
      timeoutMillis: traces.exportTimeoutMs,
    });
    const logExporter = new OTLPLogExporter({
      url: `${settings.otlpEndpoint}/v1/logs`,
      timeoutMillis: logSettings.exportTimeoutMs,
    });
    const spanQueue = new ExportQueue<ReadableSpan>('traces', exportWith(traceExporter), traces, logger);
    const logQueue = new ExportQueue<ReadableLogRecord>('logs', exportWith(logExporter), logSettings, logger);
    const onStop: (() => void)[] = [];
    const instrumentations = createInstrumentations(settings, logger);
    const resource = defaultResource().merge(resourceFromAttributes(buildResourceAttributes(settings)));
    const logExport: LogExport = {
      resource,
      scope: { name: PINO_SCOPE, version: AGENT_VERSION },
      push: (record) => void logQueue.push(record),
    };
    const sdk = new NodeSDK({
      resource,
      autoDetectResources: false,
      spanProcessors: [new QueueSpanProcessor(spanQueue)],
      logRecordProcessors: [new QueueLogRecordProcessor(logQueue)],
      // The control plane takes traces and logs; no metrics exporter (the SDK would default to OTLP).
      metricReaders: [],
      instrumentations,
      textMapPropagator: new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    });
    sdk.start();
    // Not an Instrumentation (it patches nothing): it hooks Fastify instances as they are created,
    // with the SDK's own tracer (taken after start, so no proxy sits in front of it).
    if (settings.telemetry.instrumentations.fastify) {
      onStop.push(traceFastify(trace.getTracer(FASTIFY_SCOPE, AGENT_VERSION)).stop);
    }
    patchLoadedModules(logger);

    let stopped: Promise<boolean> | undefined;
    return {
      active: true,
      logExport,
      stats: () => ({ spans: spanQueue.stats(), logs: logQueue.stats() }),
      async flush(timeoutMs) {
        const [a, b] = await Promise.all([spanQueue.flush(timeoutMs), logQueue.flush(timeoutMs)]);
        return a && b;
      },
      shutdown(timeoutMs) {
        stopped ??= (async () => {
          const deadline = Date.now() + timeoutMs;
          const [a, b] = await Promise.all([spanQueue.shutdown(timeoutMs), logQueue.shutdown(timeoutMs)]);
          // Queues are empty now; the SDK's shutdown closes the exporters (bounded all the same).
          await settleWithin(sdk.shutdown(), Math.max(1, deadline - Date.now()));
          for (const instrumentation of instrumentations) instrumentation.disable();
          for (const stop of onStop) stop();
          // Leave the process as it was before start(): another start() may register again.
          trace.disable();
          context.disable();
          propagation.disable();
          logs.disable();
          if (ownsDiag) diag.disable();
          return a && b;
        })();
        return stopped;
      },
    };
  } catch (error) {
    logger.error({ err: error }, 'telemetry could not start; the service runs without traces and logs export');
    if (ownsDiag) diag.disable();
    return inactivePipeline('failed to start');
  }
}

function createInstrumentations(settings: AgentSettings, logger: AgentLogger): Instrumentation[] {
  const wanted = settings.telemetry.instrumentations;
  const out: Instrumentation[] = [];
  const add = (name: string, make: () => Instrumentation) => {
    try {
      out.push(make());
    } catch (error) {
      logger.warn({ err: error, instrumentation: name }, 'instrumentation unavailable; continuing without it');
    }
  };
  if (wanted.http) {
    add('http', () => new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isHealthPath(request.url) }));
  }
  // Outgoing fetch() and undici requests, through undici's diagnostics channels.
  if (wanted.undici) add('undici', () => new UndiciInstrumentation());
  if (wanted.pg) add('pg', () => new PgInstrumentation());
  return out;
}

/**
 * Instrumentations patch CommonJS modules when they are `require`d. A service written as ES
 * modules imports pg (and node:http) before it calls start(), so nothing would be patched: the
 * patches land on the shared module objects when those modules are required again here. Only
 * modules already loaded are touched; the agent never loads what the service does not use.
 */
function patchLoadedModules(logger: AgentLogger): void {
  const require = createRequire(import.meta.url);
  for (const builtin of ['node:http', 'node:https']) require(builtin);
  const markers = LATE_PATCHED_PACKAGES.map((name) => `${sep}node_modules${sep}${name}${sep}`);
  for (const [file, module] of Object.entries(require.cache)) {
    if (!module?.loaded || !markers.some((marker) => file.includes(marker))) continue;
    try {
      require(file);
    } catch (error) {
      logger.debug({ err: error, file }, 'could not re-require a loaded module for instrumentation');
    }
  }
}

function inactivePipeline(reason: string): TelemetryPipeline {
  const empty: ExportQueueStats = {
    queued: 0,
    exported: 0,
    dropped: 0,
    rejected: 0,
    failedExports: 0,
    lastError: reason,
  };
  return {
    active: false,
    logExport: undefined,
    stats: () => ({ spans: { ...empty }, logs: { ...empty } }),
    flush: async () => true,
    shutdown: async () => true,
  };
}

/** OpenTelemetry's own warnings, into the agent's logger (never exported). */
function diagToAgentLogger(logger: AgentLogger): DiagLogger {
  const text = (message: string, args: unknown[]) => [message, ...args.map(describeArg)].join(' ');
  return {
    error: (message, ...args) => logger.warn({ source: 'opentelemetry' }, text(message, args)),
    warn: (message, ...args) => logger.warn({ source: 'opentelemetry' }, text(message, args)),
    info: (message, ...args) => logger.debug({ source: 'opentelemetry' }, text(message, args)),
    debug: (message, ...args) => logger.debug({ source: 'opentelemetry' }, text(message, args)),
    verbose: (message, ...args) => logger.debug({ source: 'opentelemetry' }, text(message, args)),
  };
}

function describeArg(arg: unknown): string {
  if (arg instanceof Error) return arg.message;
  if (typeof arg === 'string') return arg;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}
