// Benchmark of the agent's cost to its host: requests/s of Fastify endpoints with the agent on
// and off, in the same run, under the same load (autocannon, loopback only, bounded). The goal
// is judged on a demo endpoint: the fleet's own orders service (demo-service.ts: GET /orders/:id,
// three spans a request: the request and its two queries); two handlers of service.ts follow
// for comparison, a demo-shaped one and the smallest one (the worst case). Phases
// alternate for several rounds (off/on, then on/off, so neither always runs second) after a
// warm-up each, and the medians are compared. Beside requests/s it reports the service's CPU
// time per request (from /proc, all threads), which other work on a shared machine disturbs far
// less than throughput, and the load average at the end of each phase.
// The control plane is real (a child process on an embedded store): the agent registers, sends
// heartbeats and holds its configuration channel. It runs at the lowest CPU priority, since in
// production it runs elsewhere and on this 2-core machine it would otherwise compete with the
// host it measures. Traces and logs go by default to an OTLP/HTTP receiver in this process that
// accepts every batch (as a collector whose pipeline keeps up): the deprioritized control plane
// cannot ingest 10,000 records/s here, and the agent's bounded queues then drop most of them
// unserialized, which flatters the agent. `--receiver control-plane` sends them to the control
// plane instead; each phase reports what the agent exported and dropped either way.
//
//   npm run bench:agent-overhead [-- --duration 10 --warmup 3 --rounds 2 --connections 16 --receiver sink|control-plane]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  agentCounts,
  load,
  log,
  median,
  PHASE_OPTIONS,
  type Phase,
  type Service,
  startControlPlane,
  startDemoBroker,
  startDemoService,
  startService,
  startSink,
  stopAll,
} from './harness.js';

const GOAL_RATIO = 0.85;

interface Endpoint {
  label: string;
  path: string;
  /** Which pair of processes serves it: the bench's own service.ts, or the demo fleet's orders service. */
  service: 'bench' | 'demo';
}
const ENDPOINTS: Endpoint[] = [
  {
    label: "demo endpoint: the fleet's orders service, GET /orders/:id (its routes, schemas, SQLite, event bus)",
    path: '/orders/ord-bench-1042',
    service: 'demo',
  },
  { label: 'demo-shaped handler (SQLite read, totals, one log line)', path: '/orders/1042/summary', service: 'bench' },
  { label: 'smallest handler (one log line, a JSON reply: the worst case)', path: '/orders/1042', service: 'bench' },
];
const { values: args } = parseArgs({
  options: {
    ...PHASE_OPTIONS,
    receiver: { type: 'string', default: 'sink' },
  },
});
if (args.receiver !== 'sink' && args.receiver !== 'control-plane') {
  throw new Error(`--receiver must be sink or control-plane, got ${args.receiver}`);
}
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-agent-'));
  let sink: Awaited<ReturnType<typeof startSink>> | undefined;
  // The demo service's event bus needs its broker (idle here: GET /orders/:id publishes nothing).
  const broker = await startDemoBroker();
  try {
    const controlPlane = await startControlPlane(dir);
    const api = controlPlane.api;
    let otlp = controlPlane.otlp;
    log(`control plane: API ${api}, OTLP ${otlp} (nice 19)`);
    if (args.receiver === 'sink') {
      sink = await startSink();
      otlp = sink.url;
      log(`traces and logs: OTLP receiver in the bench process at ${otlp}`);
    } else {
      log('traces and logs: the control plane');
    }

    const services: Record<Endpoint['service'], Record<'off' | 'on', Service>> = {
      demo: {
        off: await startDemoService('off', api, otlp, dir, broker.address),
        on: await startDemoService('on', api, otlp, dir, broker.address),
      },
      bench: { off: await startService('off', api, otlp), on: await startService('on', api, otlp) },
    };
    log(
      `load: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s measured per phase, ${ROUNDS} rounds of off/on per endpoint`,
    );

    let demoPass = false;
    for (const { label, path, service } of ENDPOINTS) {
      log('');
      log(`${label}: GET ${path}`);
      const results: Record<'off' | 'on', Phase[]> = { off: [], on: [] };
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const);
        for (const mode of order) {
          const { url, pid } = services[service][mode];
          await load(`${url}${path}`, pid, WARMUP_S, CONNECTIONS);
          const before = mode === 'on' ? await agentCounts(url) : undefined;
          const result = await load(`${url}${path}`, pid, DURATION_S, CONNECTIONS);
          results[mode].push(result);
          let exported = '';
          if (before) {
            const after = await agentCounts(url);
            exported = `; agent exported ${after.spans.exported - before.spans.exported} spans (dropped ${after.spans.dropped - before.spans.dropped}), ${after.logs.exported - before.logs.exported} log records (dropped ${after.logs.dropped - before.logs.dropped})`;
          }
          log(
            `  round ${round} agent ${mode.padEnd(3)}: ${result.rps.toFixed(0).padStart(6)} req/s, p99 ${result.p99} ms, ${result.cpuUs.toFixed(1)} µs CPU/request, errors ${result.errors}, load ${result.load.toFixed(2)}${exported}`,
          );
        }
      }
      const off = median(results.off.map((r) => r.rps));
      const on = median(results.on.map((r) => r.rps));
      const cpuOff = median(results.off.map((r) => r.cpuUs));
      const cpuOn = median(results.on.map((r) => r.cpuUs));
      const ratio = on / off;
      if (service === 'demo') demoPass = ratio >= GOAL_RATIO;
      const loads = [...results.off, ...results.on].map((r) => r.load);
      log(
        `  load average during the phases: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} (2 cores)`,
      );
      log(`  agent off: ${off.toFixed(0)} req/s, ${cpuOff.toFixed(1)} µs CPU/request (medians)`);
      log(`  agent on:  ${on.toFixed(0)} req/s, ${cpuOn.toFixed(1)} µs CPU/request (medians)`);
      log(
        `  ratio on/off: ${(ratio * 100).toFixed(1)} % of requests/s (goal ≥ ${GOAL_RATIO * 100} %) ${ratio >= GOAL_RATIO ? 'PASS' : 'MISS'}; by CPU per request ${((cpuOff / cpuOn) * 100).toFixed(1)} %; the agent adds ${(cpuOn - cpuOff).toFixed(1)} µs CPU per request`,
      );
    }

    const stats = await agentCounts(services.demo.on.url);
    log('');
    log(
      `agent: exported ${stats.spans.exported} spans (dropped ${stats.spans.dropped}) and ${stats.logs.exported} log records (dropped ${stats.logs.dropped}); registration ${stats.controlPlane.state}, ${stats.controlPlane.heartbeats} heartbeats${sink ? `; the receiver took ${sink.batches()} batches` : ''}`,
    );
    log(`goal (the demo endpoint with the agent ≥ ${GOAL_RATIO * 100} % of without): ${demoPass ? 'met' : 'NOT met'}`);
  } finally {
    await stopAll();
    sink?.server.close();
    sink?.server.closeAllConnections();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
