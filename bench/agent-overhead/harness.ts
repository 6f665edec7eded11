// What run.ts and levers.ts share: starting the control plane and the service under test,
// loading an endpoint while reading the service's CPU time from /proc, the agent's counters, and
// an OTLP/HTTP receiver that keeps up.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { type RunningBroker, startBroker } from '../../demo-services/src/broker/broker.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SERVER_BIN = here('../../server/bin/signalbox-server.mjs');
const SERVICE = here('./service.ts');
const DEMO_SERVICE = here('./demo-service.ts');

/** Every process started here, to be stopped by stopAll(). */
export const children: ChildProcess[] = [];
// A bench stopped with Ctrl-C (or killed with SIGTERM) takes its processes with it: none is left
// holding a port or a core for the next run.
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Spawns a node process and resolves with the first JSON line of stdout that has every key. */
export function spawnReporting(
  args: string[],
  keys: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; line: Record<string, unknown> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const text of output.split('\n')) {
        if (!keys.every((key) => text.includes(`"${key}"`))) continue;
        try {
          const line = JSON.parse(text) as Record<string, unknown>;
          if (!keys.every((key) => typeof line[key] === 'string')) continue;
          clearTimeout(timer);
          resolve({ child, line });
          return;
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

/** The control plane on an embedded store in `dir`, at the lowest CPU priority. */
export async function startControlPlane(dir: string): Promise<{ api: string; otlp: string }> {
  const { child, line } = await spawnReporting(
    [SERVER_BIN, '--api-port', '0', '--otlp-port', '0', '--store', `sqlite:${join(dir, 'signalbox.db')}`],
    ['api', 'otlp'],
  );
  if (child.pid) setPriority(child.pid, 19);
  return { api: line['api'] as string, otlp: line['otlp'] as string };
}

export interface Service {
  url: string;
  pid: number;
}

/** service.ts with the agent on or off; `variant` becomes its BENCH_VARIANT. */
export async function startService(
  mode: 'on' | 'off',
  api: string,
  otlp: string,
  variant: object = {},
  env: Record<string, string> = {},
): Promise<Service> {
  const { line } = await spawnReporting(['--import', 'tsx', SERVICE, mode, api, otlp], ['url'], {
    BENCH_VARIANT: JSON.stringify(variant),
    ...env,
  });
  return { url: line['url'] as string, pid: line['pid'] as number };
}

/** The event broker the demo service's event bus connects to (idle under GET /orders/:id), on loopback. */
export function startDemoBroker(): Promise<RunningBroker> {
  return startBroker({ host: '127.0.0.1', port: 0, logger: pino({ level: 'warn' }) });
}

/** The demo fleet's `orders` service (demo-service.ts) with the agent on or off. */
export async function startDemoService(
  mode: 'on' | 'off',
  api: string,
  otlp: string,
  dataDir: string,
  brokerAddress: string,
  variant: object = {},
  env: Record<string, string> = {},
): Promise<Service> {
  const { line } = await spawnReporting(
    ['--import', 'tsx', DEMO_SERVICE, mode, api, otlp, dataDir, brokerAddress],
    ['url'],
    { BENCH_VARIANT: JSON.stringify(variant), ...env },
  );
  return { url: line['url'] as string, pid: line['pid'] as number };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** parseArgs options of the off/on phases (seconds measured and of warm-up, rounds, connections). */
export const PHASE_OPTIONS = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '3' },
  rounds: { type: 'string', default: '2' },
  connections: { type: 'string', default: '16' },
} as const;

export interface Phase {
  rps: number;
  p99: number;
  errors: number;
  /** Service CPU per request, microseconds. */
  cpuUs: number;
  /** One-minute load average when the phase ended. */
  load: number;
}

/**
 * Closed-loop load on `url` for `seconds`; CPU is counted over `pid` (or every process of a fleet
 * that serves the request together).
 */
export async function load(
  url: string,
  pid: number | readonly number[],
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Phase> {
  const pids = typeof pid === 'number' ? [pid] : pid;
  const used = () => pids.reduce((sum, each) => sum + cpuSeconds(each), 0);
  const before = used();
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, headers });
  const cpu = used() - before;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuUs: (cpu / Math.max(1, result.requests.total)) * 1e6,
    load: loadavg()[0] ?? 0,
  };
}

export interface AgentCounts {
  spans: { exported: number; dropped: number; queued: number };
  logs: { exported: number; dropped: number; queued: number };
  controlPlane: { state: string; heartbeats: number };
}

export async function agentCounts(url: string): Promise<AgentCounts> {
  return (await (await fetch(`${url}/__agent`)).json()) as AgentCounts;
}

/**
 * OTLP/HTTP receiver that takes every batch: reads the body and answers 200 with an empty
 * (protobuf) export response, as the specification allows for full success.
 */
export async function startSink(): Promise<{ server: Server; url: string; batches: () => number }> {
  let batches = 0;
  const server = createServer((request, response) => {
    request.on('data', () => {});
    request.on('end', () => {
      batches += 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, batches: () => batches };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function stopAll(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}
