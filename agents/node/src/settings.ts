// The agent's settings: options passed to start() first, then the standard environment variables
// (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*, OTEL_BLRP_*,
// SIGNALBOX_*), then defaults that match the control plane's own laptop defaults.
//
// A bad value in the environment never throws: it is reported in `warnings` and the default is
// used, because a typo in a deployment must not take the service down. A bad option passed in
// code is a programming error and throws a TypeError at once, where the developer sees it.
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthCheck } from './health/checks.js';
import type { MountTarget } from './health/endpoints.js';
import type { AgentLogger } from './logger.js';

/** The control plane's API on a laptop (`signalbox-server` with no flags). */
export const DEFAULT_CONTROL_PLANE_URL = 'http://127.0.0.1:8080';
/** The OTLP/HTTP port every OpenTelemetry SDK sends to by default. */
export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

export interface RegistrationSettings {
  /** The control plane marks the instance critical when no heartbeat arrives for this long. */
  ttlMs: number;
  /** Critical for this long → removed from the live view. */
  deregisterAfterMs: number;
  /** How often the control plane probes /readyz, and its timeout. */
  checkIntervalMs: number;
  checkTimeoutMs: number;
  /** Heartbeat period while all is well (a third of the TTL unless set). */
  heartbeatIntervalMs: number;
  /** Backoff after failed registrations and heartbeats: first delay and cap. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Timeout of one call to the control plane. */
  requestTimeoutMs: number;
}

export interface QueueSettings {
  /** Items held while the control plane is slow or down; beyond this they are dropped and counted. */
  maxQueueSize: number;
  maxBatchSize: number;
  /** How long an item may wait before its batch is sent. */
  exportIntervalMs: number;
  /** Deadline of one export, the exporter's own retries included. */
  exportTimeoutMs: number;
  /** Backoff between failed exports: first delay and cap. */
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface InstrumentationSwitches {
  http: boolean;
  undici: boolean;
  fastify: boolean;
  pg: boolean;
}

export interface TelemetrySettings {
  enabled: boolean;
  traces: QueueSettings;
  logs: QueueSettings;
  instrumentations: InstrumentationSwitches;
}

export interface HealthOptions {
  /** Serve /healthz and /readyz on a port of their own (0 = any free port). */
  port?: number;
  /** Interface for that port (default 0.0.0.0 in Kubernetes, 127.0.0.1 elsewhere). */
  host?: string;
  /** Or mount them on the service's own Fastify instance or node http server. */
  server?: MountTarget;
  checks?: HealthCheck[];
}

export interface TelemetryOptions {
  /** false: no OpenTelemetry SDK at all (registration and health still run). */
  enabled?: boolean;
  traces?: Partial<QueueSettings>;
  logs?: Partial<QueueSettings>;
  instrumentations?: Partial<InstrumentationSwitches>;
}

export interface StartOptions {
  /** `service.name`; else OTEL_SERVICE_NAME, else `service.name` in OTEL_RESOURCE_ATTRIBUTES. */
  service?: string;
  /** `service.version`; else `service.version` in OTEL_RESOURCE_ATTRIBUTES, else npm_package_version. */
  version?: string;
  /** `deployment.environment.name`; else SIGNALBOX_ENVIRONMENT or the resource attribute, else "development". */
  environment?: string;
  /** The control plane's API base URL (SIGNALBOX_URL); false turns registration off. */
  controlPlane?: string | false;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); traces go to /v1/traces, logs to /v1/logs. */
  otlpEndpoint?: string;
  /** Extra resource attributes, merged over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string>;
  /** Stable id of this instance (SIGNALBOX_INSTANCE_ID); else the pod name, else service-host-pid. */
  instanceId?: string;
  labels?: Record<string, string>;
  /** host:port the control plane probes; else derived from where /readyz listens. */
  address?: string;
  /** Host to advertise when the server listens on all interfaces (SIGNALBOX_ADVERTISE_HOST, POD_IP). */
  advertiseHost?: string;
  health?: HealthOptions;
  registration?: Partial<RegistrationSettings>;
  telemetry?: TelemetryOptions;
  /** Deadline of agent.shutdown() when none is given (deregister + flush). */
  shutdownTimeoutMs?: number;
  /** Live configuration and breaker reports (see the README's "Configuration and breakers"). */
  liveConfig?: LiveConfigOptions;
  /** Where the agent reports about itself (never exported as OTLP). Default: pino on stderr. */
  logger?: AgentLogger;
  /** The environment to read; process.env by default (tests pass their own). */
  env?: Record<string, string | undefined>;
}

