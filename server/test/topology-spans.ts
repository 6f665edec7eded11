// Builds SpanRecords for the topology tests: a call between two services is a CLIENT span in
// the caller and a SERVER span (its child) in the callee, with real-looking ids and times.
import { randomBytes } from 'node:crypto';
import { type Attributes, SpanKind, type SpanKindNumber, type SpanRecord, StatusCode } from '../src/telemetry/model.js';

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export interface SpanInput {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string | null;
  service: string;
  name?: string;
  kind: SpanKindNumber;
  /** Start, epoch ms. */
  startMs: number;
  durationMs: number;
  error?: boolean;
  attributes?: Attributes;
}

export function span(input: SpanInput): SpanRecord {
  return {
    traceId: input.traceId ?? hex(16),
    spanId: input.spanId ?? hex(8),
    parentSpanId: input.parentSpanId === undefined ? null : input.parentSpanId,
    service: input.service,
    name: input.name ?? 'GET /',
    kind: input.kind,
    startNs: BigInt(Math.round(input.startMs * 1000)) * 1000n,
    durationNs: BigInt(Math.round(input.durationMs * 1_000_000)),
    statusCode: input.error ? StatusCode.ERROR : StatusCode.UNSET,
    statusMessage: input.error ? 'failed' : '',
    attributes: input.attributes ?? {},
    events: [],
    links: [],
    resource: { 'service.name': input.service },
    scopeName: 'test',
    scopeVersion: '1.0.0',
  };
}

export interface CallInput {
  client: string;
  server: string;
  startMs: number;
  clientMs: number;
  serverMs: number;
  error?: boolean;
  async?: boolean;
  operation?: string;
  traceId?: string;
  /** Parent of the client span (null: the client span is a root). */
  parentSpanId?: string | null;
}

/** A caller span and its child in the callee: [client, server]. */
export function call(input: CallInput): [SpanRecord, SpanRecord] {
  const traceId = input.traceId ?? hex(16);
  const client = span({
    traceId,
    parentSpanId: input.parentSpanId ?? null,
    service: input.client,
    name: input.operation ?? 'GET /work',
    kind: input.async ? SpanKind.PRODUCER : SpanKind.CLIENT,
    startMs: input.startMs,
    durationMs: input.clientMs,
    error: input.error,
  });
  const server = span({
    traceId,
    parentSpanId: client.spanId,
    service: input.server,
    name: input.operation ?? 'GET /work',
    kind: input.async ? SpanKind.CONSUMER : SpanKind.SERVER,
    startMs: input.startMs + 0.5,
    durationMs: input.serverMs,
    error: input.error,
  });
  return [client, server];
}
