// The load generator: an open-loop mix of what shoppers do — browse the catalogue, sign up,
// place orders (some with cards that get declined), look at an order — at a chosen rate, for a
// bounded time, against a gateway on this machine only.
import { randomUUID } from 'node:crypto';
import { TEST_CARDS } from '../services/payments.js';

export type Scenario = 'browse' | 'signUp' | 'placeOrder' | 'viewOrder';

/** Relative weights; they need not sum to 1. */
export type Mix = Readonly<Record<Scenario, number>>;

export const DEFAULT_MIX: Mix = { browse: 0.55, signUp: 0.1, placeOrder: 0.3, viewOrder: 0.05 };

/** Share of orders paid with a card that is declined (the rest use a good card). */
export const DEFAULT_DECLINE_RATE = 0.2;

export interface LoadOptions {
  /** Gateway base URL; must be a loopback address. */
  target: string;
  token: string;
  /** Scenarios started per second. */
  rate: number;
  durationMs: number;
  mix?: Mix;
  declineRate?: number;
  /** Scenarios in flight at most; beyond it a tick is skipped and counted. */
  maxInFlight?: number;
  /** Per request. */
  timeoutMs?: number;
  random?: () => number;
  signal?: AbortSignal;
  onProgress?(report: LoadReport): void;
  progressIntervalMs?: number;
}

export interface LoadReport {
  elapsedMs: number;
  started: Record<Scenario, number>;
  /** Gateway answers by status code ("error" when no answer came). */
  responses: Record<string, number>;
  requests: number;
  skipped: number;
  ordersConfirmed: number;
  ordersDeclined: number;
  ordersOutOfStock: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function assertLoopback(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`load target "${target}" is not a URL`);
  }
  if (!LOOPBACK.has(url.hostname) && !url.hostname.startsWith('127.')) {
    throw new Error(`load target ${url.host} is not on this machine; the load generator only drives loopback`);
  }
  return url;
}

/** "500ms", "30s", "10m", "2h" → milliseconds. */
export function parseDuration(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
  if (!match) throw new Error(`duration "${raw}" should look like 500ms, 30s, 10m or 2h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

export function pick(mix: Mix, roll: number): Scenario {
  const entries = Object.entries(mix) as [Scenario, number][];
  const total = entries.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0);
  let at = roll * total;
  for (const [scenario, weight] of entries) {
    at -= Math.max(0, weight);
    if (at < 0) return scenario;
  }
  return entries[entries.length - 1]?.[0] ?? 'browse';
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const base = assertLoopback(options.target).href.replace(/\/$/, '');
  if (!(options.rate > 0)) throw new Error('rate must be positive');
  if (!(options.durationMs > 0)) throw new Error('duration must be positive');
  const mix = options.mix ?? DEFAULT_MIX;
  const random = options.random ?? Math.random;
  const declineRate = options.declineRate ?? DEFAULT_DECLINE_RATE;
  const maxInFlight = options.maxInFlight ?? Math.max(8, Math.ceil(options.rate * 2));
  const timeoutMs = options.timeoutMs ?? 10_000;

  const report: LoadReport = {
    elapsedMs: 0,
    started: { browse: 0, signUp: 0, placeOrder: 0, viewOrder: 0 },
    responses: {},
    requests: 0,
    skipped: 0,
    ordersConfirmed: 0,
    ordersDeclined: 0,
    ordersOutOfStock: 0,
  };
  const users: string[] = [];
  const orders: string[] = [];
  let catalog: string[] = [];

  const request = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    report.requests++;
    try {
      const response = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      report.responses[response.status] = (report.responses[response.status] ?? 0) + 1;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, json };
    } catch {
      report.responses['error'] = (report.responses['error'] ?? 0) + 1;
      return { status: 0, json: undefined };
    }
  };

  const choose = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const remember = (list: string[], value: string) => {
    list.push(value);
    if (list.length > 500) list.shift();
  };

  const scenarios: Record<Scenario, () => Promise<void>> = {
    async browse() {
      const listing = await request('GET', '/api/products');
      const products = (listing.json as { products?: { sku: string }[] } | undefined)?.products;
      if (products && products.length > 0) catalog = products.map((p) => p.sku);
      const sku = choose(catalog);
      if (sku) await request('GET', `/api/products/${encodeURIComponent(sku)}`);
    },
    async signUp() {
      const id = randomUUID().slice(0, 8);
      const created = await request('POST', '/api/users', {
        email: `shopper-${id}@example.test`,
        name: `Shopper ${id}`,
      });
      const userId = (created.json as { id?: string } | undefined)?.id;
      if (created.status === 201 && userId) remember(users, userId);
    },
    async placeOrder() {
      if (users.length === 0) await scenarios.signUp();
      if (catalog.length === 0) await scenarios.browse();
      const userId = choose(users);
      if (!userId || catalog.length === 0) return;
      const lines = new Map<string, number>();
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        const sku = choose(catalog);
        if (sku) lines.set(sku, (lines.get(sku) ?? 0) + 1 + Math.floor(random() * 2));
      }
      const roll = random();
      const card =
        roll < declineRate * 0.75
          ? TEST_CARDS.declined
          : roll < declineRate
            ? TEST_CARDS.insufficientFunds
            : TEST_CARDS.approved;
      const placed = await request('POST', '/api/orders', {
        user_id: userId,
        items: [...lines].map(([sku, quantity]) => ({ sku, quantity })),
        card: { number: card },
      });
      const order = (placed.json as { id?: string; order?: { id?: string } } | undefined) ?? {};
      const orderId = order.id ?? order.order?.id;
      if (orderId) remember(orders, orderId);
      if (placed.status === 201) report.ordersConfirmed++;
      else if (placed.status === 402) report.ordersDeclined++;
      else if (placed.status === 409) report.ordersOutOfStock++;
    },
    async viewOrder() {
      const orderId = choose(orders);
      if (!orderId) return scenarios.browse();
      await request('GET', `/api/orders/${encodeURIComponent(orderId)}`);
    },
  };

  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / options.rate;
  let next = started;
  let lastProgress = started;
  const progressEvery = options.progressIntervalMs ?? 5000;

  while (!options.signal?.aborted) {
    const now = performance.now();
    if (now - started >= options.durationMs) break;
    // Open loop: start what the schedule says is due, whether or not earlier work finished.
    while (next <= now) {
      next += intervalMs;
      if (inFlight.size >= maxInFlight) {
        report.skipped++;
        continue;
      }
      const scenario = pick(mix, random());
      report.started[scenario]++;
      const run = scenarios[scenario]().finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
    if (options.onProgress && now - lastProgress >= progressEvery) {
      lastProgress = now;
      report.elapsedMs = Math.round(now - started);
      options.onProgress(report);
    }
    await sleep(
      Math.max(1, Math.min(next - performance.now(), started + options.durationMs - performance.now())),
      options.signal,
    );
  }
  await Promise.allSettled(inFlight);
  report.elapsedMs = Math.round(performance.now() - started);
  return report;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
