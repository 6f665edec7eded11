// The service under load, run with the agent (`on`) or without (`off`). Two endpoints:
//   GET /orders/:id          the smallest useful handler: one log line and a JSON reply (the
//                            worst case for the agent's share of the work);
//   GET /orders/:id/summary  a demo-service shaped handler: reads the order and its lines from
//                            an embedded SQLite database, totals them, logs, replies.
// Both write their log lines to /dev/null with pino, so the difference is the agent alone:
// tracing (one Fastify SERVER span per request), trace ids in log lines, OTLP export of spans
// and logs, registration and heartbeats.
//
// levers.ts runs variants of it, described by BENCH_VARIANT (JSON, see Variant below).
//
//   node --import tsx bench/agent-overhead/service.ts on|off <control-plane-url> <otlp-url>
import { type Agent, start, type TelemetryOptions, traceFields } from '@signalbox/agent';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { activateContextPerRequest } from './context-only.js';

interface Variant {
  /** Merged into start()'s telemetry options (agent on). */
  telemetry?: TelemetryOptions;
  /** false: the agent's logger is replaced by pino with the trace-id mixin only (no records exported). */
  logExport?: boolean;
  /** Agent off: only an AsyncLocalStorage context manager and a hook making a context active per request. */
  contextOnly?: boolean;
}

const [mode, controlPlane, otlpEndpoint] = process.argv.slice(2);
const variant = JSON.parse(process.env['BENCH_VARIANT'] ?? '{}') as Variant;
let agent: Agent | undefined;
if (mode === 'on') {
  agent = start({
    service: 'bench-orders',
    version: '1.0.0',
    environment: 'bench',
    controlPlane: controlPlane as string,
    otlpEndpoint: otlpEndpoint as string,
    env: {},
    ...(variant.telemetry ? { telemetry: variant.telemetry } : {}),
  });
}

// Loaded after start(), as a service using the agent does.
const { default: Fastify, LogController } = await import('fastify');
const destination = pino.destination({ dest: '/dev/null', sync: false });
const logger =
  agent && variant.logExport !== false
    ? agent.createLogger({ level: 'info' }, destination)
    : pino({ level: 'info', ...(agent ? { mixin: traceFields } : {}) }, destination);
const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
if (agent) agent.mountHealth(app);
if (variant.contextOnly) activateContextPerRequest(app);

const db = new Database(':memory:');
db.exec(`
  CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, status TEXT NOT NULL, placed_at INTEGER NOT NULL);
  CREATE TABLE order_lines (order_id INTEGER NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, price_cents INTEGER NOT NULL);
  CREATE INDEX order_lines_order ON order_lines (order_id);
`);
const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?)');
const insertLine = db.prepare('INSERT INTO order_lines VALUES (?, ?, ?, ?)');
db.transaction(() => {
  for (let id = 1; id <= 5_000; id++) {
    insertOrder.run(id, `c-${id % 300}`, id % 7 === 0 ? 'cancelled' : 'placed', 1_790_000_000_000 + id);
    for (let line = 0; line < 1 + (id % 6); line++)
      insertLine.run(id, `sku-${(id * 7 + line) % 900}`, 1 + (line % 3), 499 + ((id + line) % 50) * 100);
  }
})();
const selectOrder = db.prepare('SELECT id, customer, status, placed_at FROM orders WHERE id = ?');
const selectLines = db.prepare('SELECT sku, quantity, price_cents FROM order_lines WHERE order_id = ? ORDER BY sku');

const items = [
  { sku: 'sku-1001', quantity: 2, price_cents: 1299 },
  { sku: 'sku-2002', quantity: 1, price_cents: 4999 },
];
app.get<{ Params: { id: string } }>('/orders/:id', async (request) => {
  request.log.info({ order_id: request.params.id }, 'order read');
  return { id: request.params.id, status: 'placed', customer: 'c-42', items, total_cents: 7597 };
});

app.get<{ Params: { id: string } }>('/orders/:id/summary', async (request, reply) => {
  const id = Number(request.params.id);
  const order = selectOrder.get(id) as { id: number; customer: string; status: string; placed_at: number } | undefined;
  if (!order) return reply.code(404).send({ error: 'no such order' });
  const lines = selectLines.all(id) as { sku: string; quantity: number; price_cents: number }[];
  const total = lines.reduce((sum, line) => sum + line.quantity * line.price_cents, 0);
  request.log.info({ order_id: id, lines: lines.length, total_cents: total }, 'order summary');
  return { ...order, lines, total_cents: total, tax_cents: Math.round(total * 0.2) };
});

app.get('/__agent', async () => agent?.stats() ?? null);

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);

process.on('SIGTERM', async () => {
  await app.close();
  const report = await agent?.shutdown({ timeoutMs: 3_000 });
  process.stdout.write(`${JSON.stringify({ shutdown: report ?? null })}\n`);
  process.exit(0);
});
