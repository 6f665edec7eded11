// Decoding of OTLP trace requests for ingest, where it runs. On a SQLite store with a writer
// thread, decoding runs on decode threads (decode-thread.ts) that hand back the accepted spans
// already flattened to the rows the writer inserts, plus what the server's own thread still
// needs of them: what span listeners read, attribute samples for the catalog, the resources.
// Elsewhere (PostgreSQL, in-memory SQLite) it runs inline and hands back the records.
import type { CommittedSpan } from '../model.js';
import type { SpanBatch } from '../otlp/batches.js';
import { decodeTracesJson } from '../otlp/json-decode.js';
import type { IngestLimits } from '../otlp/limits.js';
import { decodeTraces } from '../otlp/protobuf-decode.js';
import type { OtlpEncoding } from '../otlp/responses.js';
import type { AttributeSample } from '../storage/catalog.js';
import type { StoredResource } from '../storage/write-group.js';

/** Why records of a request were refused: a count and the message for partial_success. */
export interface RejectionSummary {
  readonly count: number;
  message(noun: string): string;
}

/** The accepted spans of one request as a decode thread hands them back. */
export interface EncodedSpanBatch {
  /** Spans in the request, accepted or not. */
  received: number;
  rejections: RejectionSummary;
  /** The accepted spans, as span listeners see them. */
  spans: CommittedSpan[];
  /** Attribute samples of a few of them, for the catalog. */
  samples: AttributeSample[];
  resources: StoredResource[];
  /** The accepted spans as SQLite rows, serialized (see SqliteWriteRows.spanChunks). */
  rows: Uint8Array;
  /** The request's body as decoded (decompressed), when the decoder hands it back: what the journal keeps. */
  body?: Uint8Array;
}

export interface SpanDecoder {
  /** Resolves with the batch; throws UndecodablePayload when the body is not a request. */
  decode(body: Buffer, encoding: OtlpEncoding): Promise<SpanBatch | EncodedSpanBatch>;
  /** True when no more bodies should be taken (the receiver answers 429 before reading one). */
  readonly saturated: boolean;
  /** Resolves once the first request would not wait for the decoder to load. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** Decodes on the calling thread, into records. */
export class InlineSpanDecoder implements SpanDecoder {
  readonly saturated = false;
  readonly #limits: IngestLimits;

  constructor(limits: IngestLimits) {
    this.#limits = limits;
  }

  async decode(body: Buffer, encoding: OtlpEncoding): Promise<SpanBatch> {
    return encoding === 'protobuf' ? decodeTraces(body, this.#limits) : decodeTracesJson(body, this.#limits);
  }

  async warm(): Promise<void> {}

  async close(): Promise<void> {}
}

export function isEncoded(batch: SpanBatch | EncodedSpanBatch): batch is EncodedSpanBatch {
  return 'rows' in batch;
}
