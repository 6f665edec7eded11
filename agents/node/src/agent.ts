// The agent a service embeds: start() sets up telemetry, the health endpoints and registration
// with the control plane, and returns at once. Nothing in start() waits on the network; the
// control plane being down costs the service nothing but the telemetry that overflows the
// bounded queues (counted in stats()).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { Breaker, BreakerOptions } from './breakers/breaker.js';
import { BreakerBoard } from './breakers/breaker-board.js';
import { ConfigCache } from './config/config-cache.js';
import { type ConfigParser, LiveConfig, type LiveConfigStats } from './config/live-config.js';
import { ChannelConnection, type ChannelStats } from './control-plane/channel.js';
import { type ConfigAck, ControlPlaneClient } from './control-plane/client.js';
import { LatestSender } from './control-plane/latest-sender.js';
import { Registration, type RegistrationStats } from './control-plane/registration.js';
import { HealthChecks } from './health/checks.js';
import { HealthEndpoints, type MountTarget } from './health/endpoints.js';
import { type AgentLogger, defaultAgentLogger } from './logger.js';
import { createPinoLogger } from './logging/pino.js';
import { type AgentSettings, resolveSettings, type StartOptions } from './settings.js';
import type { ExportQueueStats } from './telemetry/export-queue.js';
import { startTelemetry, type TelemetryPipeline } from './telemetry/pipeline.js';

/** How long to wait for mountHealth() before saying that registration is waiting on it. */
const MOUNT_HINT_AFTER_MS = 30_000;

export interface AgentStats {
  service: string;
  instanceId: string;
  /** Whether the OpenTelemetry SDK is running (false when disabled or when it failed to start). */
  telemetryActive: boolean;
  spans: ExportQueueStats;
  logs: ExportQueueStats;
  /** Registration with the control plane; undefined when registration is off. */
  controlPlane: RegistrationStats | undefined;
  /** Live configuration: the version in use and what was applied or rejected. */
  config: LiveConfigStats;
  /** The channel carrying configuration and breaker commands; undefined when off. */
  channel: ChannelStats | undefined;
}

/** start()'s options plus the parser of the live configuration, which types `agent.config`. */
export type AgentOptions<C> = StartOptions & {
  /** Validates and converts a pushed configuration document; throw to reject it (the reason is reported). */
  parseConfig?: ConfigParser<C>;
};

export interface ShutdownReport {
  /** Every queued span and log record was sent before the deadline. */
  flushed: boolean;
  /** The control plane confirmed the deregistration. */
  deregistered: boolean;
  durationMs: number;
}

let running: Agent<unknown> | undefined;

/**
 * Starts the agent. Returns immediately; registration and exports happen in the background.
 * One agent per process: call shutdown() before starting another.
 */
export function start<C = unknown>(options: AgentOptions<C> = {}): Agent<C> {
  if (running) {
    throw new Error(
      `@signalbox/agent is already running in this process (service ${running.service}); call shutdown() first`,
    );
  }
  const agent = new Agent<C>(options);
  running = agent as Agent<unknown>;
  return agent;
}

export class Agent<C = unknown> {
  readonly service: string;
  readonly version: string;
  readonly environment: string;
  readonly instanceId: string;
  /** Readiness checks: add the service's database, broker and downstreams here. */
  readonly health: HealthChecks;
  readonly settings: AgentSettings;
  /** The control plane's API client (undefined when registration is off). */
  readonly controlPlane: ControlPlaneClient | undefined;
  private readonly logger: AgentLogger;
  private readonly endpoints: HealthEndpoints;
  private readonly telemetry: TelemetryPipeline;
  private readonly registration: Registration | undefined;
  /** The live configuration: `get()`, `version`, `on('change', …)`; the last good version survives restarts. */
  readonly config: LiveConfig<C>;
  private readonly board: BreakerBoard;
  private readonly channel: ChannelConnection | undefined;
  /** Configuration acknowledgements, one call at a time, newest last; sent again after each reconnect. */
  private readonly acks: LatestSender<ConfigAck>;
  private readonly address: Deferred<string>;
  private mountHint: NodeJS.Timeout | undefined;
  private stopping: Promise<ShutdownReport> | undefined;

