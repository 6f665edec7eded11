// Benchmark of the Kubernetes source: a fake API server (its own process) holding 5,000 pods
// across 200 services and 50 namespaces (each service a Deployment with a ReplicaSet, a Service
// and an EndpointSlice), and a real `signalbox-server --kubernetes <kubeconfig>` process.
//
// 1. Initial sync: from module start to every cache loaded (the source's own sync_duration_ms),
//    and from process spawn to /readyz 200. Heap: V8 heap used by the server (its /metrics) right
//    after a forced full GC (gc-on-signal.mjs), beside the same server without the source.
// 2. Updates: 100 pod updates/s for 60 s (a container restart: restartCount goes up), each
//    written through the fake's control API; the benchmark polls the pod through the Signalbox
//    API until the new count shows. Lag = first poll that shows it − the moment the update was
//    sent (so it includes the fake's own work; resolution is the 20 ms poll interval).
//
// Goals (issue 8): sync < 5 s, heap < 200 MB, lag p99 < 1 s.
//
//   npm run bench:kubernetes [-- --namespaces 50 --services 4 --pods 25 --rate 100 --duration 60]
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const GOALS = { syncSeconds: 5, heapMb: 200, lagP99Ms: 1000 };

const { values: args } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '50' },
    services: { type: 'string', default: '4' },
    pods: { type: 'string', default: '25' },
    rate: { type: 'string', default: '100' },
    duration: { type: 'string', default: '60' },
    'poll-ms': { type: 'string', default: '20' },
  },
});
const NAMESPACES = Number(args.namespaces);
const SERVICES = Number(args.services);
const PODS = Number(args.pods);
const TOTAL = NAMESPACES * SERVICES * PODS;
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const POLL_MS = Number(args['poll-ms']);
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far: unlike wall time, not inflated by other load. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

/** Starts a child and resolves with the first stdout JSON line that has `key`. */
async function startChild(
  args: string[],
  key: string,
  timeoutMs: number,
): Promise<{ child: ChildProcess; first: Record<string, unknown>; lines: Array<Record<string, unknown>> }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const first = await new Promise<Record<string, unknown>>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${stderr}`)), timeoutMs);
    let buffer = '';
    let found = false;
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        try {
          const record = JSON.parse(line) as Record<string, unknown>;
          lines.push(record);
          if (!found && key in record) {
            found = true;
            clearTimeout(timer);
            resolvePromise(record);
          }
        } catch {
          // not JSON
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${stderr}`)));
  });
  return { child, first, lines };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

async function metric(pool: Pool, name: string): Promise<number> {
  const res = await pool.request({ path: '/metrics', method: 'GET' });
  const text = await res.body.text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/** Live heap: the server collects garbage on SIGUSR2 (gc-on-signal.mjs), then /metrics reports it. */
async function heapMb(pool: Pool, pid: number): Promise<number> {
  let low = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i += 1) {
    process.kill(pid, 'SIGUSR2');
    await sleep(300);
    low = Math.min(low, await metric(pool, 'nodejs_heap_size_used_bytes'));
  }
  return low / 1024 / 1024;
}