export interface KubernetesIdentity {
  podName: string | undefined;
  podUid: string | undefined;
  namespace: string | undefined;
  nodeName: string | undefined;
  podIp: string | undefined;
}

export interface LiveConfigOptions {
  /** Directory of the last good configuration (SIGNALBOX_CONFIG_DIR); false keeps nothing on disk. Default: <tmp>/signalbox-agent. */
  cacheDir?: string | false;
  /** How often breaker state is reported (transitions are reported at once). Default 5 s. */
  breakerReportIntervalMs?: number;
  /** false: no config channel (breaker commands do not arrive either). Default true when a control plane is set. */
  channel?: boolean;
}

export interface AgentSettings {
  service: string;
  version: string;
  environment: string;
  controlPlaneUrl: string | undefined;
  /** Bearer token for the control plane's API (SIGNALBOX_TOKEN), when it requires one. */
  apiToken: string | undefined;
  otlpEndpoint: string;
  /** OTEL_RESOURCE_ATTRIBUTES merged with the resourceAttributes option (the agent adds the rest). */
  resourceAttributes: Record<string, string>;
  instanceId: string;
  labels: Record<string, string>;
  address: string | undefined;
  advertiseHost: string | undefined;
  /** Own port for the health endpoints, when one is wanted. */
  healthPort: number | undefined;
  healthHost: string;
  registration: RegistrationSettings;
  telemetry: TelemetrySettings;
  shutdownTimeoutMs: number;
  kubernetes: KubernetesIdentity | undefined;
  liveConfig: { cacheDir: string | undefined; breakerReportIntervalMs: number; channel: boolean };
}

export interface ResolvedSettings {
  settings: AgentSettings;
  /** One line per environment value that was ignored, naming the variable and what was used. */
  warnings: string[];
}

const DEFAULT_REGISTRATION: Omit<RegistrationSettings, 'heartbeatIntervalMs'> = {
  ttlMs: 15_000, // 15 s
  deregisterAfterMs: 600_000, // 10 min
  checkIntervalMs: 10_000, // 10 s
  checkTimeoutMs: 2_000, // 2 s
  backoffInitialMs: 1_000, // 1 s
  backoffMaxMs: 30_000, // 30 s
  requestTimeoutMs: 5_000, // 5 s
};

const DEFAULT_TRACE_QUEUE: QueueSettings = {
  maxQueueSize: 2048,
  maxBatchSize: 512,
  exportIntervalMs: 1_000, // 1 s
  exportTimeoutMs: 10_000, // 10 s
  retryInitialMs: 1_000, // 1 s
  retryMaxMs: 30_000, // 30 s
};

const DEFAULT_LOG_QUEUE: QueueSettings = { ...DEFAULT_TRACE_QUEUE };

/** Kubernetes downward-API variables the agent reads (first one set wins). */
export const KUBERNETES_ENV = {
  podName: ['K8S_POD_NAME', 'POD_NAME'],
  podUid: ['K8S_POD_UID', 'POD_UID'],
  namespace: ['K8S_NAMESPACE_NAME', 'POD_NAMESPACE'],
  nodeName: ['K8S_NODE_NAME', 'NODE_NAME'],
  podIp: ['K8S_POD_IP', 'POD_IP'],
} as const;

