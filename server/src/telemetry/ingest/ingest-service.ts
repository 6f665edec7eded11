// Takes decoded batches from the receiver, commits them through the group-commit queue, and
// after each durable commit hands the spans and records to the listeners (topology roll-ups,
// live tail).
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Attributes, CommittedSpan, LogListener, LogRecord, SpanListener, SpanRecord } from '../model.js';
import { type LogBatch, type ResourceEntry, resourceEntry, type SpanBatch } from '../otlp/batches.js';
import { type AttributeSample, SAMPLE, sampleAttributes, type TelemetryCatalog } from '../storage/catalog.js';
import type { StoredResource, TelemetryWriter } from '../storage/write-group.js';
import { GroupCommitQueue } from './group-commit-queue.js';
import { type EncodedSpanBatch, isEncoded } from './span-decoding.js';

/** One submitted batch: records (decoded here, or from producers inside the server) or spans a decode thread encoded. */
interface Pending {
  spans: SpanRecord[];
  spanResourceIds: string[];
  encoded: EncodedSpanBatch | null;
  logs: LogRecord[];
  logResourceIds: string[];
  resources: StoredResource[];
  /** Stored before (a journal's record stored again at start): listeners hear of it only if it was not. */
  replayed?: boolean;
}

export interface IngestOptions {
  maxQueuedItems: number;
  maxItemsPerCommit: number;
  maxConcurrentCommits: number;
  spanListeners: readonly SpanListener[];
  logListeners: readonly LogListener[];
  logger: Logger;
  registry: Registry;
}

export class IngestService {
  readonly #queue: GroupCommitQueue<Pending>;
  readonly #writer: TelemetryWriter;
  readonly #catalog: TelemetryCatalog;
  readonly #options: IngestOptions;
  readonly #commitSeconds: Histogram<'outcome'>;
  readonly #records: Counter<'signal' | 'outcome'>;
  #turn = 0;

