// One service of the demo fleet WITHOUT the agent, for fleet.ts: the same startService() that
// demo-services/src/main.ts runs under the agent (through agent-wiring.ts), with the default
// pino logger of run-service.ts (stdout, LOG_LEVEL) and its settings from the environment.
//
//   node --import tsx bench/agent-overhead/fleet-service-off.ts <service>
import { startService } from '../../demo-services/src/run-service.js';
import { isServiceName, SERVICES } from '../../demo-services/src/settings.js';

const service = process.argv[2];
if (!isServiceName(service)) throw new Error(`usage: fleet-service-off.ts <service> (one of ${SERVICES.join(', ')})`);
const running = await startService(service);
process.on('SIGTERM', async () => {
  await running.close();
  process.exit(0);
});
