// `node --import tsx src/broker/main.ts`: the fallback event broker as its own process, for a
// fleet without NATS (npm run demo starts it when NATS_URL is not set).
import { pino } from 'pino';
import { DEFAULT_BROKER_ADDRESS } from '../settings.js';
import { startBroker } from './broker.js';

const logger = pino({ base: { service: 'broker' } });
const [defaultHost, defaultPort] = DEFAULT_BROKER_ADDRESS.split(':') as [string, string];
const address = process.env['DEMO_BROKER_ADDRESS'] ?? DEFAULT_BROKER_ADDRESS;
const host = address.includes(':') ? address.slice(0, address.lastIndexOf(':')) : defaultHost;
const port = Number(address.includes(':') ? address.slice(address.lastIndexOf(':') + 1) : defaultPort);

const broker = await startBroker({ host, port, logger });
logger.info({ address: broker.address }, `event broker listening on ${broker.address}`);

const report = setInterval(() => logger.debug(broker.stats(), 'broker stats'), 30_000);
report.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    logger.info(broker.stats(), 'event broker stopping');
    await broker.close();
    process.exit(0);
  });
}
