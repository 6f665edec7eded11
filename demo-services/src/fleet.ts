// How to launch the fleet as processes: one place that both `npm run demo` (scripts/demo.mjs)
// and the integration test use, so the demo runs exactly what the test checked.
import { fileURLToPath } from 'node:url';
import { DEFAULT_BROKER_ADDRESS, DEFAULT_PORTS, SERVICES, type ServiceName, urlVariable } from './settings.js';

export interface FleetProcess {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Ends on its own (the load generator): its exit does not stop the others. */
  optional?: boolean;
}

export interface FleetOptions {
  controlPlaneUrl: string;
  otlpEndpoint: string;
  /** SQLite files go here (ignored when extraEnv sets DEMO_POSTGRES_URL). */
  dataDir: string;
  /** JetStream when set; else the fallback broker runs as a process of the fleet. */
  natsUrl?: string;
  ports?: Partial<Record<ServiceName, number>>;
  brokerAddress?: string;
  /** Load generator settings; false leaves it out. */
  load?: { rate: number; duration: string } | false;
  /** Given to every process (DEMO_POSTGRES_URL, DEMO_SUBJECT_PREFIX, LOG_LEVEL, OTEL_BSP_*, …). */
  extraEnv?: Record<string, string>;
  /** Given to one service only (e.g. FAULT_* to break it). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/** Consecutive ports from `base` in the default order (gateway, users, …, notifications). */
export function portsFrom(base: number): Record<ServiceName, number> {
  return Object.fromEntries(
    SERVICES.map((service) => [service, base + DEFAULT_PORTS[service] - DEFAULT_PORTS.gateway]),
  ) as Record<ServiceName, number>;
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const BROKER = fileURLToPath(new URL('./broker/main.ts', import.meta.url));
const LOADGEN = fileURLToPath(new URL('./loadgen/main.ts', import.meta.url));

/** Start order: the broker, providers before their callers, the load generator last. */
export function fleetProcesses(options: FleetOptions): FleetProcess[] {
  const port = (service: ServiceName) => options.ports?.[service] ?? DEFAULT_PORTS[service];
  const urls = Object.fromEntries(SERVICES.map((s) => [urlVariable(s), `http://127.0.0.1:${port(s)}`]));
  const transport: Record<string, string> = options.natsUrl
    ? { NATS_URL: options.natsUrl }
    : { DEMO_BROKER_ADDRESS: options.brokerAddress ?? DEFAULT_BROKER_ADDRESS };
  const common: Record<string, string> = {
    SIGNALBOX_URL: options.controlPlaneUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    DEMO_DATA_DIR: options.dataDir,
    ...urls,
    ...transport,
    ...options.extraEnv,
  };
  const node = (script: string, ...rest: string[]) => ['--import', 'tsx', script, ...rest];

  const out: FleetProcess[] = [];
  if (!options.natsUrl) out.push({ name: 'broker', command: process.execPath, args: node(BROKER), env: common });
  const order: ServiceName[] = ['inventory', 'payments', 'users', 'notifications', 'orders', 'gateway'];
  for (const service of order) {
    out.push({
      name: service,
      command: process.execPath,
      args: node(MAIN, service),
      env: { ...common, PORT: String(port(service)), ...options.serviceEnv?.[service] },
    });
  }
  if (options.load) {
    out.push({
      name: 'load',
      command: process.execPath,
      args: node(
        LOADGEN,
        '--target',
        `http://127.0.0.1:${port('gateway')}`,
        '--rate',
        String(options.load.rate),
        '--duration',
        options.load.duration,
      ),
      env: common,
      optional: true,
    });
  }
  return out;
}
