// The work of a decode thread, as plain functions (so it runs and is tested without a thread):
// decode an OTLP trace request with the receiver's own decoders and limits, and describe the
// accepted spans three ways — SQLite rows, serialized, for the writer; the columns span
// listeners read; a few attribute samples for the catalog — plus the resources they point to.
// `encodedBatch` turns that description back into what ingest takes, on the server's thread.
import { serialize } from 'node:v8';
import type { Attributes, CommittedSpan } from '../model.js';
import { decodeTracesJson } from '../otlp/json-decode.js';
import type { IngestLimits } from '../otlp/limits.js';
import { decodeTraces } from '../otlp/protobuf-decode.js';
import type { OtlpEncoding } from '../otlp/responses.js';
import { type AttributeSample, sampleAttributes } from '../storage/catalog.js';
import { spanRow } from '../storage/sqlite-writer.js';
import type { StoredResource } from '../storage/write-group.js';
import type { EncodedSpanBatch } from './span-decoding.js';

export interface EncodeOptions {
  limits: IngestLimits;
  /** Attribute keys span listeners read; null: all of them. */
  attributeKeys: readonly string[] | null;
  /** Kinds of spans whose attributes span listeners read; null: all kinds. */
  attributeSpanKinds: readonly number[] | null;
  /** Spans per request whose attributes are sampled for the catalog. */
  samplesPerRequest: number;
}

/** Columns of the accepted spans, by index. */
export interface SpanColumns {
  traceIds: string[];
  spanIds: string[];
  parentSpanIds: (string | null)[];
  services: string[];
  names: string[];
  kinds: Uint8Array;
  statusCodes: Uint8Array;
  startNs: BigUint64Array;
  durationNs: BigUint64Array;
  /** The attributes listeners read, or null when the span has none of them. */
  attributes: (Attributes | null)[];
}

/** One decoded request, described for the server's thread (structured-clone friendly). */
export interface EncodedRequest {
  received: number;
  rejected: number;
  message: string;
  columns: SpanColumns;
  samples: AttributeSample[];
  resources: StoredResource[];
  /** The accepted spans' SQLite rows, v8-serialized, in a buffer of their own (transferable). */
  rows: Uint8Array;
}

/** Decodes and describes requests; `turn` rotates which spans are sampled. */
export class SpanEncoder {
  readonly #options: EncodeOptions;
  readonly #wanted: Set<string> | null;
  /** By span kind: whether listeners read its attributes. */
  readonly #kinds: boolean[];
  #turn = 0;

  constructor(options: EncodeOptions) {
    this.#options = options;
    this.#wanted = options.attributeKeys === null ? null : new Set(options.attributeKeys);
    const kinds = options.attributeSpanKinds;
    this.#kinds = [0, 1, 2, 3, 4, 5].map((kind) => kinds === null || kinds.includes(kind));
  }

  #listened(kind: number, attributes: Attributes): Attributes | null {
    if (!this.#kinds[kind]) return null;
    if (this.#wanted === null) return attributes;
    let out: Attributes | null = null;
    for (const key in attributes) {
      if (this.#wanted.has(key)) {
        out ??= {};
        out[key] = attributes[key] ?? null;
      }
    }
    return out;
  }

  /** Throws UndecodablePayload when the body is not a request of that encoding. */
  encode(body: Buffer, encoding: OtlpEncoding): EncodedRequest {
    const { limits } = this.#options;
    const batch = encoding === 'protobuf' ? decodeTraces(body, limits) : decodeTracesJson(body, limits);
    const n = batch.spans.length;
    const columns: SpanColumns = {
      traceIds: new Array(n),
      spanIds: new Array(n),
      parentSpanIds: new Array(n),
      services: new Array(n),
      names: new Array(n),
      kinds: new Uint8Array(n),
      statusCodes: new Uint8Array(n),
      startNs: new BigUint64Array(n),
      durationNs: new BigUint64Array(n),
      attributes: new Array(n),
    };
    const rows: unknown[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      const span = batch.spans[i] as (typeof batch.spans)[number];
      rows[i] = spanRow(span, batch.resourceIds[i] as string);
      columns.traceIds[i] = span.traceId;
      columns.spanIds[i] = span.spanId;
      columns.parentSpanIds[i] = span.parentSpanId;
      columns.services[i] = span.service;
      columns.names[i] = span.name;
      columns.kinds[i] = span.kind;
      columns.statusCodes[i] = span.statusCode;
      columns.startNs[i] = span.startNs;
      columns.durationNs[i] = span.durationNs;
      columns.attributes[i] = this.#listened(span.kind, span.attributes);
    }
    return {
      received: batch.received,
      rejected: batch.rejections.count,
      message: batch.rejections.message('spans'),
      columns,
      samples: sampleAttributes(batch.spans, 'spans', this.#options.samplesPerRequest, this.#turn++),
      resources: batch.resources.map((r) => ({ id: r.id, service: r.service, json: r.json })),
      rows: ownBuffer(serialize(rows)),
    };
  }
}

/** The buffer itself when it owns its memory whole (so it can be transferred), else a copy. */
export function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes);
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** What ingest takes, from an encoded request (on the server's thread). */
export function encodedBatch(request: EncodedRequest): EncodedSpanBatch {
  const c = request.columns;
  const spans: CommittedSpan[] = new Array(c.traceIds.length);
  for (let i = 0; i < spans.length; i++) {
    spans[i] = {
      traceId: c.traceIds[i] as string,
      spanId: c.spanIds[i] as string,
      parentSpanId: c.parentSpanIds[i] as string | null,
      service: c.services[i] as string,
      name: c.names[i] as string,
      kind: c.kinds[i] as CommittedSpan['kind'],
      startNs: c.startNs[i] as bigint,
      durationNs: c.durationNs[i] as bigint,
      statusCode: c.statusCodes[i] as CommittedSpan['statusCode'],
      attributes: c.attributes[i] ?? EMPTY,
    };
  }
  const { rejected, message } = request;
  return {
    received: request.received,
    rejections: { count: rejected, message: () => message },
    spans,
    samples: request.samples,
    resources: request.resources,
    rows: request.rows,
  };
}