export function resolveSettings(options: StartOptions = {}): ResolvedSettings {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const resourceFromEnv = parseResourceAttributes(read('OTEL_RESOURCE_ATTRIBUTES'), warnings);
  const resourceAttributes = {
    ...resourceFromEnv,
    ...checkStringRecord('resourceAttributes', options.resourceAttributes),
  };

  const service =
    checkServiceName(options.service) ??
    serviceNameFromEnv(warnings, 'OTEL_SERVICE_NAME', read('OTEL_SERVICE_NAME')) ??
    serviceNameFromEnv(warnings, 'OTEL_RESOURCE_ATTRIBUTES service.name', resourceAttributes['service.name']) ??
    fallback(warnings, 'no service name (start({ service }) or OTEL_SERVICE_NAME)', 'unknown-service');
  const version =
    checkName('version', options.version) ??
    resourceAttributes['service.version'] ??
    read('npm_package_version') ??
    '0.0.0';
  const environment =
    checkName('environment', options.environment) ??
    read('SIGNALBOX_ENVIRONMENT') ??
    resourceAttributes['deployment.environment.name'] ??
    resourceAttributes['deployment.environment'] ??
    'development';

  let controlPlaneUrl: string | undefined;
  if (options.controlPlane === false) controlPlaneUrl = undefined;
  else if (options.controlPlane !== undefined) controlPlaneUrl = checkUrl('controlPlane', options.controlPlane);
  else controlPlaneUrl = envUrl(warnings, 'SIGNALBOX_URL', read('SIGNALBOX_URL'), DEFAULT_CONTROL_PLANE_URL);

  const otlpEndpoint =
    options.otlpEndpoint !== undefined
      ? checkUrl('otlpEndpoint', options.otlpEndpoint)
      : envUrl(warnings, 'OTEL_EXPORTER_OTLP_ENDPOINT', read('OTEL_EXPORTER_OTLP_ENDPOINT'), DEFAULT_OTLP_ENDPOINT);

  const kubernetes = readKubernetes(read);
  const instanceId = sanitizeId(
    checkName('instanceId', options.instanceId) ??
      read('SIGNALBOX_INSTANCE_ID') ??
      kubernetes?.podName ??
      `${service}-${hostname()}-${process.pid}`,
  );

  const healthPort =
    options.health?.port !== undefined
      ? checkPort('health.port', options.health.port)
      : envInt(warnings, 'SIGNALBOX_HEALTH_PORT', read('SIGNALBOX_HEALTH_PORT'), undefined, 0, 65_535);
  const healthHost = options.health?.host ?? read('SIGNALBOX_HEALTH_HOST') ?? (kubernetes ? '0.0.0.0' : '127.0.0.1');

  const registration = resolveRegistration(options.registration);

  const sdkDisabled = read('OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const telemetry: TelemetrySettings = {
    enabled: options.telemetry?.enabled ?? !sdkDisabled,
    traces: resolveQueue(warnings, 'OTEL_BSP', read, DEFAULT_TRACE_QUEUE, options.telemetry?.traces),
    logs: resolveQueue(warnings, 'OTEL_BLRP', read, DEFAULT_LOG_QUEUE, options.telemetry?.logs),
    instrumentations: {
      ...instrumentationsFromEnv(warnings, read),
      ...options.telemetry?.instrumentations,
    },
  };

  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5_000; // 5 s
  checkPositive('shutdownTimeoutMs', shutdownTimeoutMs);
  const breakerReportIntervalMs = options.liveConfig?.breakerReportIntervalMs ?? 5_000; // 5 s
  checkPositive('liveConfig.breakerReportIntervalMs', breakerReportIntervalMs);
  const cacheOption = options.liveConfig?.cacheDir;
  const liveConfig = {
    cacheDir:
      cacheOption === false
        ? undefined
        : (cacheOption ?? read('SIGNALBOX_CONFIG_DIR') ?? join(tmpdir(), 'signalbox-agent')),
    breakerReportIntervalMs,
    channel: options.liveConfig?.channel ?? true,
  };

  return {
    settings: {
      service,
      version,
      environment,
      controlPlaneUrl,
      apiToken: read('SIGNALBOX_TOKEN'),
      otlpEndpoint,
      resourceAttributes,
      instanceId,
      labels: checkStringRecord('labels', options.labels) ?? {},
      address: options.address === undefined ? undefined : checkAddress(options.address),
      advertiseHost: options.advertiseHost ?? read('SIGNALBOX_ADVERTISE_HOST') ?? kubernetes?.podIp,
      healthPort,
      healthHost,
      registration,
      telemetry,
      shutdownTimeoutMs,
      kubernetes,
      liveConfig,
    },
    warnings,
  };
}

/**
 * OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs separated by commas, values percent-encoded (the
 * W3C Baggage format the specification names). A malformed pair is skipped with a warning; the
 * others are kept.
 */