function serverArgs(store: string, extra: string[]): string[] {
  return [
    '--expose-gc',
    '--import',
    './bench/kubernetes/gc-on-signal.mjs',
    '--import',
    'tsx',
    'server/src/main.ts',
    '--api-port',
    '0',
    '--otlp-port',
    '0',
    '--store',
    store,
    '--log-level',
    'info',
    ...extra,
  ];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-kube-'));
  const kubeconfig = join(dir, 'kubeconfig.json');
  const children: ChildProcess[] = [];
  try {
    log(`Kubernetes source benchmark: ${TOTAL} pods, ${NAMESPACES * SERVICES} services, ${NAMESPACES} namespaces`);
    log(`  load average at start: ${load()} (2 cores here; wall times stretch when other work runs)`);

    // A baseline server without the source, for the heap the source adds.
    const baseline = await startChild(serverArgs(`sqlite:${join(dir, 'baseline.db')}`, []), 'api', 60_000);
    children.push(baseline.child);
    const baselinePool = new Pool(baseline.first.api as string, { connections: 4 });
    await sleep(2000);
    const baselineHeap = await heapMb(baselinePool, baseline.child.pid!);
    await baselinePool.close();
    await stop(baseline.child);
    log(`  server without the source: heap ${baselineHeap.toFixed(1)} MB`);

    const seedStarted = performance.now();
    const fake = await startChild(
      [
        '--import',
        'tsx',
        'server/test/fakes/kube-apiserver-cli.ts',
        '--scenario',
        'bench',
        '--bench-namespaces',
        String(NAMESPACES),
        '--bench-services',
        String(SERVICES),
        '--bench-pods',
        String(PODS),
        '--step-every',
        '0',
        '--log-every',
        '0',
        '--kubeconfig-out',
        kubeconfig,
      ],
      'url',
      120_000,
    );
    children.push(fake.child);
    const fakeUrl = fake.first.url as string;
    const control = new Pool(fakeUrl, { connections: 8 });
    log(`  fake API server at ${fakeUrl}, seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    // --- 1. initial sync
    const spawned = performance.now();
    const server = await startChild(
      serverArgs(`sqlite:${join(dir, 'signalbox.db')}`, ['--kubernetes', kubeconfig]),
      'api',
      60_000,
    );
    children.push(server.child);
    const serverPid = server.child.pid!;
    const api = new Pool(server.first.api as string, { connections: 32 });
    for (;;) {
      const res = await api.request({ path: '/readyz', method: 'GET' });
      await res.body.dump();
      if (res.statusCode === 200) break;
      await sleep(25);
    }
    const readyAfter = (performance.now() - spawned) / 1000;
    const startupCpu = cpuSeconds(serverPid);
    const statusRes = await api.request({ path: '/api/v1/kubernetes/status', method: 'GET' });
    const status = (await statusRes.body.json()) as {
      sync_duration_ms: number;
      resources: Array<{ resource: string; objects: number }>;
    };
    const synced = status.resources.find((r) => r.resource === 'pods')?.objects ?? 0;
    if (synced !== TOTAL) throw new Error(`the source holds ${synced} pods, expected ${TOTAL}`);
    const syncSeconds = status.sync_duration_ms / 1000;
    await sleep(1000);
    const heapAfterSync = await heapMb(api, serverPid);
    log('');
    log('Initial sync');
    log(
      `  caches loaded (module start → synced): ${syncSeconds.toFixed(2)} s   goal < ${GOALS.syncSeconds} s   (${(syncSeconds / GOALS.syncSeconds).toFixed(2)}× the goal)`,
    );
    log(
      `  process spawn → /readyz 200:           ${readyAfter.toFixed(2)} s (server CPU until then: ${startupCpu.toFixed(2)} s, start-up included)`,
    );
    log(
      `  heap used after sync:                  ${heapAfterSync.toFixed(1)} MB   goal < ${GOALS.heapMb} MB   (${(heapAfterSync / GOALS.heapMb).toFixed(2)}× the goal)`,
    );
    log(
      `  heap the source adds:                  ${(heapAfterSync - baselineHeap).toFixed(1)} MB = ${(((heapAfterSync - baselineHeap) * 1024) / TOTAL).toFixed(1)} KB per pod`,
    );

    // A full pods list through the API, as the dashboard would ask for it.
    const timedList = async () => {
      const listStarted = performance.now();
      const listRes = await api.request({ path: '/api/v1/kubernetes/pods?limit=5000', method: 'GET' });
      const list = (await listRes.body.json()) as { total: number };
      return { total: list.total, ms: performance.now() - listStarted };
    };
    const first = await timedList();
    const cached = await timedList();
    log(
      `  GET /kubernetes/pods?limit=5000 (${first.total} pods, problems first, 3.8 MB): ${first.ms.toFixed(0)} ms first, ${cached.ms.toFixed(0)} ms with cached pod views`,
    );

    // --- 2. updates at RATE/s for DURATION_S, lag measured through the API
    const pods: Array<{ ns: string; name: string; container: string; image: string }> = [];
    for (let n = 0; n < NAMESPACES; n += 1) {
      const ns = `team-${String(n).padStart(2, '0')}`;
      const podsRes = await api.request({ path: `/api/v1/kubernetes/pods?namespace=${ns}&limit=5000`, method: 'GET' });
      const body = (await podsRes.body.json()) as {
        items: Array<{ name: string; containers: Array<{ name: string; image: string }> }>;
      };
      for (const p of body.items)
        pods.push({ ns, name: p.name, container: p.containers[0]!.name, image: p.containers[0]!.image });
    }
    const restarts = new Map<string, number>();
    const lags: number[] = [];
    let missed = 0;
    let sent = 0;
    let polls = 0;
    const inFlight = new Set<Promise<void>>();
    const deadlineMs = 10_000;

    const update = async (index: number): Promise<void> => {
      const pod = pods[(index * 7919) % pods.length]!;
      const key = `${pod.ns}/${pod.name}`;
      const count = (restarts.get(key) ?? 0) + 1;
      restarts.set(key, count);
      const at = new Date().toISOString();
      const sentAt = performance.now();
      const res = await control.request({
        path: '/_fake/patch',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resource: 'pods',
          namespace: pod.ns,
          name: pod.name,
          patch: {
            status: {
              containerStatuses: [
                {
                  name: pod.container,
                  ready: true,
                  started: true,
                  restartCount: count,
                  image: pod.image,
                  imageID: `${pod.image}@sha256:bench`,
                  containerID: `containerd://bench-${count}`,
                  state: { running: { startedAt: at } },
                  lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at } },
                },
              ],
            },
          },
        }),
      });
      await res.body.dump();
      for (;;) {
        await sleep(POLL_MS);
        polls += 1;
        const r = await api.request({
          path: `/api/v1/kubernetes/namespaces/${pod.ns}/pods/${pod.name}`,
          method: 'GET',
        });
        const body = (await r.body.json()) as { pod: { restarts: number } };
        if (body.pod.restarts >= count) {
          lags.push(performance.now() - sentAt);
          return;
        }
        if (performance.now() - sentAt > deadlineMs) {
          missed += 1;
          return;
        }
      }
    };

    log('');
    log(`Updates: ${RATE} pod updates/s for ${DURATION_S} s`);
    const started = performance.now();
    const cpuBefore = cpuSeconds(serverPid);
    const total = RATE * DURATION_S;
    let reported = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
      while (sent < due) {
        const p = update(sent).catch(() => {
          missed += 1;
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        sent += 1;
      }
      if (sent >= reported + RATE * 10) {
        reported = sent;
        log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${sent} updates sent, ${lags.length} seen`);
      }
      await sleep(5);
    }
    const sendSeconds = (performance.now() - started) / 1000;
    await Promise.all(inFlight);
    const phaseSeconds = (performance.now() - started) / 1000;
    const serverCpuPercent = ((cpuSeconds(serverPid) - cpuBefore) / phaseSeconds) * 100;
    const sorted = [...lags].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    const heapAfterUpdates = await heapMb(api, serverPid);
    log(
      `  sent ${sent} updates in ${sendSeconds.toFixed(1)} s (${(sent / sendSeconds).toFixed(0)}/s); seen ${lags.length}, missed ${missed}; ${polls} polls`,
    );
    log(
      `  lag event → API: p50 ${percentile(sorted, 50).toFixed(0)} ms, p90 ${percentile(sorted, 90).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms   goal p99 < ${GOALS.lagP99Ms} ms   (${(p99 / GOALS.lagP99Ms).toFixed(2)}× the goal)`,
    );
    log(
      `  server CPU during the phase: ${serverCpuPercent.toFixed(0)}% of one core (events, API polls, registry link)`,
    );
    log(`  heap used after the updates: ${heapAfterUpdates.toFixed(1)} MB`);
    log(`  load average at the end: ${load()}`);
    const watchRestarts = (await (
      await api.request({ path: '/api/v1/kubernetes/status', method: 'GET' })
    ).body.json()) as {
      resources: Array<{ resource: string; lists: number; watch_restarts: number }>;
    };
    const podsStatus = watchRestarts.resources.find((r) => r.resource === 'pods');
    log(`  pods: ${podsStatus?.lists} list(s), ${podsStatus?.watch_restarts} watch restart(s)`);

    log('');
    const pass =
      syncSeconds < GOALS.syncSeconds && heapAfterSync < GOALS.heapMb && p99 < GOALS.lagP99Ms && missed === 0;
    log(pass ? 'All goals met.' : 'GOALS NOT MET.');
    await api.close();
    await control.close();
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
