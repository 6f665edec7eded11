// `node --import tsx src/loadgen/main.ts --rate 5 --duration 10m`: drives the demo gateway.
// Flags, or LOAD_* environment variables: --target (LOAD_TARGET, default the demo gateway),
// --token (LOAD_TOKEN), --rate scenarios per second (LOAD_RATE, default 5), --duration like
// "30s", "10m", "2h" (LOAD_DURATION, default 10m), --decline-rate 0..1 (LOAD_DECLINE_RATE).
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS } from '../settings.js';
import { assertLoopback, DEFAULT_DECLINE_RATE, type LoadReport, parseDuration, runLoad } from './load.js';

const MAX_DURATION_MS = 24 * 3600_000; // bounded in time, whatever is asked
const SHOP_WAIT_MS = 120_000;

/** Waits until the catalogue answers through the gateway: the gateway and inventory are up. */
async function waitForShop(target: string, token: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal.aborted) {
    try {
      const response = await fetch(`${target}/api/products`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function summary(report: LoadReport): string {
  const statuses = Object.entries(report.responses)
    .sort()
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  return (
    `${(report.elapsedMs / 1000).toFixed(0)}s: ${report.requests} requests [${statuses}], orders ` +
    `${report.ordersConfirmed} confirmed / ${report.ordersDeclined} declined / ${report.ordersOutOfStock} out of stock` +
    (report.skipped > 0 ? `, ${report.skipped} ticks skipped (too many in flight)` : '')
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      token: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'decline-rate': { type: 'string' },
    },
  });
  const env = process.env;
  const target = values.target ?? env['LOAD_TARGET'] ?? `http://127.0.0.1:${DEFAULT_PORTS.gateway}`;
  const token = values.token ?? env['LOAD_TOKEN'] ?? 'demo-loadgen-token';
  const rate = Number(values.rate ?? env['LOAD_RATE'] ?? '5');
  const durationMs = Math.min(parseDuration(values.duration ?? env['LOAD_DURATION'] ?? '10m'), MAX_DURATION_MS);
  const declineRate = Number(values['decline-rate'] ?? env['LOAD_DECLINE_RATE'] ?? DEFAULT_DECLINE_RATE);
  if (!(rate > 0) || !(declineRate >= 0 && declineRate <= 1)) throw new Error('rate must be > 0, decline rate 0..1');

  assertLoopback(target);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  // Started together with the fleet: wait for the shop rather than count its start-up as errors.
  if (!(await waitForShop(target, token, SHOP_WAIT_MS, controller.signal))) {
    if (controller.signal.aborted) return;
    throw new Error(`the shop at ${target} did not answer GET /api/products within ${SHOP_WAIT_MS / 1000}s`);
  }
  console.log(`load: ${rate}/s against ${target} for ${durationMs / 1000}s (Ctrl-C stops)`);
  const report = await runLoad({
    target,
    token,
    rate,
    durationMs,
    declineRate,
    signal: controller.signal,
    onProgress: (r) => console.log(`load: ${summary(r)}`),
    progressIntervalMs: 10_000,
  });
  console.log(`load done: ${summary(report)}`);
}

main().catch((error) => {
  console.error(`load: ${(error as Error).message}`);
  process.exit(1);
});
