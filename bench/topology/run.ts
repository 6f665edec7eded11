// Topology query benchmark: fills one day of RED minute buckets for a 30-service fleet (the
// roll-ups of a few million spans), then times the service graph for a 1 h window — the issue's
// goal is < 100 ms with 1,000,000 spans ingested — plus a 24 h window and a service's RED series,
// through the service object and over HTTP. It also times the ingest-side listener (roll-up,
// pairing, Tempo metrics) on 1,000,000 synthetic spans, since that work sits on the ingest path.
//
//   npm run bench:topology [-- --store sqlite|postgres|all|none --runs 200]   (none: the listener only)
//
// Prints p50/p95/p99 and ratios (p99 against the goal, 24 h against 1 h: the cost follows the
// number of minute buckets in the window, not the number of spans).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from '../../server/src/app.js';
import { defaultSettings } from '../../server/src/settings.js';
import { openStore, type Store } from '../../server/src/store/store.js';
import { SpanKind, type SpanKindNumber, type SpanRecord, StatusCode } from '../../server/src/telemetry/model.js';
import { coverWindow, RedBucketStore } from '../../server/src/topology/bucket-store.js';
import { LatencyHistogram } from '../../server/src/topology/histogram.js';
import { SpanPairer } from '../../server/src/topology/pairing.js';
import type { NodeType } from '../../server/src/topology/peers.js';
import type { EdgeBucket, OperationBucket, RollupBatch, ServiceBucket } from '../../server/src/topology/rollup.js';
import { RollupBuffer } from '../../server/src/topology/rollup.js';
import { TopologySpanListener } from '../../server/src/topology/span-ingest.js';
import { TempoMetrics } from '../../server/src/topology/tempo-metrics.js';
import { DEFAULT_TOPOLOGY_QUERY_OPTIONS, TopologyService } from '../../server/src/topology/topology-service.js';

