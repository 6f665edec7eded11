// Main-thread side of the SQLite telemetry writer thread (sqlite-writer-worker.ts). Inserts and
// commits are most of the cost of ingest on SQLite; in a thread of their own they run on the
// other core while the server's thread decodes the next requests. Calls are answered in order;
// if the thread dies, pending calls fail (the receiver answers 503) and the next call starts a
// new one.
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { siblingModule, startWorker } from '../worker-entry.js';
import type { SqliteTelemetryAccess, SqliteWriteRows, TelemetryTable } from './sqlite-telemetry-ops.js';
import type { WriterNotice, WriterReply, WriterRequest } from './sqlite-writer-worker.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Takes back the buffers a call moved to the thread (a write's span chunks). */
  returned?(chunks: Uint8Array[]): void;
}

export class SqliteWriterError extends Error {
  override name = 'SqliteWriterError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export class SqliteWriterThread implements SqliteTelemetryAccess {
  readonly #file: string;
  readonly #logger: Logger;
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(file: string, logger: Logger) {
    this.#file = file;
    this.#logger = logger;
  }

  #start(): Worker {
    const worker = startWorker(siblingModule(import.meta.url, 'sqlite-writer-worker'), { file: this.#file });
    worker.on('message', (reply: WriterReply | WriterNotice) => {
      if ('notice' in reply) {
        this.#logger.warn(reply.notice);
        return;
      }
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (reply.chunks) pending.returned?.(reply.chunks);
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new SqliteWriterError(reply.error?.message ?? 'unknown error', reply.error?.code));
    });
    const fail = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      if (!this.#closed) this.#logger.error({ err: error }, 'the SQLite telemetry writer thread stopped');
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new SqliteWriterError(`the writer thread exited with code ${code}`)));
    return worker;
  }

  /** `moved`: buffers that go to the thread rather than being copied, and how to take them back. */
  #call<T>(
    op: WriterRequest['op'],
    args: unknown[],
    moved?: { buffers: Uint8Array[]; returned(chunks: Uint8Array[]): void },
  ): Promise<T> {
    if (this.#closed) return Promise.reject(new SqliteWriterError('the telemetry writer is closed'));
    this.#worker ??= this.#start();
    const id = this.#nextId++;
    const worker = this.#worker;
    const call = new Promise<T>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        ...(moved ? { returned: moved.returned } : {}),
      });
      try {
        const transfer = moved ? moved.buffers.map((b) => b.buffer as ArrayBuffer) : [];
        worker.postMessage({ id, op, args } satisfies WriterRequest, transfer);
      } catch (error) {
        // Not sent (a buffer already moved away): nothing will answer this call.
        this.#pending.delete(id);
        reject(new SqliteWriterError(`the call could not be sent to the writer thread: ${(error as Error).message}`));
      }
    });
    const settled = call.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return call;
  }

  /**
   * The span chunks move to the thread (no copy) and come back with the answer, in place in
   * `rows.spanChunks`, so a write that failed can be tried again. If the thread dies with them,
   * they stay empty: writing them again fails rather than store nothing.
   */
  write(rows: SqliteWriteRows): Promise<number> {
    const chunks = rows.spanChunks;
    // A moved-away buffer would be posted without error and never arrive: refuse it here.
    if (chunks.some((c) => c.byteLength === 0)) {
      return Promise.reject(new SqliteWriterError('a chunk of span rows was lost with a writer thread; send it again'));
    }
    return this.#call<number>('write', [rows], {
      buffers: chunks,
      returned(back) {
        for (let i = 0; i < chunks.length; i++) chunks[i] = back[i] as Uint8Array;
      },
    });
  }

  deleteBefore(table: TelemetryTable, service: string, cutoffNs: bigint, limit: number): Promise<number> {
    return this.#call('deleteBefore', [table, service, cutoffNs, limit]);
  }

  oldest(table: TelemetryTable, service: string): Promise<string | null> {
    return this.#call('oldest', [table, service]);
  }

  sizeBytes(): Promise<number> {
    return this.#call('sizeBytes', []);
  }

  pruneCatalogs(cutoffMs: number, resourceCutoffMs: number): Promise<void> {
    return this.#call('pruneCatalogs', [cutoffMs, resourceCutoffMs]);
  }

  /** Starts the thread and waits until it and its checkpointer have loaded and opened the file. */
  warm(): Promise<void> {
    return this.#call('warm', []);
  }

  /** Waits for the calls in flight, then closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#inFlight);
    const worker = this.#worker;
    this.#worker = null;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
    }
  }
}
