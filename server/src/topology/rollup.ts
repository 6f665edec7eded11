// Adds spans and edges into 1-minute buckets in memory, between flushes to the store. Three
// families of series: per edge, per service (its entry spans: SERVER, CONSUMER and roots) and
// per service + operation + span kind (every span, like Tempo's span metrics). The number of
// open buckets is capped; observations for a new bucket beyond the cap are dropped and counted,
// so a flood of unique operation names cannot exhaust memory.
import { type CommittedSpan, SpanKind, type SpanKindNumber, StatusCode } from '../telemetry/model.js';
import { LatencyHistogram } from './histogram.js';
import { minuteOfNs } from './minutes.js';
import type { EdgeKind, EdgeObservation } from './pairing.js';
import type { NodeType } from './peers.js';

/** Counts and latency of one series in one minute. */
export interface Bucket {
  minute: number;
  requests: number;
  errors: number;
  histogram: LatencyHistogram;
}

export interface EdgeBucket extends Bucket {
  source: string;
  sourceType: NodeType;
  target: string;
  targetType: NodeType;
  kind: EdgeKind;
}

export interface ServiceBucket extends Bucket {
  service: string;
}

export interface OperationBucket extends Bucket {
  service: string;
  operation: string;
  spanKind: SpanKindNumber;
}

export interface RollupBatch {
  edges: EdgeBucket[];
  services: ServiceBucket[];
  operations: OperationBucket[];
}

/** Longest operation name kept; longer ones are cut (span names are user data). */
const MAX_OPERATION = 300;
const SEP = '\u0000';

function emptyBucket(minute: number): Bucket {
  return { minute, requests: 0, errors: 0, histogram: new LatencyHistogram() };
}

function observe(bucket: Bucket, micros: number, failed: boolean): void {
  bucket.requests++;
  if (failed) bucket.errors++;
  bucket.histogram.record(micros);
}

function mergeInto(target: Bucket, source: Bucket): void {
  target.requests += source.requests;
  target.errors += source.errors;
  target.histogram.merge(source.histogram);
}

/** Service-level RED counts what the service serves: SERVER and CONSUMER spans, and roots. */
export function isEntrySpan(span: CommittedSpan): boolean {
  return span.kind === SpanKind.SERVER || span.kind === SpanKind.CONSUMER || span.parentSpanId === null;
}

// Buckets are found through nested maps (service → operation → minute + kind) rather than
// one map keyed by a concatenated string: no string is built per span on the ingest path.
export class RollupBuffer {
  /** source → target → (kind and node types) → minute → bucket. */
  private edges = new Map<string, Map<string, Map<string, Map<number, EdgeBucket>>>>();
  /** service → minute → bucket. */
  private services = new Map<string, Map<number, ServiceBucket>>();
  /** service → operation → (minute + span kind: minutes are multiples of 60000) → bucket. */
  private operations = new Map<string, Map<string, Map<number, OperationBucket>>>();
  private open = 0;
  private dropped = 0;

  constructor(private readonly maxBuckets: number) {}

  /** Buckets open in memory. */
  get size(): number {
    return this.open;
  }

  /** Observations dropped since the last call, because the buffer was full. */
  takeDropped(): number {
    const n = this.dropped;
    this.dropped = 0;
    return n;
  }

  addSpan(span: CommittedSpan): void {
    const minute = minuteOfNs(span.startNs);
    const micros = Number(span.durationNs) / 1000;
    const failed = span.statusCode === StatusCode.ERROR;
    const name = span.name.length > MAX_OPERATION ? span.name.slice(0, MAX_OPERATION) : span.name;
    const op = this.operationBucket(span.service, name, span.kind, minute);
    if (op) observe(op, micros, failed);
    if (!isEntrySpan(span)) return;
    const service = this.serviceBucket(span.service, minute);
    if (service) observe(service, micros, failed);
  }

  addEdge(edge: EdgeObservation): void {
    const bucket = this.edgeBucket(edge, edge.minute);
    // The edge's latency is what the caller waited; a consumer fed by an uninstrumented
    // producer has only its own duration.
    if (bucket) observe(bucket, edge.clientMicros ?? edge.serverMicros ?? 0, edge.failed);
  }

