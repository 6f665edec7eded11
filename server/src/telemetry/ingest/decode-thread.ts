// Main-thread side of the decode threads (decode-worker.ts). Decoding a trace request and
// flattening its spans to rows is most of the receiver's CPU per span; on threads of their own
// it runs beside the server's thread (HTTP, topology) and the SQLite writer thread. A request
// goes to the thread with the least work queued. Bodies waiting or being decoded are bounded
// (`saturated`: the receiver answers 429). A thread that dies fails its pending requests (the
// receiver answers 503) and is started again on the next request.
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { IngestLimits } from '../otlp/limits.js';
import { UndecodablePayload } from '../otlp/rejections.js';
import type { OtlpEncoding } from '../otlp/responses.js';
import { siblingModule, startWorker } from '../worker-entry.js';
import type { DecodeReply, DecodeRequest, DecodeThreadReady } from './decode-worker.js';
import type { EncodedSpanBatch, SpanDecoder } from './span-decoding.js';
import { type EncodeOptions, encodedBatch } from './span-encoding.js';

/** The decode thread stopped before it answered: retry later. */
export class DecoderUnavailableError extends Error {
  override name = 'DecoderUnavailableError';
}

export interface DecodeThreadOptions {
  threads: number;
  limits: IngestLimits;
  /** Attribute keys span listeners read; null: all. */
  attributeKeys: string[] | null;
  /** Kinds of spans whose attributes span listeners read; null: all. */
  attributeSpanKinds: number[] | null;
  samplesPerRequest: number;
  /** Bytes of bodies waiting or being decoded, at most. */
  maxPendingBytes: number;
  logger: Logger;
}

interface Pending {
  bytes: number;
  resolve(batch: EncodedSpanBatch): void;
  reject(error: Error): void;
}

interface Lane {
  worker: Worker | null;
  pending: Map<number, Pending>;
  /** Settles once the lane's thread has loaded, or has stopped trying. */
  loaded: Promise<void>;
  /** The lane's thread has loaded and can decode. */
  ready: boolean;
}

export class SpanDecodeThreads implements SpanDecoder {
  readonly #options: DecodeThreadOptions;
  readonly #lanes: Lane[];
  #nextId = 1;
  #pendingBytes = 0;
  #closed = false;
  readonly #idle: (() => void)[] = [];

  constructor(options: DecodeThreadOptions) {
    this.#options = options;
    this.#lanes = Array.from({ length: Math.max(1, options.threads) }, () => ({
      worker: null,
      pending: new Map(),
      loaded: Promise.resolve(),
      ready: false,
    }));
  }

  /** Threads running with their code loaded. */
  get readyThreads(): number {
    return this.#lanes.filter((lane) => lane.worker && lane.ready).length;
  }

  get saturated(): boolean {
    return this.#pendingBytes >= this.#options.maxPendingBytes;
  }

  #start(lane: Lane): Worker {
    const data: EncodeOptions = {
      limits: this.#options.limits,
      attributeKeys: this.#options.attributeKeys,
      attributeSpanKinds: this.#options.attributeSpanKinds,
      samplesPerRequest: this.#options.samplesPerRequest,
    };
    const worker = startWorker(siblingModule(import.meta.url, 'decode-worker'), { ...data });
    let loaded = () => {};
    lane.ready = false;
    lane.loaded = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    worker.on('message', (reply: DecodeReply | DecodeThreadReady) => {
      if ('ready' in reply) {
        lane.ready = true;
        return loaded();
      }
      const pending = lane.pending.get(reply.id);
      if (!pending) return;
      this.#settle(lane, reply.id, pending);
      if (reply.ok) pending.resolve({ ...encodedBatch(reply), body: reply.body });
      else if (reply.undecodable) pending.reject(new UndecodablePayload(reply.message));
      else pending.reject(new Error(`decoding failed: ${reply.message}`));
    });
    const fail = (error: Error) => {
      loaded();
      if (lane.worker !== worker) return;
      lane.worker = null;
      lane.ready = false;
      if (!this.#closed) this.#options.logger.error({ err: error }, 'a decode thread stopped');
      for (const [id, pending] of lane.pending) {
        this.#settle(lane, id, pending);
        pending.reject(new DecoderUnavailableError(`the decode thread stopped: ${error.message}`));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    return worker;
  }

  #settle(lane: Lane, id: number, pending: Pending): void {
    lane.pending.delete(id);
    this.#pendingBytes -= pending.bytes;
    if (this.#closed && this.#lanes.every((l) => l.pending.size === 0)) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * Starts every thread and waits until each has loaded its code (or has stopped): loading takes
   * a second or more on a busy machine, and the first request after a start should not wait for
   * it, nor time out in a sender that expects an answer within a second.
   */
  async warm(): Promise<void> {
    if (this.#closed) return;
    for (const lane of this.#lanes) lane.worker ??= this.#start(lane);
    await Promise.all(this.#lanes.map((lane) => lane.loaded));
  }

  decode(body: Buffer, encoding: OtlpEncoding): Promise<EncodedSpanBatch> {
    if (this.#closed) return Promise.reject(new DecoderUnavailableError('the receiver is shutting down'));
    let lane = this.#lanes[0] as Lane;
    for (const candidate of this.#lanes) if (candidate.pending.size < lane.pending.size) lane = candidate;
    lane.worker ??= this.#start(lane);
    const worker = lane.worker;
    const id = this.#nextId++;
    // A body that owns its memory whole moves to the thread; any other (a slice of a pooled
    // buffer) is copied.
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const request: DecodeRequest = { id, encoding, body };
    return new Promise<EncodedSpanBatch>((resolve, reject) => {
      lane.pending.set(id, { bytes: body.byteLength, resolve, reject });
      this.#pendingBytes += body.byteLength;
      worker.postMessage(request, owned ? [body.buffer as ArrayBuffer] : []);
    });
  }

  /** Waits for the requests being decoded, then stops the threads. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#lanes.some((l) => l.pending.size > 0)) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await Promise.all(
      this.#lanes.map(async (lane) => {
        const worker = lane.worker;
        lane.worker = null;
        await worker?.terminate();
      }),
    );
  }
}
