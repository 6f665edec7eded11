// Benchmark of the active health checker: N instances (default 10,000) registered through the
// real API of a real server process, all answered by one loopback HTTP target process, checked
// every 10 s. After every instance is passing and one more interval has gone by, it measures a
// bounded window (default 60 s) and prints checks/s, p99 lateness against the schedule, the
// server's CPU as % of one core and its RSS (read from /proc/<pid>), each beside its goal.
//
// The server runs compiled (tsc into bench/results/, which git ignores), as the container image
// runs it: under tsx a second V8 isolate compiles TypeScript and would be counted in its RSS.
// `--source` runs it through tsx instead.
//
//   npm run bench:health-checker [-- --instances 10000 --interval 10s --measure 60 --store postgres://…]
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const GOALS = { latenessSeconds: 1, cpuPercent: 25, rssMb: 300 };

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '10000' },
    interval: { type: 'string', default: '10s' },
    measure: { type: 'string', default: '60' },
    store: { type: 'string' },
    'register-concurrency': { type: 'string', default: '32' },
    source: { type: 'boolean', default: false },
  },
});
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const INSTANCES = Number(args.instances);
const INTERVAL = args.interval as string;
const INTERVAL_MS =
  Number.parseFloat(INTERVAL) * (INTERVAL.endsWith('ms') ? 1 : INTERVAL.endsWith('m') ? 60_000 : 1000);
const MEASURE_S = Number(args.measure);
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

interface Scrape {
  checks: number;
  failed: number;
  lateness: Map<number, number>;
  skipped: number;
}

async function scrape(apiUrl: string): Promise<Scrape> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const out: Scrape = { checks: 0, failed: 0, lateness: new Map(), skipped: 0 };
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('signalbox_checks_total{')) out.checks += value;
    else if (line.startsWith('signalbox_checks_failed_total{')) out.failed += value;
    else if (line.startsWith('signalbox_check_slots_skipped_total')) out.skipped = value;
    else if (line.startsWith('signalbox_check_lateness_seconds_bucket{')) {
      const le = /le="([^"]+)"/.exec(line)?.[1] as string;
      out.lateness.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), value);
    }
  }
  return out;
}

/** Quantile from the difference of two cumulative histograms, interpolated within its bucket. */
function histogramQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
    if (count >= rank) {
      if (!Number.isFinite(bound)) return lower;
      return lower + ((bound - lower) * (rank - lowerCount)) / Math.max(1, count - lowerCount);
    }
    lower = bound;
    lowerCount = count;
  }
  return lower;
}

/** Compiles the server into bench/results/server-build and returns its entry point. */
function buildServer(): string {
  const out = join(ROOT, 'bench/results/server-build');
  mkdirSync(out, { recursive: true });
  // dist/version.js reads ../package.json.
  copyFileSync(join(ROOT, 'server/package.json'), join(out, 'package.json'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', join(ROOT, 'server/tsconfig.build.json'), '--outDir', join(out, 'dist')].concat([
      '--sourceMap',
      'false',
      '--declaration',
      'false',
      '--incremental',
      'false',
    ]),
    { encoding: 'utf8' },
  );
  const entry = join(out, 'dist/main.js');
  if (!existsSync(entry)) throw new Error(`compiling the server failed:\n${result.stdout}${result.stderr}`);
  const note = result.status === 0 ? '' : ' (tsc reported type errors; it emitted anyway)';
  log(`  compiled the server in ${((performance.now() - started) / 1000).toFixed(0)} s${note}`);
  return entry;
}

interface ServerProcess {
  child: ChildProcess;
  apiUrl: string;
  stop(): Promise<void>;
}

/** Starts the server and waits for the log line with its addresses. */
async function startServer(entry: string, store: string): Promise<ServerProcess> {
  const args = [entry, '--api-port', '0', '--otlp-port', '0', '--store', store, '--log-level', 'info'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const apiUrl = await new Promise<string>((resolvePort, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (output.length < 200) output.push(line);
        const api = /"api":"([^"]+)"/.exec(line)?.[1];
        if (api) {
          clearTimeout(timer);
          resolvePort(api);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output.join('\n')}`)));
  });
  return {
    child,
    apiUrl,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startTarget(): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./target.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function registerAll(apiUrl: string, targetPort: string): Promise<number> {
  const pool = new Pool(apiUrl, { connections: Number(args['register-concurrency']) });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < INSTANCES) {
      const n = next++;
      const response = await pool.request({
        path: '/api/v1/instances',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          service: `bench-${n % 50}`,
          id: `bench-${n}`,
          address: `127.0.0.1:${targetPort}`,
          version: `1.${n % 3}.0`,
          labels: { shard: String(n % 7) },
          checks: [{ type: 'http', path: `/health/${n}`, interval: INTERVAL }],
        }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`registration ${n} answered ${response.statusCode}: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: Number(args['register-concurrency']) }, worker));
  await pool.close();
  return (performance.now() - started) / 1000;
}

async function passingCount(apiUrl: string): Promise<number> {
  const body = (await (await fetch(`${apiUrl}/api/v1/services`)).json()) as {
    services: Array<{ counts: { passing: number } }>;
  };
  return body.services.reduce((sum, s) => sum + s.counts.passing, 0);
}

