// Server settings: flags first, then SIGNALBOX_* environment variables, then defaults that work
// on a laptop. The server refuses to start on a bad value and names the setting (the agent, by
// contrast, warns and falls back: see agents/node).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Where the Kubernetes source gets its cluster from; `off` unless configured. */
export type KubernetesSetting = { mode: 'off' } | { mode: 'in-cluster' } | { mode: 'kubeconfig'; path: string };

export interface Settings {
  apiPort: number;
  otlpPort: number;
  host: string;
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…` (optional `?schema=` for a schema of its own). */
  store: string;
  logLevel: LogLevel;
  /** Largest request body on the admin API. */
  apiBodyLimit: number;
  /** Largest (decompressed) OTLP request body. */
  otlpBodyLimit: number;
  /** Health checker: most probes in flight at once. */
  checkConcurrency: number;
  /** Health checker: how long a replica's lease on a shard of targets lasts without renewal. */
  leaseTtlMs: number;
  /** Health checker: this many status transitions of one instance within flapWindowMs mark it flapping. */
  flapTransitions: number;
  /** Health checker: the window over which transitions are counted for flapping. */
  flapWindowMs: number;
  /** Stable name of this replica in leases and logs; generated when absent. */
  replicaId: string | undefined;
  /** Optional ingest token for the OTLP port (separate from API tokens). */
  ingestToken: string | undefined;
  /** Telemetry retention by age. */
  retentionHours: number;
  /** Kubernetes source: `off`, `in-cluster` (the pod's service account) or a kubeconfig path. */
  kubernetes: KubernetesSetting;
  /** Kubernetes: the kubeconfig context to use (default: the file's current context). */
  kubeContext: string | undefined;
  /** Kubernetes: watch only these namespaces (empty: all namespaces). */
  namespaces: string[];
  /** Kubernetes: also store Warning events as log records (log search, service timeline). */
  kubeWarningLogs: boolean;
  /** Telemetry retention by size (0 = no size cap). */
  retentionMaxBytes: number;
  /** Spans and log records accepted but not yet committed, at most (beyond: 429 to senders). */
  ingestQueueMaxItems: number;
  /**
   * SQLite file stores: trace requests are answered once appended to a journal beside the
   * database, and stored behind the answer (a 200 still survives kill -9: the next start stores
   * the journal's records). Off: answered once committed, as on PostgreSQL.
   */
  ingestJournal: boolean;
  /** Topology: how long a CLIENT/PRODUCER or SERVER/CONSUMER span waits for its partner. */
  topologyPairWaitMs: number;
  /** Topology: most span halves waiting for a partner at once (beyond it they are dropped and counted). */
  topologyMaxPending: number;
  /** Topology: time between writes of the RED minute buckets to the store. */
  topologyFlushMs: number;
  /** Topology: RED minute buckets are kept this long. */
  topologyRetentionHours: number;
  /** Topology: most label sets per metric family of the Tempo-named series on /metrics. */
  topologyMetricSeriesLimit: number;
  /** Bootstrap admin API token (auth/): accepted with the admin role; create the others with it. */
  adminToken: string | undefined;
  /** Serve the API without tokens even when it binds beyond loopback (auth/ refuses that otherwise). */
  insecureOpen: boolean;
  /** Requests per minute each API token may make on /api/v1 (0: no limit). */
  apiRateLimit: number;
}

export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`invalid setting ${setting}: ${message}`);
    this.name = 'SettingsError';
  }
}

interface SettingSpec {
  flag: string;
  env: string;
  default: string | undefined;
  /** A flag without a value (`--insecure-open`); its variable takes on/off. */
  boolean?: true;
}

const SPECS = {
  apiPort: { flag: 'api-port', env: 'SIGNALBOX_API_PORT', default: '8080' },
  otlpPort: { flag: 'otlp-port', env: 'SIGNALBOX_OTLP_PORT', default: '4318' },
  host: { flag: 'host', env: 'SIGNALBOX_HOST', default: '127.0.0.1' },
  store: { flag: 'store', env: 'SIGNALBOX_STORE', default: 'sqlite:./signalbox-data/signalbox.db' },
  logLevel: { flag: 'log-level', env: 'SIGNALBOX_LOG_LEVEL', default: 'info' },
  apiBodyLimit: { flag: 'api-body-limit', env: 'SIGNALBOX_API_BODY_LIMIT', default: '1048576' }, // 1 MiB
  otlpBodyLimit: { flag: 'otlp-body-limit', env: 'SIGNALBOX_OTLP_BODY_LIMIT', default: '16777216' }, // 16 MiB
  checkConcurrency: { flag: 'check-concurrency', env: 'SIGNALBOX_CHECK_CONCURRENCY', default: '256' },
  leaseTtlMs: { flag: 'lease-ttl-ms', env: 'SIGNALBOX_LEASE_TTL_MS', default: '10000' }, // 10 s
  flapTransitions: { flag: 'flap-transitions', env: 'SIGNALBOX_FLAP_TRANSITIONS', default: '5' },
  flapWindowMs: { flag: 'flap-window-ms', env: 'SIGNALBOX_FLAP_WINDOW_MS', default: '600000' }, // 10 min
  replicaId: { flag: 'replica-id', env: 'SIGNALBOX_REPLICA_ID', default: undefined },
  ingestToken: { flag: 'ingest-token', env: 'SIGNALBOX_INGEST_TOKEN', default: undefined },
  retentionHours: { flag: 'retention-hours', env: 'SIGNALBOX_RETENTION_HOURS', default: '72' },
  kubernetes: { flag: 'kubernetes', env: 'SIGNALBOX_KUBERNETES', default: 'off' },
  kubeContext: { flag: 'kube-context', env: 'SIGNALBOX_KUBE_CONTEXT', default: undefined },
  namespaces: { flag: 'namespaces', env: 'SIGNALBOX_NAMESPACES', default: '' },
  kubeWarningLogs: { flag: 'kube-warning-logs', env: 'SIGNALBOX_KUBE_WARNING_LOGS', default: 'off' },
  retentionMaxBytes: { flag: 'retention-max-bytes', env: 'SIGNALBOX_RETENTION_MAX_BYTES', default: '0' },
  ingestQueueMaxItems: { flag: 'ingest-queue-max-items', env: 'SIGNALBOX_INGEST_QUEUE_MAX_ITEMS', default: '65536' },
  ingestJournal: { flag: 'ingest-journal', env: 'SIGNALBOX_INGEST_JOURNAL', default: 'on' },
  topologyPairWaitMs: { flag: 'topology-pair-wait-ms', env: 'SIGNALBOX_TOPOLOGY_PAIR_WAIT_MS', default: '10000' }, // 10 s
  topologyMaxPending: { flag: 'topology-max-pending', env: 'SIGNALBOX_TOPOLOGY_MAX_PENDING', default: '100000' },
  topologyFlushMs: { flag: 'topology-flush-ms', env: 'SIGNALBOX_TOPOLOGY_FLUSH_MS', default: '5000' }, // 5 s
  topologyRetentionHours: {
    flag: 'topology-retention-hours',
    env: 'SIGNALBOX_TOPOLOGY_RETENTION_HOURS',
    default: '168',
  }, // 7 d
  topologyMetricSeriesLimit: {
    flag: 'topology-metric-series-limit',
    env: 'SIGNALBOX_TOPOLOGY_METRIC_SERIES_LIMIT',
    default: '10000',
  },
  adminToken: { flag: 'admin-token', env: 'SIGNALBOX_ADMIN_TOKEN', default: undefined },
  insecureOpen: { flag: 'insecure-open', env: 'SIGNALBOX_INSECURE_OPEN', default: 'off', boolean: true },
  apiRateLimit: { flag: 'api-rate-limit', env: 'SIGNALBOX_API_RATE_LIMIT', default: '1200' }, // per minute
} satisfies Record<keyof Settings, SettingSpec>;

function describe(spec: SettingSpec): string {
  return `--${spec.flag} / ${spec.env}`;
}

function integer(spec: SettingSpec, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new SettingsError(describe(spec), `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new SettingsError(describe(spec), `expected ${min}..${max}, got ${value}`);
  }
  return value;
}

