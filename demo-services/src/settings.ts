// Settings of one demo process, read once at start from the environment. Like the agent, the
// demo never refuses to start over a bad value: it warns, names the variable, and falls back,
// so `npm run demo` always comes up.
import { isAbsolute, resolve } from 'node:path';
import { type FaultSettings, parseFaults } from './faults.js';

export const SERVICES = ['gateway', 'users', 'orders', 'payments', 'inventory', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Where each service listens unless `PORT` says otherwise (the README and demo say the same). */
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  gateway: 7000,
  users: 7001,
  orders: 7002,
  payments: 7003,
  inventory: 7004,
  notifications: 7005,
};
/** The fallback event broker, used when `NATS_URL` is not set. */
export const DEFAULT_BROKER_ADDRESS = '127.0.0.1:7006';

export function isServiceName(value: string | undefined): value is ServiceName {
  return SERVICES.includes(value as ServiceName);
}

/** `USERS_URL`, `ORDERS_URL`, …: how one service finds another. */
export function urlVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_URL`;
}

export type DatabaseSettings =
  | { kind: 'sqlite'; path: string; name: string }
  | { kind: 'postgres'; url: string; schema: string; name: string };

export type EventSettings =
  | { kind: 'jetstream'; servers: string; subjectPrefix: string }
  | { kind: 'broker'; address: string; subjectPrefix: string };

export interface GatewaySettings {
  /** bearer token → client id. */
  tokens: ReadonlyMap<string, string>;
  /** Token bucket per client: sustained requests per second and burst size. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Per attempt, towards a backend. */
  upstreamTimeoutMs: number;
  /** Extra attempts after the first, for requests that are safe to repeat. */
  upstreamRetries: number;
}

export interface DemoSettings {
  service: ServiceName;
  version: string;
  environment: string;
  host: string;
  port: number;
  /** Base URL of every service, for the ones this service calls. */
  urls: Readonly<Record<ServiceName, string>>;
  database: DatabaseSettings;
  events: EventSettings;
  faults: FaultSettings;
  gateway: GatewaySettings;
  /** Per attempt, for service-to-service calls (orders → inventory, payments). */
  callTimeoutMs: number;
  callRetries: number;
}

export const DEFAULT_GATEWAY_TOKENS = 'loadgen=demo-loadgen-token,web=demo-web-token';

type Env = Record<string, string | undefined>;

export function loadSettings(service: ServiceName, env: Env, warn: (message: string) => void): DemoSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      warn(`${name}="${raw}" is not a number in ${min}..${max}; using ${fallback}`);
      return fallback;
    }
    return value;
  };

  const host = read('HOST') ?? '127.0.0.1';
  const port = Math.trunc(number('PORT', DEFAULT_PORTS[service], 0, 65535));
  const urls = Object.fromEntries(
    SERVICES.map((name) => [name, trimSlash(read(urlVariable(name)) ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}`)]),
  ) as Record<ServiceName, string>;

  const postgresUrl = read('DEMO_POSTGRES_URL');
  const schemaPrefix = read('DEMO_SCHEMA_PREFIX') ?? 'demo';
  let database: DatabaseSettings;
  if (postgresUrl && /^postgres(ql)?:\/\//.test(postgresUrl)) {
    database = { kind: 'postgres', url: postgresUrl, schema: identifier(`${schemaPrefix}_${service}`), name: service };
  } else {
    if (postgresUrl) warn(`DEMO_POSTGRES_URL="${postgresUrl}" is not a postgres:// URL; using SQLite`);
    const dataDir = read('DEMO_DATA_DIR') ?? './signalbox-data/demo';
    const dir = isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir);
    database = { kind: 'sqlite', path: resolve(dir, `${service}.db`), name: service };
  }

  const subjectPrefix = read('DEMO_SUBJECT_PREFIX') ?? 'shop';
  if (!/^[A-Za-z0-9_-]+$/.test(subjectPrefix)) warn(`DEMO_SUBJECT_PREFIX="${subjectPrefix}" should be one token`);
  const natsUrl = read('NATS_URL');
  const events: EventSettings = natsUrl
    ? { kind: 'jetstream', servers: natsUrl, subjectPrefix }
    : { kind: 'broker', address: read('DEMO_BROKER_ADDRESS') ?? DEFAULT_BROKER_ADDRESS, subjectPrefix };

  return {
    service,
    version: read('DEMO_VERSION') ?? '1.0.0',
    environment: read('DEMO_ENVIRONMENT') ?? 'demo',
    host,
    port,
    urls,
    database,
    events,
    faults: parseFaults(
      {
        latencyMs: read('FAULT_LATENCY_MS'),
        errorRate: read('FAULT_ERROR_RATE'),
        hang: read('FAULT_HANG'),
        crashRate: read('FAULT_CRASH'),
      },
      (message) => warn(`fault injection: ${message}`),
    ),
    gateway: {
      tokens: parseTokens(read('GATEWAY_TOKENS') ?? DEFAULT_GATEWAY_TOKENS, warn),
      rateLimitPerSecond: number('GATEWAY_RATE_LIMIT', 50, 0.01, 1_000_000),
      rateLimitBurst: number('GATEWAY_RATE_BURST', 100, 1, 1_000_000),
      upstreamTimeoutMs: number('GATEWAY_UPSTREAM_TIMEOUT_MS', 3000, 1, 600_000),
      upstreamRetries: Math.trunc(number('GATEWAY_UPSTREAM_RETRIES', 2, 0, 10)),
    },
    callTimeoutMs: number('DEMO_CALL_TIMEOUT_MS', 2000, 1, 600_000),
    callRetries: Math.trunc(number('DEMO_CALL_RETRIES', 1, 0, 10)),
  };
}

/** `client=token,client2=token2` → token → client. */
export function parseTokens(raw: string, warn: (message: string) => void): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const pair of raw.split(',')) {
    const [client, token] = pair.split('=').map((part) => part.trim());
    if (!client || !token) {
      warn(`GATEWAY_TOKENS: "${pair}" is not client=token; ignored`);
      continue;
    }
    tokens.set(token, client);
  }
  return tokens;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A PostgreSQL identifier we can quote safely: lower-case letters, digits and underscores. */
function identifier(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