/** The main thread's V8 heap and external memory (from /metrics) beside the process's RSS split. */
async function memoryBreakdown(apiUrl: string, pid: number): Promise<string> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const metric = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
  return [
    `main-thread V8 heap ${metric('nodejs_heap_size_used_bytes').toFixed(0)} MB used of ${metric('nodejs_heap_size_total_bytes').toFixed(0)} MB`,
    `external ${metric('nodejs_external_memory_bytes').toFixed(0)} MB`,
    `RSS anonymous ${kb('Anonymous').toFixed(0)} MB, file-backed ${(kb('Rss') - kb('Anonymous')).toFixed(0)} MB`,
  ].join('; ');
}

function verdict(value: number, goal: number): string {
  return `${(value / goal).toFixed(2)}× goal  ${value < goal ? 'PASS' : 'MISS'}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-'));
  const store = args.store ?? `sqlite:${join(dir, 'bench.db')}`;
  log(
    `health-checker benchmark: ${INSTANCES} instances, interval ${INTERVAL}, measuring ${MEASURE_S} s, store ${store.split(':')[0]}, server ${args.source ? 'from source (tsx)' : 'compiled'}`,
  );
  const entry = args.source ? join(ROOT, 'server/bin/signalbox-server.mjs') : buildServer();
  const target = await startTarget();
  const targetPort = new URL(target.url).port;
  const server = await startServer(entry, store);
  const pid = server.child.pid as number;
  try {
    await sleep(5000);
    const idleRss = rssMb(pid);
    log(`  server pid ${pid} up; RSS before registering: ${idleRss.toFixed(0)} MB`);
    const registerSeconds = await registerAll(server.apiUrl, targetPort);
    log(
      `  registered ${INSTANCES} through the API in ${registerSeconds.toFixed(1)} s (${(INSTANCES / registerSeconds).toFixed(0)}/s)`,
    );

    const deadline = Date.now() + INTERVAL_MS * 3 + 60_000;
    let passing = 0;
    while (Date.now() < deadline) {
      passing = await passingCount(server.apiUrl);
      if (passing === INSTANCES) break;
      await sleep(1000);
    }
    if (passing !== INSTANCES) throw new Error(`only ${passing} of ${INSTANCES} instances became passing`);
    log(`  all ${INSTANCES} passing; settling for one interval`);
    await sleep(INTERVAL_MS);

    await fetch(`${target.url}/__stats?reset=1`);
    const before = await scrape(server.apiUrl);
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    let rssMax = 0;
    while (performance.now() - started < MEASURE_S * 1000) {
      rssMax = Math.max(rssMax, rssMb(pid));
      await sleep(1000);
    }
    const elapsed = (performance.now() - started) / 1000;
    const cpuPercent = ((cpuSeconds(pid) - cpuBefore) / elapsed) * 100;
    const after = await scrape(server.apiUrl);
    rssMax = Math.max(rssMax, rssMb(pid));
    const seen = (await (await fetch(`${target.url}/__stats`)).json()) as {
      requests: number;
      seconds: number;
      instances_seen: number;
      gap_ms: { p50: number; p99: number; max: number };
    };

    const checksPerSecond = (after.checks - before.checks) / elapsed;
    const expected = INSTANCES / (INTERVAL_MS / 1000);
    const p50 = histogramQuantile(before.lateness, after.lateness, 0.5);
    const p99 = histogramQuantile(before.lateness, after.lateness, 0.99);
    log('');
    log(
      `  checks/s achieved     ${checksPerSecond.toFixed(1)} (schedule asks ${expected.toFixed(1)}: ${(checksPerSecond / expected).toFixed(3)}×), failed ${after.failed - before.failed}, slots skipped ${after.skipped - before.skipped}`,
    );
    log(
      `  target saw            ${(seen.requests / seen.seconds).toFixed(1)} probes/s from ${seen.instances_seen} instances; gap between probes of one instance p50 ${(seen.gap_ms.p50 / 1000).toFixed(2)} s, p99 ${(seen.gap_ms.p99 / 1000).toFixed(2)} s, max ${(seen.gap_ms.max / 1000).toFixed(2)} s`,
    );
    log(
      `  lateness vs schedule  p50 ${(p50 * 1000).toFixed(1)} ms, p99 ${(p99 * 1000).toFixed(1)} ms   ${verdict(p99, GOALS.latenessSeconds)} (< ${GOALS.latenessSeconds} s)`,
    );
    log(
      `  server CPU            ${cpuPercent.toFixed(1)} % of one core   ${verdict(cpuPercent, GOALS.cpuPercent)} (< ${GOALS.cpuPercent} %)`,
    );
    log(
      `  server RSS            ${rssMax.toFixed(0)} MB max   ${verdict(rssMax, GOALS.rssMb)} (< ${GOALS.rssMb} MB); idle before registering ${idleRss.toFixed(0)} MB, so +${(rssMax - idleRss).toFixed(0)} MB for ${INSTANCES} instances`,
    );
    log(`  where the RSS goes    ${await memoryBreakdown(server.apiUrl, pid)}`);
    log(`  host load average     ${loadavg()[0]?.toFixed(2)} over 1 min (other processes share these cores)`);
  } finally {
    await server.stop().catch(() => server.child.kill('SIGKILL'));
    target.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