function port(spec: SettingSpec, raw: string): number {
  return integer(spec, raw, 0, 65535);
}

function kubernetesSetting(raw: string): KubernetesSetting {
  if (raw === 'off') return { mode: 'off' };
  if (raw === 'in-cluster') return { mode: 'in-cluster' };
  if (!existsSync(raw)) {
    throw new SettingsError(
      describe(SPECS.kubernetes),
      `expected off, in-cluster or the path of a kubeconfig file; "${raw}" does not exist`,
    );
  }
  return { mode: 'kubeconfig', path: raw };
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function namespaceList(raw: string): string[] {
  const names = [
    ...new Set(
      raw
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  for (const name of names) {
    if (!NAMESPACE_NAME.test(name)) {
      throw new SettingsError(describe(SPECS.namespaces), `"${name}" is not a namespace name (RFC 1123 label)`);
    }
  }
  return names;
}

function onOff(spec: SettingSpec, raw: string): boolean {
  if (raw === 'on' || raw === 'true') return true;
  if (raw === 'off' || raw === 'false') return false;
  throw new SettingsError(describe(spec), `expected on or off, got "${raw}"`);
}

/** Shortest bootstrap token accepted: anything shorter is guessable (use `openssl rand -hex 32`). */
const MIN_SECRET_LENGTH = 16;

function secret(spec: SettingSpec, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length < MIN_SECRET_LENGTH || /\s/.test(raw)) {
    throw new SettingsError(
      describe(spec),
      `expected at least ${MIN_SECRET_LENGTH} characters without spaces (e.g. the output of \`openssl rand -hex 32\`)`,
    );
  }
  return raw;
}

export function validateStoreUrl(raw: string): string {
  if (raw === 'sqlite::memory:' || /^sqlite:.+/.test(raw)) return raw;
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
      return raw;
    } catch {
      throw new SettingsError(describe(SPECS.store), `"${raw}" is not a valid postgres:// URL`);
    }
  }
  throw new SettingsError(
    describe(SPECS.store),
    `expected sqlite:<path>, sqlite::memory: or postgres://…, got "${raw}"`,
  );
}

