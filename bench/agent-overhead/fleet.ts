// The agent's cost across the demo fleet: requests/s at the fleet's front door (the gateway, as
// the load generator and the dashboard call it) with every service under the agent, and with
// none. Both fleets are the processes `npm run demo` runs (fleetProcesses(): gateway, users,
// orders, payments, inventory, notifications and the fallback broker, each its own process and
// SQLite files); the `off` fleet runs the same services without the agent (fleet-service-off.ts).
// A request here crosses two instrumented processes, so each carries the agent's whole per-request
// cost twice (context, SERVER span, the gateway's CLIENT span and trace-context headers, the
// service's database spans, export) beside the real work of an HTTP hop, authentication and
// rate limiting, routing and retries, schema validation and SQLite. Phases alternate (off/on,
// then on/off) after a warm-up each, and the medians are compared. CPU per request counts every
// process of the fleet. Traces and logs go to an OTLP receiver in this process that takes every
// batch, as run.ts does by default; the control plane (nice 19) holds registrations and
// configuration.
//
//   npm run bench:agent-overhead:fleet [-- --duration 10 --warmup 3 --rounds 2 --connections 16 --base-port 17100
//     --profile <service> --profile-dir bench-profiles]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fleetProcesses, portsFrom } from '../../demo-services/src/fleet.js';
import { TEST_CARDS } from '../../demo-services/src/services/payments.js';
import {
  children as allChildren,
  cpuSeconds,
  load,
  log,
  median,
  PHASE_OPTIONS,
  type Phase,
  startControlPlane,
  startSink,
  stopAll,
} from './harness.js';

const GOAL_RATIO = 0.85;
const TOKEN = 'bench-token';
const OFF_ENTRY = fileURLToPath(new URL('./fleet-service-off.ts', import.meta.url));

const { values: args } = parseArgs({
  options: {
    ...PHASE_OPTIONS,
    'base-port': { type: 'string', default: '17100' },
    // CPU profiles of one service (both modes) into this directory, written when the fleet stops.
    profile: { type: 'string' },
    // Environment for the agent's fleet only, to price its parts, e.g. OTEL_SDK_DISABLED=true
    // (registration, health and breakers without telemetry) or OTEL_TRACES_SAMPLER=always_off.
    'agent-env': { type: 'string', multiple: true, default: [] },
    endpoint: { type: 'string', default: 'all' },
    'profile-dir': { type: 'string', default: 'bench-profiles' },
  },
});

