// Part (a): OTLP/protobuf batches of 512 spans from 4 concurrent clients over loopback for a
// fixed time against a real server process, on SQLite and on PostgreSQL. A span counts once
// its request got 200 (which means durable: committed, or on SQLite journaled, see
// server/src/telemetry/ingest/journaled-ingest.ts); at the end, after the server stopped, the
// store is counted to check that every accepted span is there. The same payloads are decoded in
// this process (protobuf decode + mapping to records: the receiver's work before storage, on one
// core) to give the ratio: for a second between every 5 s of sending, with the server idle,
// since this VM's speed for this allocation-heavy work drifts by up to 2x within a minute.
//
// Each request carries new trace ids, so nothing is deduplicated by the store: the first 8 bytes
// of every trace id of a pre-encoded payload (a marker at encoding) are written over on each
// send, by default with random bytes per trace, as SDKs make trace ids (so they land all over
// the store's trace index), or with a counter per request (`sequential`: ids that only grow,
// which the trace index takes as appends; the figures before stop 13 were measured so). Times
// are shifted to the clock (written over each fixed64 time), so spans arrive in time order as a
// live fleet's do.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Agent, request } from 'undici';
import { SERVER_NODE_OPTIONS } from '../../server/src/node-options.js';
import { openStore } from '../../server/src/store/store.js';
import type { SpanRecord } from '../../server/src/telemetry/model.js';
import { defaultIngestLimits } from '../../server/src/telemetry/otlp/limits.js';
import { decodeTraces } from '../../server/src/telemetry/otlp/protobuf-decode.js';
import { otlpSchema } from '../../server/src/telemetry/otlp/schema.js';
import { makeFleet, makeTrace, rng, traceRequestObject } from './fleet.js';
import { type BenchStore, benchStore, percentile, type StoreKind } from './stores.js';

export const SPANS_PER_REQUEST = 512;
const PAYLOADS = 16;
export const CLIENTS = 4;
/** Seconds of sending between two decode-only measurements. */
const ROUND_SECONDS = 5;
/** Length of each decode-only measurement, s. */
const DECODE_SLICE_SECONDS = 1;
/** A server that used less than this share of a core over IDLE_WINDOW_MS is idle. */
const IDLE_CORES = 0.05;
const IDLE_WINDOW_MS = 200;

/** Waits until the server has finished the work of the last round (commits, checkpoints), 5 s at most. */
export async function untilIdle(pid: number): Promise<void> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    const before = cpuSecondsOf(pid);
    await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
    if ((cpuSecondsOf(pid) - before) / (IDLE_WINDOW_MS / 1000) < IDLE_CORES) return;
  }
}

export interface Payload {
  bytes: Buffer;
  /** Per trace, the offsets of the 8-byte marker at the start of each of its spans' trace id. */
  traces: number[][];
  /** Offsets of every fixed64 time (span start and end, event time) with its value when encoded. */
  times: { offset: number; ns: bigint }[];
  /** When the times were taken, epoch ns. */
  encodedNs: bigint;
}

/** Pre-encoded requests whose trace ids start with a marker that each send overwrites. */
export function makePayloads(): Payload[] {
  const random = rng(7);
  const fleet = makeFleet(random);
  const type = otlpSchema().exportTraceRequest;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const payloads: Payload[] = [];
  for (let p = 0; p < PAYLOADS; p++) {
    const marker = randomBytes(8).toString('hex');
    const spans: SpanRecord[] = [];
    let trace = 0;
    while (spans.length < SPANS_PER_REQUEST) {
      const traceId = marker + (p * 1_000_000 + trace++).toString(16).padStart(16, '0');
      const startNs = nowNs - BigInt(Math.floor(random() * 60_000)) * 1_000_000n;
      for (const span of makeTrace(fleet, random, { startNs })) {
        if (spans.length === SPANS_PER_REQUEST) break;
        spans.push({ ...span, traceId });
      }
    }
    const bytes = Buffer.from(type.encode(type.fromObject(traceRequestObject(spans))).finish());
    const markerBytes = Buffer.from(marker, 'hex');
    // The 8 bytes after the marker tell the traces apart.
    const byTrace = new Map<string, number[]>();
    let found = 0;
    for (let at = bytes.indexOf(markerBytes); at !== -1; at = bytes.indexOf(markerBytes, at + 1)) {
      const suffix = bytes.toString('hex', at + 8, at + 16);
      const offsets = byTrace.get(suffix);
      if (offsets === undefined) byTrace.set(suffix, [at]);
      else offsets.push(at);
      found += 1;
    }
    if (found !== SPANS_PER_REQUEST) throw new Error(`marker found ${found} times, not once per span`);
    const times: Payload['times'] = [];
    const timeValues = spans.flatMap((s) => [s.startNs, s.startNs + s.durationNs, ...s.events.map((e) => e.timeNs)]);
    for (const ns of new Set(timeValues)) {
      const le = Buffer.alloc(8);
      le.writeBigUInt64LE(ns);
      for (let at = bytes.indexOf(le); at !== -1; at = bytes.indexOf(le, at + 1)) times.push({ offset: at, ns });
    }
    if (times.length < timeValues.length) throw new Error('a time was not found in the encoded payload');
    payloads.push({ bytes, traces: [...byTrace.values()], times, encodedNs: nowNs });
  }
  return payloads;
}

