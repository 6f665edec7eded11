// What each part of the agent costs its host, in CPU µs per request: the same service (the demo
// fleet's orders service, demo-service.ts, with `--service demo`; else service.ts) in several variants, each a process of its own, loaded in turn with the same load; the order
// rotates every round so that none always runs first, and each figure is a median over rounds.
// CPU per request comes from /proc (all threads); requests/s is printed beside it, and the load
// average with every round, because the machine is shared and throughput moves with it.
//
//   npm run bench:agent-overhead:levers [-- --service bench|demo --path /orders/1042/summary --duration 5 --warmup 2 --first-warmup 8 --rounds 3]
//   (with --service demo the path defaults to the demo order, /orders/ord-bench-1042)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  agentCounts,
  load,
  log,
  median,
  type Phase,
  type Service,
  startControlPlane,
  startDemoBroker,
  startDemoService,
  startService,
  startSink,
  stopAll,
} from './harness.js';

const { values: args } = parseArgs({
  options: {
    service: { type: 'string', default: 'bench' },
    path: { type: 'string' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    'first-warmup': { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
  },
});

const noSpans = { instrumentations: { fastify: false, http: false } };
const queue = (maxBatchSize: number, exportIntervalMs: number, maxQueueSize: number) => ({
  maxBatchSize,
  exportIntervalMs,
  maxQueueSize,
});

interface Lever {
  name: string;
  mode: 'on' | 'off';
  variant?: object;
  env?: Record<string, string>;
}

const LEVERS: Lever[] = [
  { name: 'agent off', mode: 'off' },
  // The price of OpenTelemetry context on Node 20 (AsyncLocalStorage, i.e. async hooks on every
  // async resource), which any in-process tracing pays.
  { name: 'context only (no agent)', mode: 'off', variant: { contextOnly: true } },
  // SDK started, registration and heartbeats, trace ids on log lines; no spans, no log records.
  { name: 'agent, no spans/log records', mode: 'on', variant: { telemetry: noSpans, logExport: false } },
  { name: 'agent, log records only', mode: 'on', variant: { telemetry: noSpans } },
  { name: 'agent (default)', mode: 'on' },
  {
    name: 'head sampling 10 %',
    mode: 'on',
    env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  },
  // Every request still passes through the SDK (context, sampler, non-recording spans).
  { name: 'head sampling 0 %', mode: 'on', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  // Spans made and ended as usual, then (all but about one in forty) dropped by a queue of size 1: the cost of making them.
  {
    name: 'spans made, not exported',
    mode: 'on',
    variant: { telemetry: { traces: queue(1, 60_000, 1) } },
  },
  {
    name: 'batches of 64 / 200 ms',
    mode: 'on',
    variant: { telemetry: { traces: queue(64, 200, 2048), logs: queue(64, 200, 2048) } },
  },
  {
    name: 'batches of 2048 / 5 s',
    mode: 'on',
    variant: { telemetry: { traces: queue(2048, 5_000, 8192), logs: queue(2048, 5_000, 8192) } },
  },
  // The generic http instrumentation's SERVER span in place of the agent's Fastify hooks.
  { name: 'http SERVER span instead', mode: 'on', variant: { telemetry: { instrumentations: { fastify: false } } } },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-levers-'));
  const sink = await startSink();
  if (args.service !== 'bench' && args.service !== 'demo')
    throw new Error(`--service must be bench or demo, got ${args.service}`);
  const path = args.path ?? (args.service === 'demo' ? '/orders/ord-bench-1042' : '/orders/1042/summary');
  // The demo service's event bus needs its broker.
  const broker = args.service === 'demo' ? await startDemoBroker() : undefined;
  try {
    const { api } = await startControlPlane(dir);
    const services: (Lever & Service & { phases: Phase[] })[] = [];
    for (const lever of LEVERS) {
      const service = broker
        ? await startDemoService(
            lever.mode,
            api,
            sink.url,
            join(dir, lever.name.replace(/\W+/g, '-')),
            broker.address,
            lever.variant,
            lever.env,
          )
        : await startService(lever.mode, api, sink.url, lever.variant, lever.env);
      services.push({ ...lever, ...service, phases: [] });
    }
    const rounds = Number(args.rounds);
    const connections = Number(args.connections);
    log(
      `GET ${path}: ${connections} connections, ${args.warmup} s warm-up + ${args.duration} s measured per variant, ${rounds} rounds, order rotating`,
    );
    // A fresh process runs cold code for seconds (the JIT); every variant gets that behind it first.
    for (const service of services) {
      await load(`${service.url}${path}`, service.pid, Number(args['first-warmup']), connections);
    }
    for (let round = 0; round < rounds; round++) {
      const loads: string[] = [];
      for (let i = 0; i < services.length; i++) {
        const service = services[(i + round) % services.length] as (typeof services)[number];
        const url = `${service.url}${path}`;
        await load(url, service.pid, Number(args.warmup), connections);
        const phase = await load(url, service.pid, Number(args.duration), connections);
        if (phase.errors > 0) throw new Error(`${service.name}: ${phase.errors} failed requests`);
        service.phases.push(phase);
        loads.push(phase.load.toFixed(1));
      }
      log(`  round ${round + 1} done, load average after each variant: ${loads.join(' ')}`);
    }
    const cpu = (service: (typeof services)[number]) => median(service.phases.map((p) => p.cpuUs));
    const off = cpu(services[0] as (typeof services)[number]);
    const full = cpu(services[4] as (typeof services)[number]);
    log('');
    log(
      `${'variant'.padEnd(30)} ${'µs CPU/req'.padStart(10)} ${'vs off'.padStart(8)} ${'vs default'.padStart(10)}  req/s`,
    );
    for (const service of services) {
      const us = cpu(service);
      let counts = '';
      if (service.mode === 'on') {
        const { spans, logs } = await agentCounts(service.url);
        counts = `  (exported ${spans.exported} spans, ${logs.exported} log records; dropped ${spans.dropped + logs.dropped})`;
      }
      log(
        `${service.name.padEnd(30)} ${us.toFixed(1).padStart(10)} ${(us - off).toFixed(1).padStart(8)} ${(us - full).toFixed(1).padStart(10)}  ${median(service.phases.map((p) => p.rps)).toFixed(0)}${counts}`,
      );
    }
    log(
      `rounds per variant (µs CPU/request): ${services.map((s) => `${s.name}: ${s.phases.map((p) => p.cpuUs.toFixed(0)).join('/')}`).join('; ')}`,
    );
  } finally {
    await stopAll();
    sink.server.close();
    sink.server.closeAllConnections();
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