const agentEnv = Object.fromEntries(
  args['agent-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--agent-env takes KEY=VALUE, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

type Mode = 'on' | 'off';
interface Fleet {
  gateway: string;
  names: string[];
  pids: number[];
  children: ChildProcess[];
}

async function startFleet(mode: Mode, base: number, api: string, otlp: string, dataDir: string): Promise<Fleet> {
  const ports = portsFrom(base);
  const processes = fleetProcesses({
    controlPlaneUrl: api,
    otlpEndpoint: otlp,
    dataDir,
    ports,
    brokerAddress: `127.0.0.1:${base + 50}`,
    load: false,
    extraEnv: {
      GATEWAY_TOKENS: `bench=${TOKEN}`,
      // The bench is one client at thousands of requests/s: the gateway's limit must not answer 429.
      GATEWAY_RATE_LIMIT: '1000000',
      GATEWAY_RATE_BURST: '1000000',
      LOG_LEVEL: 'info',
      DEMO_ENVIRONMENT: 'bench',
      ...(mode === 'on' ? agentEnv : {}),
    },
  });
  const fleetChildren: ChildProcess[] = [];
  for (const process_ of processes) {
    // fleetProcesses() runs each service as `--import tsx main.ts <service>` (the agent first).
    let nodeArgs =
      mode === 'off' && process_.name !== 'broker' ? ['--import', 'tsx', OFF_ENTRY, process_.name] : process_.args;
    if (process_.name === args.profile) {
      nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${join(args['profile-dir'], mode)}`, ...nodeArgs];
    }
    const child = spawn(process_.command, nodeArgs, { stdio: 'ignore', env: { ...process.env, ...process_.env } });
    fleetChildren.push(child);
    allChildren.push(child);
    const port = process_.name === 'broker' ? undefined : ports[process_.name as keyof typeof ports];
    if (port !== undefined) await listening(`http://127.0.0.1:${port}`, child, process_.name);
  }
  return {
    gateway: `http://127.0.0.1:${ports.gateway}`,
    names: processes.map((process_) => process_.name),
    pids: fleetChildren.map((child) => child.pid as number),
    children: fleetChildren,
  };
}

/** Resolves once the service answers HTTP at all (any status). */
async function listening(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/__bench`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${name} did not listen on ${url} within 60 s`);
}

/** Through the gateway as a shopper: sign up, browse, place one order; returns that order's id. */
async function seed(gateway: string): Promise<string> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : null,
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const user = await call('POST', '/api/users', { email: 'bench@example.test', name: 'Bench Shopper' });
  const { products } = (await call('GET', '/api/products')) as { products: { sku: string }[] };
  const items = products.slice(0, 3).map(({ sku }) => ({ sku, quantity: 1 }));
  const order = await call('POST', '/api/orders', {
    user_id: user['id'],
    items,
    card: { number: TEST_CARDS.approved },
  });
  const id = (order['id'] ?? (order['order'] as { id?: string } | undefined)?.id) as string | undefined;
  if (!id) throw new Error(`POST /api/orders answered no order id: ${JSON.stringify(order)}`);
  return id;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-fleet-'));
  const sink = await startSink();
  const fleets: Fleet[] = [];
  try {
    const { api } = await startControlPlane(dir);
    const base = Number(args['base-port']);
    const on = await startFleet('on', base, api, sink.url, join(dir, 'on'));
    fleets.push(on);
    const off = await startFleet('off', base + 100, api, sink.url, join(dir, 'off'));
    fleets.push(off);
    const byMode: Record<Mode, Fleet & { order: string }> = {
      on: { ...on, order: await seed(on.gateway) },
      off: { ...off, order: await seed(off.gateway) },
    };
    const connections = Number(args.connections);
    const rounds = Number(args.rounds);
    const allEndpoints = [
      {
        name: 'view',
        label: 'view an order (gateway → orders and its two queries)',
        path: (f: typeof byMode.on) => `/api/orders/${f.order}`,
      },
      { name: 'browse', label: 'browse the catalogue (gateway → inventory)', path: () => '/api/products' },
    ];
    const endpoints = allEndpoints.filter(({ name }) => args.endpoint === 'all' || args.endpoint === name);
    if (endpoints.length === 0) throw new Error(`--endpoint must be view, browse or all, got ${args.endpoint}`);
    if (Object.keys(agentEnv).length > 0) log(`agent fleet's extra environment: ${JSON.stringify(agentEnv)}`);
    log(
      `fleet: 6 services and the broker per mode; load ${connections} connections, ${args.warmup} s warm-up + ${args.duration} s measured per phase, ${rounds} rounds`,
    );
    const headers = { authorization: `Bearer ${TOKEN}` };
    for (const endpoint of endpoints) {
      log('');
      log(`${endpoint.label}: GET ${endpoint.path(byMode.on)}`);
      const results: Record<Mode, Phase[]> = { on: [], off: [] };
      for (let round = 1; round <= rounds; round++) {
        for (const mode of round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          const fleet = byMode[mode];
          const url = `${fleet.gateway}${endpoint.path(fleet)}`;
          await load(url, fleet.pids, Number(args.warmup), connections, headers);
          const batches = sink.batches();
          const cpuBefore = fleet.pids.map(cpuSeconds);
          const phase = await load(url, fleet.pids, Number(args.duration), connections, headers);
          const requests = phase.rps * Number(args.duration);
          const perProcess = fleet.pids
            .map((pid, i) => ({ name: fleet.names[i], us: ((cpuSeconds(pid) - (cpuBefore[i] ?? 0)) / requests) * 1e6 }))
            .filter(({ us }) => us >= 1)
            .map(({ name, us }) => `${name} ${us.toFixed(0)}`);
          if (phase.errors > 0) throw new Error(`${mode}: ${phase.errors} failed requests`);
          results[mode].push(phase);
          log(
            `  round ${round} agent ${mode.padEnd(3)}: ${phase.rps.toFixed(0).padStart(6)} req/s, p99 ${phase.p99} ms, ${phase.cpuUs.toFixed(1)} µs CPU/request (all processes), load ${phase.load.toFixed(2)}; ${sink.batches() - batches} OTLP batches received`,
          );
          log(`    µs CPU/request by process: ${perProcess.join(', ')}`);
        }
      }
      const rps = (mode: Mode) => median(results[mode].map((p) => p.rps));
      const cpu = (mode: Mode) => median(results[mode].map((p) => p.cpuUs));
      const ratio = rps('on') / rps('off');
      log(`  agent off: ${rps('off').toFixed(0)} req/s, ${cpu('off').toFixed(1)} µs CPU/request (medians)`);
      log(`  agent on:  ${rps('on').toFixed(0)} req/s, ${cpu('on').toFixed(1)} µs CPU/request (medians)`);
      log(
        `  ratio on/off: ${(ratio * 100).toFixed(1)} % of requests/s (goal ≥ ${GOAL_RATIO * 100} %) ${ratio >= GOAL_RATIO ? 'PASS' : 'MISS'}; by CPU per request ${((cpu('off') / cpu('on')) * 100).toFixed(1)} %; the agent adds ${(cpu('on') - cpu('off')).toFixed(1)} µs CPU per request`,
      );
    }
  } finally {
    for (const fleet of fleets) for (const child of fleet.children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const fleet of fleets) for (const child of fleet.children) if (child.exitCode === null) child.kill('SIGKILL');
    await stopAll();
    sink.server.close();
    sink.server.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
