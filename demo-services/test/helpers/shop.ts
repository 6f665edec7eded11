// The whole shop in this process, on port 0: the fallback broker (or NATS) and the six services
// with their databases in a temp dir (or PostgreSQL schemas of their own). For tests of the
// business logic; the fleet as real processes with the agent is the integration test's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type RunningBroker, startBroker } from '../../src/broker/broker.js';
import { type RunningService, startService } from '../../src/run-service.js';
import { type ServiceName, urlVariable } from '../../src/settings.js';
import { type DatabaseKind, dropSchemas, POSTGRES_URL, uniqueSchemaPrefix } from './postgres.js';

export interface Shop {
  services: Map<ServiceName, RunningService>;
  url(service: ServiceName): string;
  env: Record<string, string>;
  /** Starts another instance of a service with extra settings (e.g. a strict gateway). */
  startExtra(service: ServiceName, env: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

// Providers first, so each consumer starts knowing where its peers listen.
const START_ORDER: ServiceName[] = ['inventory', 'payments', 'users', 'notifications', 'orders', 'gateway'];

export async function startShop(options: { database: DatabaseKind; env?: Record<string, string> }): Promise<Shop> {
  const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'demo-shop-'));
  const schemaPrefix = uniqueSchemaPrefix();
  let broker: RunningBroker | undefined;
  const env: Record<string, string> = { ...options.env };
  if (!env['NATS_URL']) {
    broker = await startBroker({ host: '127.0.0.1', port: 0, logger });
    env['DEMO_BROKER_ADDRESS'] = broker.address;
  }
  if (options.database === 'postgres') {
    env['DEMO_POSTGRES_URL'] = POSTGRES_URL;
    env['DEMO_SCHEMA_PREFIX'] = schemaPrefix;
  } else {
    env['DEMO_DATA_DIR'] = dir;
  }
  const services = new Map<ServiceName, RunningService>();
  const extras: RunningService[] = [];
  const start = (service: ServiceName, extra: Record<string, string> = {}) =>
    startService(service, { env: { ...env, PORT: '0', ...extra }, logger: logger.child({ service }) });

  const close = async () => {
    for (const service of [...extras, ...[...services.values()].reverse()]) await service.close();
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
    if (options.database === 'postgres') await dropSchemas(schemaPrefix);
  };

  try {
    for (const name of START_ORDER) {
      const running = await start(name);
      services.set(name, running);
      env[urlVariable(name)] = running.url;
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    services,
    env,
    url: (service) => {
      const running = services.get(service);
      if (!running) throw new Error(`${service} is not running`);
      return running.url;
    },
    async startExtra(service, extra) {
      const running = await start(service, extra);
      extras.push(running);
      return running;
    },
    close,
  };
}