  constructor(writer: TelemetryWriter, catalog: TelemetryCatalog, options: IngestOptions) {
    this.#writer = writer;
    this.#catalog = catalog;
    this.#options = options;
    this.#queue = new GroupCommitQueue((batches) => this.#commit(batches), {
      maxQueuedItems: options.maxQueuedItems,
      maxItemsPerCommit: options.maxItemsPerCommit,
      maxConcurrentCommits: options.maxConcurrentCommits,
    });
    const registers = [options.registry];
    const queue = this.#queue;
    new Gauge({
      name: 'signalbox_ingest_queue_records',
      help: 'Spans and log records accepted and waiting for (or in) a commit',
      registers,
      collect() {
        this.set(queue.heldItems);
      },
    });
    this.#commitSeconds = new Histogram({
      name: 'signalbox_ingest_commit_seconds',
      help: 'Duration of group commits of telemetry',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#records = new Counter({
      name: 'signalbox_ingest_records_total',
      help: 'Spans and log records received over OTLP, by outcome (stored, rejected, refused)',
      labelNames: ['signal', 'outcome'],
      registers,
    });
  }

  /** True when the write queue is full: the receiver refuses requests before reading them. */
  get saturated(): boolean {
    return this.#queue.full;
  }

  /** Counts records refused before storage (invalid, or the request was refused as a whole). */
  countRefused(signal: 'spans' | 'logs', outcome: 'rejected' | 'refused', count: number): void {
    if (count > 0) this.#records.inc({ signal, outcome }, count);
  }

  /** Throws QueueClosedError or QueueFullError when that many records would be refused now. */
  checkRoom(items: number): void {
    this.#queue.checkRoom(items);
  }

  /**
   * Resolves once the spans are committed; rejects with QueueFullError or the store's error.
   * `replayed`: the batch may have been stored before (a journal's record, stored again at
   * start); when it commits alone (replay stores one record at a time), listeners hear of it
   * only if the store took spans from it.
   */
  async storeSpans(batch: SpanBatch | EncodedSpanBatch, options: { replayed?: boolean } = {}): Promise<void> {
    if (batch.spans.length === 0) return;
    const pending: Pending = {
      spans: isEncoded(batch) ? [] : batch.spans,
      spanResourceIds: isEncoded(batch) ? [] : batch.resourceIds,
      encoded: isEncoded(batch) ? batch : null,
      logs: [],
      logResourceIds: [],
      resources: batch.resources,
      replayed: options.replayed,
    };
    await this.#queue.submit(pending, batch.spans.length);
  }

  /** Resolves once the log records are committed; rejects with QueueFullError or the store's error. */
  async storeLogs(batch: LogBatch): Promise<void> {
    if (batch.logs.length === 0) return;
    await this.#queue.submit(
      {
        spans: [],
        spanResourceIds: [],
        encoded: null,
        logs: batch.logs,
        logResourceIds: batch.resourceIds,
        resources: batch.resources,
      },
      batch.logs.length,
    );
  }

  /**
   * For producers inside the server (or benchmarks) that hold records rather than an OTLP
   * request: stores spans and log records through the same queue, commit and listeners. Records
   * that share a resource object share one resource row.
   */
  async storeRecords(spans: readonly SpanRecord[], logs: readonly LogRecord[]): Promise<void> {
    const entries = new Map<Attributes, ResourceEntry>();
    const idOf = (record: SpanRecord | LogRecord) => {
      let entry = entries.get(record.resource);
      if (!entry) {
        entry = resourceEntry(record.resource, record.service);
        entries.set(record.resource, entry);
      }
      return entry.id;
    };
    const pending: Pending = {
      spans: [...spans],
      spanResourceIds: spans.map(idOf),
      encoded: null,
      logs: [...logs],
      logResourceIds: logs.map(idOf),
      resources: [],
    };
    pending.resources = [...entries.values()];
    if (spans.length + logs.length === 0) return;
    await this.#queue.submit(pending, spans.length + logs.length);
  }

  async #commit(batches: Pending[]): Promise<void> {
    const started = performance.now();
    const one = batches.length === 1 ? (batches[0] as Pending) : null;
    const records = one ? one.spans : batches.flatMap((b) => b.spans);
    const logs = one ? one.logs : batches.flatMap((b) => b.logs);
    const resources = one ? one.resources : batches.flatMap((b) => b.resources);
    const turn = this.#turn++;
    const samples: AttributeSample[] = [];
    sampleAttributes(records, 'spans', SAMPLE, turn, samples);
    sampleAttributes(logs, 'logs', SAMPLE, turn, samples);
    // What listeners get: the records themselves, and the spans decode threads described.
    const parts: CommittedSpan[][] = records.length > 0 ? [records] : [];
    const spanChunks: Uint8Array[] = [];
    for (const b of batches) {
      if (!b.encoded) continue;
      parts.push(b.encoded.spans);
      spanChunks.push(b.encoded.rows);
      for (const sample of b.encoded.samples) samples.push(sample);
    }
    const spans = parts.length === 1 ? (parts[0] as CommittedSpan[]) : parts.flat();
    const nowMs = Date.now();
    const catalog = this.#catalog.collect(spans, samples, resources, nowMs);
    let stored: number | null;
    try {
      stored = await this.#writer.write({
        spans: records,
        spanResourceIds: one ? one.spanResourceIds : batches.flatMap((b) => b.spanResourceIds),
        spanChunks,
        logs,
        logResourceIds: one ? one.logResourceIds : batches.flatMap((b) => b.logResourceIds),
        ...catalog,
        nowMs,
      });
    } catch (error) {
      // The writer may have moved the chunks and handed back new ones: keep those for a retry.
      let k = 0;
      for (const b of batches) if (b.encoded) b.encoded.rows = spanChunks[k++] as Uint8Array;
      this.#commitSeconds.observe({ outcome: 'error' }, (performance.now() - started) / 1000);
      this.#options.logger.warn({ err: error, spans: spans.length, logs: logs.length }, 'telemetry commit failed');
      throw error;
    }
    this.#commitSeconds.observe({ outcome: 'ok' }, (performance.now() - started) / 1000);
    this.#catalog.written(catalog, nowMs);
    if (spans.length > 0) this.#records.inc({ signal: 'spans', outcome: 'stored' }, spans.length);
    if (logs.length > 0) this.#records.inc({ signal: 'logs', outcome: 'stored' }, logs.length);
    // A journal's record stored again whose spans were all stored before the stop: the roll-ups
    // counted them then.
    if (one?.replayed && stored === 0) return;
    // After this commit's requests are answered: listeners (the topology roll-up) are not part
    // of what a client waits for.
    setImmediate(() => this.#notify(spans, logs));
  }

  #notify(spans: readonly CommittedSpan[], logs: LogRecord[]): void {
    // A listener's failure must not fail a commit that is already durable.
    if (spans.length > 0) {
      for (const listener of this.#options.spanListeners) {
        try {
          listener.onSpans(spans);
        } catch (error) {
          this.#options.logger.error({ err: error }, 'a span listener failed');
        }
      }
    }
    if (logs.length > 0) {
      for (const listener of this.#options.logListeners) {
        try {
          listener.onLogs(logs);
        } catch (error) {
          this.#options.logger.error({ err: error }, 'a log listener failed');
        }
      }
    }
  }

  /** Refuses new batches and waits for the queued ones to be committed and handed to listeners. */
  async close(): Promise<void> {
    await this.#queue.close();
    // The last commits' listener calls were scheduled before the queue went idle; immediates run
    // in order, so they have run once this one has.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