  /** Use start(); constructing directly skips the one-agent-per-process guard. */
  constructor(options: AgentOptions<C> = {}) {
    const env = options.env ?? process.env;
    const { settings, warnings } = resolveSettings(options);
    this.settings = settings;
    this.logger = options.logger ?? defaultAgentLogger(env);
    for (const warning of warnings) this.logger.warn({ setting: true }, warning);
    this.service = settings.service;
    this.version = settings.version;
    this.environment = settings.environment;
    this.instanceId = settings.instanceId;

    this.telemetry = startTelemetry(settings, this.logger, env);
    this.health = new HealthChecks(options.health?.checks ?? []);
    this.endpoints = new HealthEndpoints(this.health, {
      service: settings.service,
      instanceId: settings.instanceId,
      version: settings.version,
    });
    this.address = deferred<string>();

    if (settings.controlPlaneUrl !== undefined) {
      this.controlPlane = new ControlPlaneClient({
        baseUrl: settings.controlPlaneUrl,
        token: settings.apiToken,
        timeoutMs: settings.registration.requestTimeoutMs,
      });
      this.registration = new Registration(
        this.controlPlane,
        {
          service: settings.service,
          instanceId: settings.instanceId,
          version: settings.version,
          environment: settings.environment,
          labels: registrationLabels(settings),
        },
        settings.registration,
        this.logger,
      );
      this.registration.begin(this.address.promise);
    }

    const acksTo = this.controlPlane;
    this.acks = new LatestSender(
      async (ack) => {
        if (!acksTo) return true;
        const result = await acksTo.ackConfig(settings.service, settings.environment, ack);
        if (result.ok) return true;
        this.logger.debug({ error: result.error }, 'configuration acknowledgement not delivered');
        // A refusal (400, 403 …) would be refused again: only failures worth retrying are retried.
        return !result.retryable;
      },
      { initialMs: settings.registration.backoffInitialMs, maxMs: settings.registration.backoffMaxMs },
    );
    const identity = { service: settings.service, environment: settings.environment, instanceId: settings.instanceId };
    const cache =
      settings.liveConfig.cacheDir === undefined
        ? undefined
        : new ConfigCache(settings.liveConfig.cacheDir, settings.service, settings.environment);
    this.config = new LiveConfig<C>(
      options.parseConfig ?? ((raw: unknown) => raw as C),
      cache,
      (ack) => this.acks.set({ instance_id: settings.instanceId, ...ack }),
      this.logger,
    );
    const client = this.controlPlane;
    this.board = new BreakerBoard(
      {
        identity,
        reportIntervalMs: settings.liveConfig.breakerReportIntervalMs,
        ...(client
          ? {
              report: async (body) => (await client.reportBreakers(body)).ok,
              ack: (id, ack) => void client.ackBreakerCommand(id, ack),
            }
          : {}),
      },
      this.logger,
    );
    if (client && settings.liveConfig.channel) {
      this.channel = new ChannelConnection(
        client,
        identity,
        {
          known: () => ({ configVersion: this.config.version, commandsRevision: this.board.commandsRevision }),
          onConfig: (config) => void this.config.receive(config.version, config.content),
          onCommands: (commands) => this.board.applyCommands(commands),
          onConnected: () => {
            this.acks.resend();
            void this.board.reportNow();
          },
        },
        this.logger,
        { initialMs: settings.registration.backoffInitialMs, maxMs: settings.registration.backoffMaxMs },
      );
      // The cached version first, so the channel names it and the server sends only newer ones.
      void this.config.ready().then(() => this.channel?.start());
    }

    if (settings.address !== undefined) this.address.resolve(settings.address);
    if (options.health?.server !== undefined) this.mountHealth(options.health.server);
    if (settings.healthPort !== undefined) this.listenHealth(settings.healthPort, settings.healthHost);
    if (!this.address.settled && this.registration) {
      this.mountHint = setTimeout(() => {
        this.logger.info(
          {},
          'registration waits for the health endpoints: call agent.mountHealth(app) or set health.port / SIGNALBOX_HEALTH_PORT',
        );
      }, MOUNT_HINT_AFTER_MS);
      this.mountHint.unref();
    }
  }

  /**
   * Serves /healthz and /readyz on the service's Fastify instance (before listen()) or node http
   * server. The control plane is told this server's address once it listens.
   */
  mountHealth(target: MountTarget): void {
    const server = this.endpoints.mount(target);
    this.whenListening(server);
  }

  /**
   * Wraps `fn` in a circuit breaker (opossum underneath): the breaker is reported to the control
   * plane and obeys operator commands (force open / closed, reset) pushed over the channel.
   */
  breaker<A extends unknown[], R>(
    name: string,
    fn: (...args: A) => Promise<R>,
    options: BreakerOptions<A, R> = {},
  ): Breaker<A, R> {
    return this.board.create(name, fn, options);
  }