export interface DecodeResult {
  spansPerSecond: number;
  protobufOnlySpansPerSecond: number;
}

/** Decode-only throughput of one kind of work over the payloads in this process, on one core. */
function decodeRate(payloads: Payload[], seconds: number, work: (bytes: Buffer) => void): number {
  for (const p of payloads) work(p.bytes); // warm-up (JIT)
  let spans = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (const p of payloads) {
      work(p.bytes);
      spans += SPANS_PER_REQUEST;
    }
  }
  return spans / ((performance.now() - started) / 1000);
}

/** Decode-only throughput (protobuf decode + mapping to records: the receiver's work before storage). */
export function measureDecodeOnly(payloads: Payload[], seconds: number): number {
  const limits = defaultIngestLimits(72);
  return decodeRate(payloads, seconds, (bytes) => {
    const batch = decodeTraces(bytes, limits);
    if (batch.spans.length !== SPANS_PER_REQUEST) throw new Error(batch.rejections.message('spans'));
  });
}

/** Decode-only throughput of the same payloads in this process, on one core, and of protobuf decoding alone. */
export function measureDecode(payloads: Payload[], seconds: number): DecodeResult {
  const type = otlpSchema().exportTraceRequest;
  return {
    spansPerSecond: measureDecodeOnly(payloads, seconds),
    protobufOnlySpansPerSecond: decodeRate(payloads, seconds, (bytes) => {
      type.decode(bytes);
    }),
  };
}