  /** Hands over everything buffered and starts empty. */
  take(): RollupBatch {
    const batch: RollupBatch = { edges: [], services: [], operations: [] };
    for (const byTarget of this.edges.values()) {
      for (const byShape of byTarget.values()) {
        for (const byMinute of byShape.values()) batch.edges.push(...byMinute.values());
      }
    }
    for (const byMinute of this.services.values()) batch.services.push(...byMinute.values());
    for (const byOperation of this.operations.values()) {
      for (const byMinute of byOperation.values()) batch.operations.push(...byMinute.values());
    }
    this.edges = new Map();
    this.services = new Map();
    this.operations = new Map();
    this.open = 0;
    return batch;
  }

  /** Puts back a batch whose write failed, merging with what arrived meanwhile. */
  restore(batch: RollupBatch): void {
    for (const b of batch.edges) this.restoreInto(this.edgeBucket(b, b.minute, false), b);
    for (const b of batch.services) this.restoreInto(this.serviceBucket(b.service, b.minute, false), b);
    for (const b of batch.operations) {
      this.restoreInto(this.operationBucket(b.service, b.operation, b.spanKind, b.minute, false), b);
    }
  }

  private restoreInto(target: Bucket | undefined, source: Bucket): void {
    if (target) mergeInto(target, source);
    else this.dropped += source.requests;
  }

  private edgeBucket(edge: EdgeSeries, minute: number, countDrop = true): EdgeBucket | undefined {
    const shape = edge.kind + SEP + edge.sourceType + SEP + edge.targetType;
    let byTarget = this.edges.get(edge.source);
    let byShape = byTarget?.get(edge.target);
    let byMinute = byShape?.get(shape);
    let bucket = byMinute?.get(minute);
    if (bucket) return bucket;
    if (!this.hasRoom(countDrop)) return undefined;
    if (!byTarget) {
      byTarget = new Map();
      this.edges.set(edge.source, byTarget);
    }
    if (!byShape) {
      byShape = new Map();
      byTarget.set(edge.target, byShape);
    }
    if (!byMinute) {
      byMinute = new Map();
      byShape.set(shape, byMinute);
    }
    bucket = {
      ...emptyBucket(minute),
      source: edge.source,
      sourceType: edge.sourceType,
      target: edge.target,
      targetType: edge.targetType,
      kind: edge.kind,
    };
    byMinute.set(minute, bucket);
    return bucket;
  }

  private serviceBucket(service: string, minute: number, countDrop = true): ServiceBucket | undefined {
    let byMinute = this.services.get(service);
    let bucket = byMinute?.get(minute);
    if (bucket) return bucket;
    if (!this.hasRoom(countDrop)) return undefined;
    if (!byMinute) {
      byMinute = new Map();
      this.services.set(service, byMinute);
    }
    bucket = { ...emptyBucket(minute), service };
    byMinute.set(minute, bucket);
    return bucket;
  }

  private operationBucket(
    service: string,
    operation: string,
    spanKind: SpanKindNumber,
    minute: number,
    countDrop = true,
  ): OperationBucket | undefined {
    let byOperation = this.operations.get(service);
    let byMinute = byOperation?.get(operation);
    let bucket = byMinute?.get(minute + spanKind);
    if (bucket) return bucket;
    if (!this.hasRoom(countDrop)) return undefined;
    if (!byOperation) {
      byOperation = new Map();
      this.operations.set(service, byOperation);
    }
    if (!byMinute) {
      byMinute = new Map();
      byOperation.set(operation, byMinute);
    }
    bucket = { ...emptyBucket(minute), service, operation, spanKind };
    byMinute.set(minute + spanKind, bucket);
    return bucket;
  }

  /** True when a new bucket may open (and counts it); otherwise counts the observation as dropped. */
  private hasRoom(countDrop = true): boolean {
    if (this.open < this.maxBuckets) {
      this.open++;
      return true;
    }
    if (countDrop) this.dropped++;
    return false;
  }
}

/** What names an edge series. */
interface EdgeSeries {
  source: string;
  sourceType: NodeType;
  target: string;
  targetType: NodeType;
  kind: EdgeKind;
}