  /** Every breaker made with breaker(). */
  breakers(): Breaker<never[], unknown>[] {
    return this.board.list();
  }

  /** A pino logger whose lines carry trace_id/span_id and are exported as OTLP log records. */
  createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
    return createPinoLogger(options, destination, { logExport: this.telemetry.logExport });
  }

  /** Counters for everything the agent does in the background. */
  stats(): AgentStats {
    const telemetry = this.telemetry.stats();
    return {
      service: this.service,
      instanceId: this.instanceId,
      telemetryActive: this.telemetry.active,
      spans: telemetry.spans,
      logs: telemetry.logs,
      controlPlane: this.registration?.stats(),
      config: this.config.stats(),
      channel: this.channel?.stats(),
    };
  }

  /** Sends queued telemetry now; true when all of it went out within the deadline. */
  flush(timeoutMs = this.settings.shutdownTimeoutMs): Promise<boolean> {
    return this.telemetry.flush(timeoutMs);
  }

  /**
   * Readiness turns to 503, the instance deregisters, and queued telemetry is flushed, all
   * within the deadline; what could not be sent by then is dropped and counted. Call it after
   * the service has stopped taking requests (e.g. after `app.close()`). Idempotent.
   */
  shutdown(options: { timeoutMs?: number } = {}): Promise<ShutdownReport> {
    this.stopping ??= (async () => {
      const started = Date.now();
      const timeoutMs = options.timeoutMs ?? this.settings.shutdownTimeoutMs;
      clearTimeout(this.mountHint);
      this.health.drain('shutting down');
      this.address.reject(new Error('agent stopped before the health endpoints listened'));
      await this.channel?.stop();
      await this.board.reportNow().catch(() => {});
      this.board.stop();
      this.acks.stop();
      const [deregistration, flushed] = await Promise.all([
        this.registration?.stop(timeoutMs),
        this.telemetry.shutdown(timeoutMs),
      ]);
      await this.endpoints.close();
      if (running === this) running = undefined;
      const report: ShutdownReport = {
        flushed,
        deregistered: deregistration?.ok === true,
        durationMs: Date.now() - started,
      };
      this.logger.info({ ...report, stats: this.stats() }, 'agent stopped');
      return report;
    })();
    return this.stopping;
  }

  private listenHealth(port: number, host: string): void {
    this.endpoints.listen(port, host).then(
      (server) => this.whenListening(server),
      (error: unknown) =>
        this.logger.error(
          { err: error, port, host },
          'health endpoints could not listen; the instance will not register',
        ),
    );
  }

  private whenListening(server: Server): void {
    const report = () => {
      const info = server.address();
      if (info !== null && typeof info === 'object') this.address.resolve(this.advertise(info));
    };
    if (server.listening) report();
    else server.once('listening', report);
  }

  /** host:port for the control plane to probe. */
  private advertise(info: AddressInfo): string {
    const unspecified = info.address === '0.0.0.0' || info.address === '::';
    // Listening on every interface says nothing about which one is reachable: use the advertised
    // host (SIGNALBOX_ADVERTISE_HOST, the pod IP), else loopback, which is right on a laptop.
    const host = this.settings.advertiseHost ?? (unspecified ? '127.0.0.1' : info.address);
    return host.includes(':') && !host.startsWith('[') ? `[${host}]:${info.port}` : `${host}:${info.port}`;
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  settled: boolean;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejected only at shutdown when nobody is waiting any more.
  promise.catch(() => {});
  const out: Deferred<T> = {
    promise,
    settled: false,
    resolve(value) {
      if (out.settled) return;
      out.settled = true;
      resolve(value);
    },
    reject(error) {
      if (out.settled) return;
      out.settled = true;
      reject(error);
    },
  };
  return out;
}

// The control plane's Kubernetes source links an instance to its pod by these labels (its
// fallback, pod IP and port, fails behind a Service or with host networking).
function registrationLabels(settings: AgentSettings): Record<string, string> {
  const labels = { ...settings.labels };
  const k8s = settings.kubernetes;
  if (k8s?.podName) labels['k8s.pod.name'] ??= k8s.podName;
  if (k8s?.namespace) labels['k8s.namespace.name'] ??= k8s.namespace;
  return labels;
}