const MINUTE = 60_000;
const SERVICES = 30;
const OPERATIONS_PER_SERVICE = 8;
const GOAL_MS = 100;

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'all' },
    runs: { type: 'string', default: '200' },
    postgres: {
      type: 'string',
      default: process.env.SIGNALBOX_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const RUNS = Number(args.runs);

/** Deterministic pseudo-random numbers, so every run fills the same data. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const random = rng(42);

/** A minute's latency histogram: `n` requests log-normally around `medianMs`. */
function histogramOf(n: number, medianMs: number): LatencyHistogram {
  const h = new LatencyHistogram();
  // 24 weighted samples shape the distribution without recording every request one by one.
  const samples = 24;
  let left = n;
  for (let i = 0; i < samples && left > 0; i++) {
    const times = i === samples - 1 ? left : Math.max(1, Math.round(n / samples));
    const gauss = Math.sqrt(-2 * Math.log(Math.max(random(), 1e-9))) * Math.cos(2 * Math.PI * random());
    h.record(medianMs * 1000 * Math.exp(gauss * 0.7), Math.min(times, left));
    left -= Math.min(times, left);
  }
  return h;
}

interface Fleet {
  services: string[];
  edges: { source: string; target: string; targetType: NodeType; kind: 'sync' | 'async' }[];
}

function fleet(): Fleet {
  const services = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
  const edges: Fleet['edges'] = [];
  services.forEach((source, i) => {
    // Each service calls the next two (a layered fleet), has a database, and every third publishes.
    for (const j of [i + 1, i + 2]) {
      if (j < SERVICES) edges.push({ source, target: services[j]!, targetType: 'service', kind: 'sync' });
    }
    edges.push({ source, target: `postgresql/${source}`, targetType: 'database', kind: 'sync' });
    if (i % 3 === 0) edges.push({ source, target: 'nats/events', targetType: 'messaging', kind: 'async' });
  });
  return { services, edges };
}

/** One day of minute buckets, written in batches of an hour. Returns the spans they stand for. */
async function fill(store: Store, dayStart: number, shape: Fleet): Promise<{ spans: number; rows: number }> {
  const writer = new RedBucketStore(store);
  let spans = 0;
  let rows = 0;
  for (let hour = 0; hour < 24; hour++) {
    const batch: RollupBatch = { edges: [], services: [], operations: [] };
    for (let m = 0; m < 60; m++) {
      const minute = dayStart + (hour * 60 + m) * MINUTE;
      for (const service of shape.services) {
        const requests = 20 + Math.floor(random() * 20);
        const histogram = histogramOf(requests, 20);
        batch.services.push({
          minute,
          service,
          requests,
          errors: Math.floor(requests / 50),
          histogram,
        } as ServiceBucket);
        for (let o = 0; o < OPERATIONS_PER_SERVICE; o++) {
          const n = Math.max(1, Math.floor(requests / OPERATIONS_PER_SERVICE));
          spans += n;
          batch.operations.push({
            minute,
            service,
            operation: `GET /api/resource-${o}`,
            spanKind: (o < 5 ? SpanKind.SERVER : SpanKind.CLIENT) as SpanKindNumber,
            requests: n,
            errors: 0,
            histogram: histogramOf(n, 5 + o * 3),
          } as OperationBucket);
        }
      }
      for (const e of shape.edges) {
        const requests = 10 + Math.floor(random() * 10);
        spans += 2 * requests;
        batch.edges.push({
          minute,
          source: e.source,
          sourceType: 'service',
          target: e.target,
          targetType: e.targetType,
          kind: e.kind,
          requests,
          errors: Math.floor(requests / 40),
          histogram: histogramOf(requests, e.targetType === 'database' ? 3 : 25),
        } as EdgeBucket);
      }
    }
    rows += batch.edges.length + batch.services.length + batch.operations.length;
    await writer.write(batch);
  }
  return { spans, rows };
}

/** Bucket rows one series contributes to a window. */
function rowsRead(from: number, to: number): number {
  return coverWindow(from, to).reduce((n, r) => n + (r.toMs - r.fromMs) / r.widthMs, 0);
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function time(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(10, runs); i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return percentiles(samples);
}

const fmt = (p: { p50: number; p95: number; p99: number }) =>
  `p50 ${p.p50.toFixed(2)} ms  p95 ${p.p95.toFixed(2)} ms  p99 ${p.p99.toFixed(2)} ms`;

async function benchStore(kind: 'sqlite' | 'postgres'): Promise<void> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-'));
    url = `sqlite:${join(dir, 'bench.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `sbbench_${Date.now().toString(36)}`;
    url = `${args.postgres}${args.postgres.includes('?') ? '&' : '?'}schema=${schema}`;
    cleanup = async () => {
      const client = new pg.Client({ connectionString: args.postgres });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    };
  }
  const store = await openStore(url);
  try {
    await store.migrate();
    const now = Date.now();
    const dayStart = Math.floor(now / MINUTE) * MINUTE - 24 * 60 * MINUTE;
    const shape = fleet();
    const fillStart = performance.now();
    const { spans, rows } = await fill(store, dayStart, shape);
    if (kind === 'postgres') {
      for (const t of ['topology_edge_buckets', 'topology_service_buckets', 'topology_operation_minutes']) {
        await sql`analyze ${sql.table(t)}`.execute(store.db);
      }
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    console.log(
      `[${kind}] filled 24 h for ${SERVICES} services, ${shape.edges.length} edges: ${rows.toLocaleString()} minute buckets standing for ${(spans / 1e6).toFixed(1)} M spans in ${fillSeconds.toFixed(1)} s (${Math.round(rows / fillSeconds).toLocaleString()} minute buckets/s, each written at 3 widths)`,
    );

    const service = new TopologyService(new RedBucketStore(store), DEFAULT_TOPOLOGY_QUERY_OPTIONS);
    const end = dayStart + 24 * 60 * MINUTE;
    const hour = await time(RUNS, () => service.topology({ from: end - 60 * MINUTE, to: end }));
    const check = await service.topology({ from: end - 60 * MINUTE, to: end });
    const day = await time(Math.max(10, Math.floor(RUNS / 10)), () => service.topology({ from: dayStart, to: end }));
    const red = await time(RUNS, () => service.serviceRed('svc-05', { from: end - 60 * MINUTE, to: end }));
    console.log(`[${kind}] topology 1 h  (${check.nodes.length} nodes, ${check.edges.length} edges): ${fmt(hour)}`);
    console.log(`[${kind}] topology 24 h: ${fmt(day)}`);
    console.log(`[${kind}] service RED 1 h (60 steps, ${OPERATIONS_PER_SERVICE} operations): ${fmt(red)}`);

    // End to end over HTTP: route, validation, serialization.
    const app = await buildApp(defaultSettings({ store: url, apiPort: 0, otlpPort: 0 }), {
      logger: pino({ level: 'warn' }),
    });
    const { apiUrl } = await app.start();
    try {
      const http = await time(RUNS, async () => {
        const res = await fetch(`${apiUrl}/api/v1/topology?from=${end - 60 * MINUTE}&to=${end}`);
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        await res.arrayBuffer();
      });
      console.log(`[${kind}] GET /api/v1/topology 1 h over HTTP: ${fmt(http)}`);
      console.log(
        `[${kind}] ratios: 1 h p99 / goal ${GOAL_MS} ms = ${(hour.p99 / GOAL_MS).toFixed(3)}; HTTP p99 / goal = ${(http.p99 / GOAL_MS).toFixed(3)}; 24 h p50 / 1 h p50 = ${(day.p50 / hour.p50).toFixed(1)} (rows per series read: 1 h ${rowsRead(end - 60 * MINUTE, end)}, 24 h ${rowsRead(dayStart, end)}; spans behind them do not count)`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    await cleanup();
  }
}

/** Spans of `traces` traces, each a SERVER root, an INTERNAL child and one call downstream. */
function traceBatch(firstId: number, traces: number, services: string[]): SpanRecord[] {
  const start = Date.now() - 10 * MINUTE;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const spans: SpanRecord[] = [];
  for (let id = firstId; id < firstId + traces; id++) {
    const i = id % SERVICES;
    const service = services[i]!;
    const next = services[(i + 1) % SERVICES]!;
    const base = {
      traceId: hex(id, 32),
      statusCode: id % 50 === 0 ? StatusCode.ERROR : StatusCode.UNSET,
      statusMessage: '',
      events: [],
      links: [],
      resource: {},
      scopeName: 'bench',
      scopeVersion: '1',
      startNs: BigInt(start + (id % 600_000)) * 1_000_000n,
    };
    const root = hex(id * 4, 16);
    const client = hex(id * 4 + 1, 16);
    spans.push(
      {
        ...base,
        spanId: root,
        parentSpanId: null,
        service,
        name: `GET /api/resource-${id % 8}`,
        kind: SpanKind.SERVER,
        durationNs: 20_000_000n,
        attributes: {},
      },
      {
        ...base,
        spanId: hex(id * 4 + 2, 16),
        parentSpanId: root,
        service,
        name: 'load',
        kind: SpanKind.INTERNAL,
        durationNs: 2_000_000n,
        attributes: {},
      },
      {
        ...base,
        spanId: client,
        parentSpanId: root,
        service,
        name: 'GET next',
        kind: SpanKind.CLIENT,
        durationNs: 9_000_000n,
        attributes: { 'server.address': next },
      },
      {
        ...base,
        spanId: hex(id * 4 + 3, 16),
        parentSpanId: client,
        service: next,
        name: 'GET next',
        kind: SpanKind.SERVER,
        durationNs: 8_000_000n,
        attributes: {},
      },
    );
  }
  return spans;
}

/**
 * The listener's CPU cost per span on the ingest path: 1,000,000 spans in batches of 512, made
 * on the fly as the receiver would hand them over; the same run without the listener is the
 * baseline subtracted. CPU time, not wall time: on a shared machine the wall clock also counts
 * waiting for a core.
 */
function benchListener(): void {
  const total = 1_000_000;
  const services = fleet().services;
  const rollup = new RollupBuffer(50_000);
  let edges = 0;
  const pairer = new SpanPairer({
    waitMs: 10_000,
    maxPending: 100_000,
    onEdge: (e) => {
      edges++;
      rollup.addEdge(e);
    },
  });
  const listener = new TopologySpanListener(
    rollup,
    pairer,
    new TempoMetrics(new Registry(), 10_000),
    pino({ level: 'silent' }),
  );
  const pass = (withListener: boolean): number => {
    const cpu = process.cpuUsage();
    for (let id = 0, n = 0; n < total; id += 128, n += 512) {
      const batch = traceBatch(id + 1, 128, services);
      if (withListener) listener.onSpans(batch);
      if (n % (512 * 64) === 0) {
        pairer.expire();
        rollup.take(); // as the periodic flush would
      }
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1e6;
  };
  pass(false); // warm-up
  const baseline = pass(false);
  const withListener = pass(true);
  const cpuSeconds = Math.max(withListener - baseline, 1e-6);
  const rate = total / cpuSeconds;
  console.log(
    `[listener] ${total.toLocaleString()} spans (${edges.toLocaleString()} edges paired): ${cpuSeconds.toFixed(2)} s of CPU beyond making the spans (${baseline.toFixed(2)} s), ${Math.round(rate).toLocaleString()} spans per CPU-second; at the 50,000 spans/s ingest goal it takes ${((50_000 / rate) * 100).toFixed(1)} % of a core`,
  );
}

console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on 2 cores shared with other work`,
);
benchListener();
const kinds =
  args.store === 'all'
    ? (['sqlite', 'postgres'] as const)
    : args.store === 'none'
      ? []
      : [args.store as 'sqlite' | 'postgres'];
for (const kind of kinds) await benchStore(kind);
