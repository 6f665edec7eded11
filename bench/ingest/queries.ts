// Part (b): query latency with 1,000,000 spans (a 30-service fleet over the last two hours) and
// 1,000,000 log records stored. The data goes in through the telemetry module's storage path
// (IngestService.storeRecords: the same commit, catalog and listeners as the receiver, minus
// OTLP decoding) in big batches, so topology rolls it up as it would live. Then each query is
// timed over HTTP against the running server, one at a time.
import { pino } from 'pino';
import { buildApp } from '../../server/src/app.js';
import { defaultSettings } from '../../server/src/settings.js';
import type { LogRecord, SpanRecord } from '../../server/src/telemetry/model.js';
import type { TelemetryModule } from '../../server/src/telemetry/telemetry-module.js';
import { makeFleet, makeLog, makeTrace, rng, SERVICE_NAMES } from './fleet.js';
import { benchStore, percentile, type StoreKind } from './stores.js';

const HOUR_MS = 3_600_000;
const BATCH = 20_000;
/**
 * Not a goal of the issue: ours. Unlike a search, which stops at its page, a volume count reads
 * every matching record of the hour (about 500,000 here; a text filter tests each body), and the
 * chart loads beside the list rather than before it.
 */
const LOG_VOLUME_GOAL_MS = 200;
/**
 * Ours too: log patterns group the newest 5,000 matching records of the hour (the overview asks
 * for those of warn and above, the logs page for its filters), reading each one's body.
 */
const LOG_PATTERNS_GOAL_MS = 300;

export interface Latencies {
  name: string;
  goalMs: number;
  samples: number[];
  /** The slowest kind of query of a mix and its p99. */
  slowest?: { kind: string; p99: number };
}

export interface QueryResult {
  kind: StoreKind;
  spans: number;
  logs: number;
  fillSeconds: number;
  latencies: Latencies[];
  topologyAvailable: boolean;
}

/** Fills the store: spans in time order (as they arrive), with logs inside some of the spans. */
async function fill(
  telemetry: TelemetryModule,
  totalSpans: number,
  totalLogs: number,
): Promise<{ traceIds: string[]; spansWithLogs: { traceId: string; spanId: string }[] }> {
  const random = rng(11);
  const fleet = makeFleet(random);
  const startMs = Date.now() - 2 * HOUR_MS;
  const stepNs = BigInt(Math.floor((2 * HOUR_MS * 1e6) / (totalSpans / 12)));
  const traceIds: string[] = [];
  const spansWithLogs: { traceId: string; spanId: string }[] = [];
  let spans: SpanRecord[] = [];
  let logs: LogRecord[] = [];
  let stored = 0;
  let storedLogs = 0;
  let clock = BigInt(startMs) * 1_000_000n;
  const logsPerSpan = totalLogs / totalSpans;
  while (stored + spans.length < totalSpans) {
    const trace = makeTrace(fleet, random, { startNs: clock });
    clock += stepNs;
    if (random() < 0.01 && traceIds.length < 5000) traceIds.push((trace[0] as SpanRecord).traceId);
    spans.push(...trace);
    for (const span of trace) {
      // ~70 % of log records inside a span, the rest on their own.
      let n = Math.floor(logsPerSpan * 0.7 * 2 * random() + 0.5);
      while (n-- > 0 && storedLogs + logs.length < totalLogs) {
        logs.push(makeLog(fleet, random, span.startNs + BigInt(Math.floor(random() * 1e6)), span));
        if (random() < 0.01 && spansWithLogs.length < 2000)
          spansWithLogs.push({ traceId: span.traceId, spanId: span.spanId });
      }
      if (random() < logsPerSpan * 0.3 && storedLogs + logs.length < totalLogs)
        logs.push(makeLog(fleet, random, span.startNs));
    }
    if (spans.length >= BATCH) {
      await telemetry.ingest.storeRecords(spans, logs);
      stored += spans.length;
      storedLogs += logs.length;
      spans = [];
      logs = [];
    }
  }
  // Top up the log records to the total with records on their own.
  while (storedLogs + logs.length < totalLogs)
    logs.push(makeLog(fleet, random, clock - BigInt(Math.floor(random() * 2 * HOUR_MS)) * 1_000_000n));
  await telemetry.ingest.storeRecords(spans, logs);
  return { traceIds, spansWithLogs };
}

async function time(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return elapsed;
}

