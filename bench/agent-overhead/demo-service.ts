// A real demo service under load, with the agent (`on`) or without it (`off`): the fleet's own
// `orders` service (demo-services/src/run-service.ts: its routes, JSON schemas, fault injector,
// SQLite database and event bus) — the same code `npm run demo` runs, wired as main.ts and
// agent-wiring.ts wire it when `on` (the agent started first, its logger, /healthz and /readyz
// with the database and broker checks). Log lines go to /dev/null in both modes.
//
// One order with three lines is written to its database before it listens, so that
// GET /orders/:id reads an order and its lines as it does for the dashboard and the gateway.
//
//   node --import tsx bench/agent-overhead/demo-service.ts on|off <control-plane-url> <otlp-url> <data-dir> <broker-address>
import { type Agent, databaseCheck, start, type TelemetryOptions } from '@signalbox/agent';
import { pino } from 'pino';
import { activateContextPerRequest } from './context-only.js';

/** The order run.ts asks for. */
const DEMO_ORDER_ID = 'ord-bench-1042';

const [mode, controlPlane, otlpEndpoint, dataDir, brokerAddress] = process.argv.slice(2) as string[];
const env = {
  PORT: '0',
  DEMO_DATA_DIR: `${dataDir}/${mode}`,
  DEMO_BROKER_ADDRESS: brokerAddress,
  LOG_LEVEL: 'info',
};

/** levers.ts: `telemetry` merged into start()'s options; `contextOnly` (agent off): only an
 * AsyncLocalStorage context manager and a hook making a context active per request. */
const variant = JSON.parse(process.env['BENCH_VARIANT'] ?? '{}') as {
  telemetry?: TelemetryOptions;
  contextOnly?: boolean;
};
let agent: Agent | undefined;
if (mode === 'on') {
  agent = start({
    service: 'orders',
    version: '1.0.0',
    environment: 'bench',
    controlPlane,
    otlpEndpoint,
    env: {},
    ...(variant.telemetry ? { telemetry: variant.telemetry } : {}),
  });
}

// Loaded after start(), as main.ts loads the service.
const { startService } = await import('../../demo-services/src/run-service.js');
const destination = pino.destination({ dest: '/dev/null', sync: false });
const logger = agent
  ? agent.createLogger({ level: 'info', base: { service: 'orders' } }, destination)
  : pino({ level: 'info', base: { service: 'orders' } }, destination);

const running = await startService('orders', {
  env,
  logger,
  async beforeListen(app, context) {
    const now = Date.now();
    await context.db.execute(
      `INSERT INTO orders (id, user_id, status, total_cents, reservation_id, payment_id, created_at, updated_at)
       VALUES (?, ?, 'confirmed', 7597, 'res-bench', 'pay-bench', ?, ?) ON CONFLICT (id) DO NOTHING`,
      [DEMO_ORDER_ID, 'usr-bench', now, now],
    );
    for (const [sku, quantity, price] of [
      ['sku-1001', 2, 1299],
      ['sku-2002', 1, 4999],
      ['sku-3003', 1, 0],
    ] as const) {
      await context.db.execute(
        `INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?)
         ON CONFLICT (order_id, sku) DO NOTHING`,
        [DEMO_ORDER_ID, sku, quantity, price],
      );
    }
    if (agent) {
      agent.mountHealth(app);
      agent.health.add(databaseCheck('database', { query: (sql) => context.db.query(sql) }, { timeoutMs: 1500 }));
      agent.health.add({ name: 'broker', timeoutMs: 1500, check: () => context.events.check() });
    }
    if (variant.contextOnly) activateContextPerRequest(app);
    app.get('/__agent', async () => agent?.stats() ?? null);
  },
});

process.stdout.write(`${JSON.stringify({ url: running.url, pid: process.pid })}\n`);

process.on('SIGTERM', async () => {
  await running.close();
  await agent?.shutdown({ timeoutMs: 3_000 });
  process.exit(0);
});