export function parseResourceAttributes(raw: string | undefined, warnings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq === -1 ? '' : pair.slice(0, eq).trim();
    if (key === '') {
      warnings.push(`OTEL_RESOURCE_ATTRIBUTES: ignored "${pair.trim()}" (expected key=value)`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      warnings.push(`OTEL_RESOURCE_ATTRIBUTES: ignored "${key}" (value is not valid percent-encoding)`);
    }
  }
  return out;
}

function resolveRegistration(overrides: Partial<RegistrationSettings> | undefined): RegistrationSettings {
  const merged = { ...DEFAULT_REGISTRATION, ...overrides };
  // The control plane refuses a probe timeout longer than the probe interval.
  if (overrides?.checkTimeoutMs === undefined)
    merged.checkTimeoutMs = Math.min(merged.checkTimeoutMs, merged.checkIntervalMs);
  for (const [key, value] of Object.entries(merged)) checkPositive(`registration.${key}`, value);
  if (merged.checkTimeoutMs > merged.checkIntervalMs) {
    throw new TypeError(
      `start(): registration.checkTimeoutMs (${merged.checkTimeoutMs}) must not exceed checkIntervalMs (${merged.checkIntervalMs})`,
    );
  }
  const heartbeatIntervalMs = overrides?.heartbeatIntervalMs ?? Math.max(100, Math.floor(merged.ttlMs / 3));
  checkPositive('registration.heartbeatIntervalMs', heartbeatIntervalMs);
  return { ...merged, heartbeatIntervalMs };
}

const INSTRUMENTATIONS: readonly (keyof InstrumentationSwitches)[] = ['http', 'undici', 'fastify', 'pg'];

/**
 * The instrumentations on by default, as OpenTelemetry's Node auto-instrumentation reads them:
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS (only these) and OTEL_NODE_DISABLED_INSTRUMENTATIONS (all
 * but these; it wins over the first), comma-separated short names (`http,undici,fastify,pg`).
 */