export async function measureQueries(
  kind: StoreKind,
  totalSpans: number,
  totalLogs: number,
  runs: number,
): Promise<QueryResult> {
  const store = benchStore(kind);
  const settings = defaultSettings({ store: store.url, apiPort: 0, otlpPort: 0, logLevel: 'warn' });
  const app = await buildApp(settings, { logger: pino({ level: 'warn' }) });
  const { apiUrl } = await app.start();
  const telemetry = app.modules.get('telemetry') as TelemetryModule;
  try {
    const filling = performance.now();
    const { traceIds, spansWithLogs } = await fill(telemetry, totalSpans, totalLogs);
    const fillSeconds = (performance.now() - filling) / 1000;
    // Let topology flush its minute buckets.
    await new Promise((r) => setTimeout(r, 8000));

    const api = `${apiUrl}/api/v1`;
    const random = rng(5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const to = Date.now();
    const from = to - HOUR_MS;
    const window = `from=${from}&to=${to}`;
    type Query = [kind: string, url: () => string];
    const searches: Query[] = [
      ['service', () => `traces?service=${pick(SERVICE_NAMES.slice(0, 10))}&${window}`],
      [
        'service+operation',
        () => `traces?service=${pick(SERVICE_NAMES)}&operation=${encodeURIComponent('GET /items')}&${window}`,
      ],
      [
        'service+attribute',
        () => `traces?service=${pick(SERVICE_NAMES)}&attribute=http.response.status_code=500&${window}`,
      ],
      ['errors only', () => `traces?errors_only=true&${window}`],
      ['service+min duration', () => `traces?service=${pick(SERVICE_NAMES)}&min_duration=20ms&${window}`],
      ['attribute', () => `traces?attribute=tenant.id=tenant-3&${window}`],
      ['time range only', () => `traces?${window}`],
    ];
    const logSearches: Query[] = [
      ['service', () => `logs?service=${pick(SERVICE_NAMES)}&${window}`],
      ['service+severity', () => `logs?service=${pick(SERVICE_NAMES)}&min_severity=warn&${window}`],
      ['text', () => `logs?contains=timeout&${window}`],
      ['trace id', () => `logs?trace_id=${pick(spansWithLogs).traceId}&from=${to - 3 * HOUR_MS}&to=${to}`],
      ['service+attribute', () => `logs?service=${pick(SERVICE_NAMES)}&attribute=tenant.id=tenant-7&${window}`],
      ['severity', () => `logs?min_severity=error&${window}`],
      ['time range only', () => `logs?${window}&limit=100`],
    ];
    // The logs page's volume chart: counts per minute and severity over the window, same filters.
    const logVolumes: Query[] = [
      ['service', () => `logs/volume?service=${pick(SERVICE_NAMES)}&${window}`],
      ['service+severity', () => `logs/volume?service=${pick(SERVICE_NAMES)}&min_severity=warn&${window}`],
      ['text', () => `logs/volume?contains=timeout&${window}`],
      ['time range only', () => `logs/volume?${window}`],
    ];
    // The patterns view and the overview's top patterns: the newest 5,000 matching records grouped.
    const logPatterns: Query[] = [
      ['service', () => `logs/patterns?service=${pick(SERVICE_NAMES)}&${window}`],
      ['severity', () => `logs/patterns?min_severity=warn&${window}`],
      ['text', () => `logs/patterns?contains=timeout&${window}`],
      ['time range only', () => `logs/patterns?${window}`],
    ];
    const plans: { name: string; goalMs: number; next: () => Query }[] = [
      { name: 'trace by id', goalMs: 20, next: () => ['', () => `traces/${pick(traceIds)}`] },
      { name: 'trace search', goalMs: 200, next: () => pick(searches) },
      { name: 'log search', goalMs: 100, next: () => pick(logSearches) },
      { name: 'log volume, 1 h window', goalMs: LOG_VOLUME_GOAL_MS, next: () => pick(logVolumes) },
      { name: 'log patterns, 1 h window', goalMs: LOG_PATTERNS_GOAL_MS, next: () => pick(logPatterns) },
      {
        name: 'logs of a span',
        goalMs: 100,
        next: () => {
          const s = pick(spansWithLogs);
          return ['', () => `traces/${s.traceId}/logs?span_id=${s.spanId}`];
        },
      },
    ];
    const topologyAvailable = (await fetch(`${api}/topology?${window}`)).status === 200;
    if (topologyAvailable) {
      plans.push({ name: 'topology, 1 h window', goalMs: 100, next: () => ['', () => `topology?${window}`] });
    }
    const latencies: Latencies[] = [];
    for (const plan of plans) {
      for (let i = 0; i < 10; i++) await time(`${api}/${plan.next()[1]()}`); // warm-up
      const samples: number[] = [];
      const byKind = new Map<string, number[]>();
      for (let i = 0; i < runs; i++) {
        const [kind, url] = plan.next();
        const ms = await time(`${api}/${url()}`);
        samples.push(ms);
        byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      }
      samples.sort((a, b) => a - b);
      let slowest: Latencies['slowest'];
      for (const [kind, list] of byKind) {
        const p99 = percentile(
          list.sort((a, b) => a - b),
          99,
        );
        if (kind && (!slowest || p99 > slowest.p99)) slowest = { kind, p99 };
      }
      latencies.push({ name: plan.name, goalMs: plan.goalMs, samples, ...(slowest ? { slowest } : {}) });
    }
    return { kind, spans: totalSpans, logs: totalLogs, fillSeconds, latencies, topologyAvailable };
  } finally {
    await app.close();
    await store.cleanup();
  }
}

export function formatLatencies(l: Latencies): string {
  const p = (q: number) => percentile(l.samples, q).toFixed(1);
  const p99 = percentile(l.samples, 99);
  const slowest = l.slowest ? `; slowest kind: ${l.slowest.kind}, p99 ${l.slowest.p99.toFixed(1)} ms` : '';
  return `${l.name.padEnd(24)} p50 ${p(50).padStart(6)} ms  p95 ${p(95).padStart(6)} ms  p99 ${p(99).padStart(6)} ms  (goal p99 < ${l.goalMs} ms: ${p99 < l.goalMs ? 'met' : 'NOT met'}, ${(p99 / l.goalMs).toFixed(2)}× the goal${slowest})`;
}