/** Parses argv and env into settings; throws SettingsError naming the first bad one. */
export function loadSettings(argv: string[], env: NodeJS.ProcessEnv): Settings {
  const options = Object.fromEntries(
    Object.values(SPECS).map(
      (spec: SettingSpec) => [spec.flag, { type: spec.boolean ? 'boolean' : 'string' }] as const,
    ),
  );
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new SettingsError('command line', (error as Error).message);
  }
  const raw = (spec: SettingSpec): string | undefined => {
    const fromFlag = flags[spec.flag];
    if (typeof fromFlag === 'string') return fromFlag;
    if (fromFlag === true) return 'on';
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    return spec.default;
  };
  const required = (spec: SettingSpec): string => raw(spec) as string;

  const logLevel = required(SPECS.logLevel);
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new SettingsError(describe(SPECS.logLevel), `expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const host = required(SPECS.host);
  if (!/^[\w.:-]+$/.test(host))
    throw new SettingsError(describe(SPECS.host), `"${host}" is not a host name or address`);

  const settings: Settings = {
    apiPort: port(SPECS.apiPort, required(SPECS.apiPort)),
    otlpPort: port(SPECS.otlpPort, required(SPECS.otlpPort)),
    host,
    store: validateStoreUrl(required(SPECS.store)),
    logLevel: logLevel as LogLevel,
    apiBodyLimit: integer(SPECS.apiBodyLimit, required(SPECS.apiBodyLimit), 1024, 1 << 30),
    otlpBodyLimit: integer(SPECS.otlpBodyLimit, required(SPECS.otlpBodyLimit), 1024, 1 << 30),
    checkConcurrency: integer(SPECS.checkConcurrency, required(SPECS.checkConcurrency), 1, 10000),
    leaseTtlMs: integer(SPECS.leaseTtlMs, required(SPECS.leaseTtlMs), 500, 600000),
    flapTransitions: integer(SPECS.flapTransitions, required(SPECS.flapTransitions), 2, 1000),
    flapWindowMs: integer(SPECS.flapWindowMs, required(SPECS.flapWindowMs), 1000, 7 * 24 * 3600 * 1000),
    replicaId: raw(SPECS.replicaId),
    ingestToken: raw(SPECS.ingestToken),
    retentionHours: integer(SPECS.retentionHours, required(SPECS.retentionHours), 1, 24 * 365),
    kubernetes: kubernetesSetting(required(SPECS.kubernetes)),
    kubeContext: raw(SPECS.kubeContext),
    namespaces: namespaceList(required(SPECS.namespaces)),
    kubeWarningLogs: onOff(SPECS.kubeWarningLogs, required(SPECS.kubeWarningLogs)),
    ingestJournal: onOff(SPECS.ingestJournal, required(SPECS.ingestJournal)),
    retentionMaxBytes: integer(SPECS.retentionMaxBytes, required(SPECS.retentionMaxBytes), 0, Number.MAX_SAFE_INTEGER),
    ingestQueueMaxItems: integer(SPECS.ingestQueueMaxItems, required(SPECS.ingestQueueMaxItems), 1, 10_000_000),
    topologyPairWaitMs: integer(SPECS.topologyPairWaitMs, required(SPECS.topologyPairWaitMs), 100, 600000),
    topologyMaxPending: integer(SPECS.topologyMaxPending, required(SPECS.topologyMaxPending), 100, 10_000_000),
    topologyFlushMs: integer(SPECS.topologyFlushMs, required(SPECS.topologyFlushMs), 100, 600000),
    topologyRetentionHours: integer(SPECS.topologyRetentionHours, required(SPECS.topologyRetentionHours), 1, 24 * 3650),
    topologyMetricSeriesLimit: integer(
      SPECS.topologyMetricSeriesLimit,
      required(SPECS.topologyMetricSeriesLimit),
      0,
      1_000_000,
    ),
    adminToken: secret(SPECS.adminToken, raw(SPECS.adminToken)),
    insecureOpen: onOff(SPECS.insecureOpen, required(SPECS.insecureOpen)),
    apiRateLimit: integer(SPECS.apiRateLimit, required(SPECS.apiRateLimit), 0, 1_000_000),
  };
  if (settings.kubeContext !== undefined && settings.kubernetes.mode !== 'kubeconfig') {
    throw new SettingsError(describe(SPECS.kubeContext), 'a context needs --kubernetes <kubeconfig path>');
  }
  if (settings.apiPort !== 0 && settings.apiPort === settings.otlpPort) {
    throw new SettingsError(describe(SPECS.otlpPort), `must differ from the API port (${settings.apiPort})`);
  }
  return settings;
}

/** Settings for tests and embedding: defaults, then the given overrides. */
export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...loadSettings([], {}), ...overrides };
}