/** The node options a server is started with: the server's own, then BENCH_SERVER_NODE_ARGS. */
export function serverNodeArgs(): string[] {
  return [...SERVER_NODE_OPTIONS, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
}

interface ServerProcess {
  child: ChildProcess;
  otlpUrl: string;
  apiUrl: string;
}

/**
 * Starts a server process on the store. `main`: the server's entry (another checkout's, to
 * compare two versions); `nodeArgs` go to node before it (by default the options the server is
 * always run with, and BENCH_SERVER_NODE_ARGS), `env` is the process's environment.
 */
export async function spawnServer(
  storeUrl: string,
  {
    main = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url)),
    nodeArgs = serverNodeArgs(),
    env = process.env,
  }: { main?: string; nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '--import',
      'tsx',
      main,
      '--store',
      storeUrl,
      '--api-port',
      '0',
      '--otlp-port',
      '0',
      '--log-level',
      'info',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  let buffered = '';
  const addresses = await new Promise<{ api: string; otlp: string }>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        try {
          const record = JSON.parse(line) as { api?: string; otlp?: string };
          if (record.api && record.otlp) resolve({ api: record.api, otlp: record.otlp });
        } catch {
          // partial or non-JSON line
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  child.stdout?.resume();
  return { child, otlpUrl: addresses.otlp, apiUrl: addresses.api };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/** Bytes a process has passed to write(2) and friends so far (files and sockets), from /proc. */
function writtenBytesOf(pid: number): number {
  try {
    return Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) of each thread of a process so far, by thread id (Linux). */
function threadCpuSecondsOf(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // the process is gone
  }
  return out;
}

export interface IngestResult {
  kind: StoreKind;
  /** Cores the server process and this client process kept busy during the run. */
  serverCores: number;
  /** Cores each busy thread of the server kept busy: the main thread first, then the others by use. */
  serverThreadCores: { thread: string; cores: number }[];
  /** Bytes the server wrote (store files, WAL, checkpoints, responses) during the run. */
  serverWrittenBytes: number;
  clientCores: number;
  seconds: number;
  acceptedSpans: number;
  storedSpans: number;
  spansPerSecond: number;
  /** Decode-only throughput measured between the rounds of sending, one figure per pause. */
  decodeOnly: number[];
  /** Per round: spans/s accepted over the decode-only figure measured right before it. */
  roundRatios: number[];
  /** Cores the server used while each decode-only figure was measured (its idle work: timers). */
  serverCoresInSlices: number[];
  refusedRequests: number;
  /** Observations the topology roll-ups dropped (pairing table or buckets full), from /metrics at the end. */
  topologyDrops: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * What the topology dropped under this load: half-pairs the pairing table had no room for, and
 * observations of buckets beyond the roll-up's cap (the ingest keeps up, but the service graph
 * would be missing calls).
 */
async function topologyDropsOf(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  let drops = 0;
  for (const name of ['signalbox_topology_pairing_dropped_total', 'signalbox_topology_rollup_dropped_total']) {
    const match = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
    if (!match) throw new Error(`/metrics has no ${name}`);
    drops += Number(match[1]);
  }
  return drops;
}

export type TraceIds = 'random' | 'sequential';

/**
 * Posts payloads as new traces: rewrites each one's trace-id markers (see the top of this file)
 * and shifts its times to the clock before sending it.
 */
export function payloadSender(payloads: Payload[], traceIds: TraceIds) {
  let counter = 0n;
  const prefixes = Buffer.alloc(8 * Math.max(...payloads.map((p) => p.traces.length)));
  return async (url: string, payload: Payload, dispatcher: Agent) => {
    if (traceIds === 'sequential') {
      counter += 1n;
      for (const trace of payload.traces) for (const at of trace) payload.bytes.writeBigUInt64BE(counter, at);
    } else {
      randomFillSync(prefixes);
      payload.traces.forEach((trace, i) => {
        for (const at of trace) prefixes.copy(payload.bytes, at, i * 8, i * 8 + 8);
      });
    }
    // Times move with the clock, as a live fleet's do.
    const shift = BigInt(Date.now()) * 1_000_000n - payload.encodedNs;
    for (const t of payload.times) payload.bytes.writeBigUInt64LE(t.ns + shift, t.offset);
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: payload.bytes,
      dispatcher,
    });
    await response.body.arrayBuffer();
    return { statusCode: response.statusCode, retryAfterSeconds: Number(response.headers['retry-after'] ?? 1) };
  };
}

/** One client: sends the payloads in turn (from its own copies) until `until` (performance.now()). */
export async function clientLoop(
  payloads: Payload[],
  client: number,
  until: number,
  send: (payload: Payload) => Promise<void>,
): Promise<void> {
  // Own copies: a buffer is patched only while no request of this client is using it.
  const own = payloads.map((p) => ({ ...p, bytes: Buffer.from(p.bytes) }));
  let i = client;
  while (performance.now() < until) await send(own[i++ % own.length] as Payload);
}

