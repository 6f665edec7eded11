// `npm run bench:ingest`: (a) OTLP ingest throughput on SQLite and PostgreSQL against
// decode-only throughput, (b) query latency over 1,000,000 spans and 1,000,000 logs.
//
//   node --import tsx bench/ingest/run.ts [--part a|b|all] [--store sqlite|postgres|all]
//     [--seconds 30] [--trace-ids random|sequential] [--spans 1000000] [--logs 1000000] [--queries 200]
import { parseArgs } from 'node:util';
import { formatLatencies, measureQueries } from './queries.js';
import { percentile, type StoreKind } from './stores.js';
import {
  makePayloads,
  measureDecode,
  measureIngest,
  SPANS_PER_REQUEST,
  serverNodeArgs,
  type TraceIds,
} from './throughput.js';

const { values: args } = parseArgs({
  options: {
    part: { type: 'string', default: 'all' },
    store: { type: 'string', default: 'all' },
    seconds: { type: 'string', default: '30' },
    'trace-ids': { type: 'string', default: 'random' },
    spans: { type: 'string', default: '1000000' },
    logs: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '200' },
  },
});
if (args['trace-ids'] !== 'random' && args['trace-ids'] !== 'sequential') {
  throw new Error(`--trace-ids must be random or sequential, got ${args['trace-ids']}`);
}
const traceIds = args['trace-ids'] as TraceIds;
const kinds: StoreKind[] = args.store === 'all' ? ['sqlite', 'postgres'] : [args.store as StoreKind];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

if (args.part === 'a' || args.part === 'all') {
  const seconds = Number(args.seconds);
  console.log(
    `(a) ingest: protobuf batches of ${SPANS_PER_REQUEST} spans, 4 concurrent clients, ${seconds} s per store, ${traceIds} trace ids; server run as node ${serverNodeArgs().join(' ')}`,
  );
  const payloads = makePayloads();
  const decode = measureDecode(payloads, 2);
  console.log(
    `  decode-only at start (protobuf decode + map to records, 1 core): ${fmt(decode.spansPerSecond)} spans/s` +
      ` (protobuf decode alone: ${fmt(decode.protobufOnlySpansPerSecond)} spans/s)`,
  );
  for (const kind of kinds) {
    const r = await measureIngest(kind, payloads, seconds, traceIds);
    // Decode-only is measured in the pauses between rounds of sending (the VM's speed drifts by
    // up to 2x within a minute); the ratio is to their mean, and each round's own is shown too.
    const baseline = r.decodeOnly.reduce((a, b) => a + b, 0) / r.decodeOnly.length;
    const ratio = r.spansPerSecond / baseline;
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    const sortedRounds = [...r.roundRatios].sort((a, b) => a - b);
    console.log(
      `  ${kind.padEnd(8)} ${fmt(r.spansPerSecond)} spans/s accepted and stored (${fmt(r.acceptedSpans)} in ${r.seconds.toFixed(1)} s,` +
        ` ${fmt(r.storedSpans)} counted in the store after shutdown), ${pct(ratio)} of decode-only` +
        ` (mean of ${r.decodeOnly.length} measured between rounds: ${fmt(baseline)}; min ${fmt(Math.min(...r.decodeOnly))}, max ${fmt(Math.max(...r.decodeOnly))});` +
        ` server in those pauses: ${Math.max(...r.serverCoresInSlices).toFixed(2)} cores at most;` +
        ` rounds' own ratios: median ${pct(percentile(sortedRounds, 50))}, ${sortedRounds.map(pct).join(' ')};` +
        ` request p50 ${r.latencyP50Ms.toFixed(1)} ms, p99 ${r.latencyP99Ms.toFixed(1)} ms; ${r.refusedRequests} refused (429/503);` +
        ` CPU: server ${r.serverCores.toFixed(2)} cores (${((r.serverCores * 1e6) / r.spansPerSecond).toFixed(1)} µs per span), clients ${r.clientCores.toFixed(2)} cores`,
    );
    const perSpan = (cores: number) => ((cores * 1e6) / r.spansPerSecond).toFixed(1);
    console.log(
      `           server threads (µs per span): ${r.serverThreadCores.map((t) => `${t.thread} ${perSpan(t.cores)}`).join(', ')};` +
        ` written ${(r.serverWrittenBytes / r.acceptedSpans).toFixed(0)} bytes per span`,
    );
    if (r.topologyDrops > 0) console.log(`  !! ${kind}: the topology dropped ${fmt(r.topologyDrops)} observations`);
    if (r.storedSpans !== r.acceptedSpans)
      console.log(`  !! ${kind}: stored ${r.storedSpans} ≠ accepted ${r.acceptedSpans}`);
  }
}

if (args.part === 'b' || args.part === 'all') {
  const spans = Number(args.spans);
  const logs = Number(args.logs);
  const runs = Number(args.queries);
  console.log(
    `(b) queries over ${fmt(spans)} spans and ${fmt(logs)} log records (30 services, last 2 h), ${runs} of each`,
  );
  for (const kind of kinds) {
    const r = await measureQueries(kind, spans, logs, runs);
    console.log(
      `  ${kind}: filled in ${r.fillSeconds.toFixed(0)} s (${fmt((spans + logs) / r.fillSeconds)} records/s through the storage path)`,
    );
    for (const l of r.latencies) console.log(`    ${formatLatencies(l)}`);
    if (!r.topologyAvailable) console.log('    topology: GET /api/v1/topology is not available in this build');
  }
}