function instrumentationsFromEnv(
  warnings: string[],
  read: (name: string) => string | undefined,
): InstrumentationSwitches {
  const list = (name: string): Set<keyof InstrumentationSwitches> | undefined => {
    const raw = read(name);
    if (raw === undefined || raw.trim() === '') return undefined;
    const names = new Set<keyof InstrumentationSwitches>();
    for (const item of raw.split(',')) {
      const short = item.trim().replace(/^@opentelemetry\/instrumentation-/, '');
      if (short === '') continue;
      if ((INSTRUMENTATIONS as readonly string[]).includes(short)) names.add(short as keyof InstrumentationSwitches);
      else
        warnings.push(
          `${name}: unknown instrumentation "${item.trim()}" ignored (known: ${INSTRUMENTATIONS.join(', ')})`,
        );
    }
    return names;
  };
  const enabled = list('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const disabled = list('OTEL_NODE_DISABLED_INSTRUMENTATIONS');
  const switches = {} as InstrumentationSwitches;
  for (const name of INSTRUMENTATIONS) switches[name] = (enabled?.has(name) ?? true) && !disabled?.has(name);
  return switches;
}

function resolveQueue(
  warnings: string[],
  prefix: 'OTEL_BSP' | 'OTEL_BLRP',
  read: (name: string) => string | undefined,
  defaults: QueueSettings,
  overrides: Partial<QueueSettings> | undefined,
): QueueSettings {
  const fromEnv: QueueSettings = {
    ...defaults,
    maxQueueSize: envInt(
      warnings,
      `${prefix}_MAX_QUEUE_SIZE`,
      read(`${prefix}_MAX_QUEUE_SIZE`),
      defaults.maxQueueSize,
      1,
    ),
    maxBatchSize: envInt(
      warnings,
      `${prefix}_MAX_EXPORT_BATCH_SIZE`,
      read(`${prefix}_MAX_EXPORT_BATCH_SIZE`),
      defaults.maxBatchSize,
      1,
    ),
    exportIntervalMs: envInt(
      warnings,
      `${prefix}_SCHEDULE_DELAY`,
      read(`${prefix}_SCHEDULE_DELAY`),
      defaults.exportIntervalMs,
      1,
    ),
    exportTimeoutMs: envInt(
      warnings,
      `${prefix}_EXPORT_TIMEOUT`,
      read(`${prefix}_EXPORT_TIMEOUT`),
      defaults.exportTimeoutMs,
      1,
    ),
  };
  const merged = { ...fromEnv, ...overrides };
  for (const [key, value] of Object.entries(merged)) checkPositive(`telemetry queue ${key}`, value);
  // A batch larger than the queue could never fill; the specification says to clamp it.
  merged.maxBatchSize = Math.min(merged.maxBatchSize, merged.maxQueueSize);
  return merged;
}

function readKubernetes(read: (name: string) => string | undefined): KubernetesIdentity | undefined {
  const first = (names: readonly string[]) => {
    for (const name of names) {
      const value = read(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const identity: KubernetesIdentity = {
    podName: first(KUBERNETES_ENV.podName),
    podUid: first(KUBERNETES_ENV.podUid),
    namespace: first(KUBERNETES_ENV.namespace),
    nodeName: first(KUBERNETES_ENV.nodeName),
    podIp: first(KUBERNETES_ENV.podIp),
  };
  const inCluster = read('KUBERNETES_SERVICE_HOST') !== undefined;
  if (!inCluster && identity.podName === undefined) return undefined;
  // Without the downward API, a pod's hostname is its name.
  identity.podName ??= hostname();
  return identity;
}

function fallback<T>(warnings: string[], message: string, value: T): T {
  warnings.push(`${message}; using ${JSON.stringify(value)}`);
  return value;
}

function envUrl(warnings: string[], name: string, value: string | undefined, defaultValue: string): string {
  if (value === undefined) return defaultValue;
  const url = parseHttpUrl(value);
  if (url === undefined) {
    return fallback(warnings, `${name}="${value}" is not an http(s) URL`, defaultValue);
  }
  return url;
}

function envInt(
  warnings: string[],
  name: string,
  value: string | undefined,
  defaultValue: number,
  min: number,
  max?: number,
): number;
function envInt(
  warnings: string[],
  name: string,
  value: string | undefined,
  defaultValue: number | undefined,
  min: number,
  max?: number,
): number | undefined;
function envInt(
  warnings: string[],
  name: string,
  value: string | undefined,
  defaultValue: number | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return defaultValue;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    return fallback(warnings, `${name}="${value}" is not a whole number from ${min} to ${max}`, defaultValue);
  }
  return number;
}

/** The URL without a trailing slash, or undefined when it is not http(s). */
function parseHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function checkUrl(option: string, value: string): string {
  const url = parseHttpUrl(value);
  if (url === undefined) throw new TypeError(`start(): ${option} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return url;
}

function checkName(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`start(): ${option} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

function checkPositive(option: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`start(): ${option} must be a positive number, got ${JSON.stringify(value)}`);
  }
}

function checkPort(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new TypeError(`start(): ${option} must be a port number 0-65535, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkAddress(value: string): string {
  if (!/^[^\s:/]+:\d{1,5}$/.test(value) && !/^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(value)) {
    throw new TypeError(`start(): address must be host:port, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkStringRecord(
  option: string,
  value: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new TypeError(`start(): ${option}.${key} must be a string, got ${JSON.stringify(item)}`);
    }
  }
  return { ...value };
}

/**
 * Service names as the registry takes them (lower-case letters, digits, dot, dash, underscore;
 * 63 at most). The same name goes into `service.name`, so registry entries and telemetry match.
 */
export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function checkServiceName(value: string | undefined): string | undefined {
  const name = checkName('service', value);
  if (name !== undefined && !SERVICE_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `start(): service must be lower-case letters, digits, ".", "_" or "-" (63 at most), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** A name from the environment that does not fit is made to fit (with a warning), not refused. */
function serviceNameFromEnv(warnings: string[], source: string, value: string | undefined): string | undefined {
  if (value === undefined || SERVICE_NAME_PATTERN.test(value)) return value;
  const fitted = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63);
  if (fitted === '') return undefined;
  warnings.push(`${source}="${value}" is not a valid service name; using "${fitted}"`);
  return fitted;
}

/** Instance ids travel in URL paths: letters, digits, ".", "_", ":" and "-", 128 at most, starting alphanumeric. */
function sanitizeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9._:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'instance').slice(0, 128);
}
