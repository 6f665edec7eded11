// Entry of one demo service process: `node --import tsx src/main.ts <service>`.
//
// The agent starts FIRST. OpenTelemetry's instrumentations patch http, undici, Fastify and pg
// as they are loaded, so this file statically imports only the agent and the settings (plain
// code, nothing instrumented); the service, Fastify, pg and the rest come in through the
// dynamic import below, after start().
import { start } from '@signalbox/agent';
import { parseDemoConfig } from './live-config.js';
import { isServiceName, SERVICES } from './settings.js';

const service = process.argv[2] ?? process.env['DEMO_SERVICE'];
if (!isServiceName(service)) {
  console.error(`usage: main.ts <service>   (one of ${SERVICES.join(', ')})`);
  process.exit(2);
}

const env = process.env;
const positive = (name: string): number | undefined => {
  const value = Number(env[name]);
  return env[name] && Number.isFinite(value) && value > 0 ? value : undefined;
};
// The control plane's probe interval and heartbeat TTL; the demo keeps the agent's defaults
// unless told otherwise (the integration test shortens them to see a failure quickly).
const registration: { checkIntervalMs?: number; checkTimeoutMs?: number; ttlMs?: number } = {};
const checkIntervalMs = positive('DEMO_CHECK_INTERVAL_MS');
const ttlMs = positive('DEMO_HEARTBEAT_TTL_MS');
if (checkIntervalMs) {
  registration.checkIntervalMs = checkIntervalMs;
  // The control plane refuses a probe timeout longer than its interval.
  registration.checkTimeoutMs = Math.min(2000, Math.max(100, Math.floor(checkIntervalMs * 0.8)));
}
if (ttlMs) registration.ttlMs = ttlMs;

const agent = start({
  service,
  version: env['DEMO_VERSION'] ?? '1.0.0',
  environment: env['DEMO_ENVIRONMENT'] ?? 'demo',
  registration,
  // Pushed configuration (fault injection); a version this refuses is reported as rejected.
  parseConfig: parseDemoConfig,
});

const { wireService } = await import('./agent-wiring.js');
await wireService(service, agent);