export async function measureIngest(
  kind: StoreKind,
  payloads: Payload[],
  seconds: number,
  traceIds: TraceIds = 'random',
): Promise<IngestResult> {
  const store: BenchStore = benchStore(kind);
  const server = await spawnServer(store.url);
  // Never leave the server behind, whatever happens to the run.
  const killOnExit = () => server.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const dispatcher = new Agent({ connections: CLIENTS, keepAliveTimeout: 30_000 });
  const url = `${server.otlpUrl}/v1/traces`;
  let accepted = 0;
  let refused = 0;
  const latencies: number[] = [];
  const post = payloadSender(payloads, traceIds);
  const send = async (payload: Payload): Promise<void> => {
    const started = performance.now();
    const response = await post(url, payload, dispatcher);
    latencies.push(performance.now() - started);
    if (response.statusCode === 200) accepted += SPANS_PER_REQUEST;
    else if (response.statusCode === 429 || response.statusCode === 503) {
      refused++;
      await new Promise((r) => setTimeout(r, 1000 * response.retryAfterSeconds));
    } else throw new Error(`unexpected status ${response.statusCode}`);
  };
  // Warm-up: a few seconds the server JIT-compiles and the store settles; not counted.
  const loop = (client: number, until: number) => clientLoop(payloads, client, until, send);
  const warmUntil = performance.now() + 3000;
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => loop(c, warmUntil)));
  const warmAccepted = accepted;
  accepted = 0;
  refused = 0;
  latencies.length = 0;
  const serverCpu = cpuSecondsOf(server.child.pid as number);
  const serverThreadCpu = threadCpuSecondsOf(server.child.pid as number);
  const serverWritten = writtenBytesOf(server.child.pid as number);
  const clientCpu = process.cpuUsage();
  // The VM's speed drifts by up to 2x within a minute, so decode-only is measured in short
  // pauses between rounds of sending (the clients stopped, the server left to finish its
  // commits first), and each round is set against the figure right before it.
  const rounds = Math.max(1, Math.round(seconds / ROUND_SECONDS));
  const decodeOnly: number[] = [];
  const roundRatios: number[] = [];
  const serverCoresInSlices: number[] = [];
  let elapsed = 0;
  /** CPU this process spent on the decode-only slices, µs: not the clients'. */
  let decodeCpuMicros = 0;
  for (let round = 0; round < rounds; round++) {
    await untilIdle(server.child.pid as number);
    const sliceCpu = cpuSecondsOf(server.child.pid as number);
    const sliceStarted = performance.now();
    const ownCpu = process.cpuUsage();
    const decode = measureDecodeOnly(payloads, DECODE_SLICE_SECONDS);
    const own = process.cpuUsage(ownCpu);
    decodeCpuMicros += own.user + own.system;
    serverCoresInSlices.push(
      (cpuSecondsOf(server.child.pid as number) - sliceCpu) / ((performance.now() - sliceStarted) / 1000),
    );
    decodeOnly.push(decode);
    const before = accepted;
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => loop(c, started + (seconds / rounds) * 1000)));
    const took = (performance.now() - started) / 1000;
    elapsed += took;
    roundRatios.push((accepted - before) / took / decode);
  }
  // The server's CPU in the pauses is the tail of the rounds' work (commits, roll-ups): it counts
  // against the spans; the pauses' own time does not.
  const serverCores = (cpuSecondsOf(server.child.pid as number) - serverCpu) / elapsed;
  const serverWrittenBytes = writtenBytesOf(server.child.pid as number) - serverWritten;
  const serverThreadCores = [...threadCpuSecondsOf(server.child.pid as number)]
    .map(([tid, seconds]) => ({
      thread: tid === server.child.pid ? 'main' : String(tid),
      cores: (seconds - (serverThreadCpu.get(tid) ?? 0)) / elapsed,
    }))
    .filter((t) => t.cores >= 0.01)
    .sort((a, b) => (a.thread === 'main' ? -1 : b.thread === 'main' ? 1 : b.cores - a.cores));
  const clientUsage = process.cpuUsage(clientCpu);
  const topologyDrops = await topologyDropsOf(server.apiUrl);
  // Less the decode-only slices this process ran in the pauses.
  const clientCores = (clientUsage.user + clientUsage.system - decodeCpuMicros) / 1e6 / elapsed;
  await dispatcher.close();
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
  process.off('exit', killOnExit);
  // Count what the store holds (the server is gone: this is what survived).
  const check = await openStore(store.url);
  const count = await sql<{ n: number | string }>`select count(*) as n from spans`.execute(check.db);
  await check.close();
  await store.cleanup();
  latencies.sort((a, b) => a - b);
  return {
    kind,
    serverCores,
    serverThreadCores,
    serverWrittenBytes,
    clientCores,
    seconds: elapsed,
    acceptedSpans: accepted,
    storedSpans: Number(count.rows[0]?.n ?? 0) - warmAccepted,
    spansPerSecond: accepted / elapsed,
    decodeOnly,
    roundRatios,
    serverCoresInSlices,
    refusedRequests: refused,
    topologyDrops,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
  };
}
