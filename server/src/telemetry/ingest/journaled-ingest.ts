// Trace requests answered once journaled (trace-journal.ts), stored behind the answer: the
// sender waits for decoding and one append to a file, not for the spans' commit. Commits then
// take what has queued meanwhile, so they are larger and cost less per span; and the server's
// cores are not left idle while the senders wait for a commit.
//
// What the receiver promises is unchanged: a 200 survives kill -9 (the next start stores the
// journal's records again), memory and the journal are bounded (the receiver answers 429 when
// the spans journaled and not yet stored reach the queue's bound), and a commit that fails is
// tried again from the journal until it succeeds or the server stops (the record then waits for
// the next start). Queries wait, briefly, for what was journaled before they started
// (`caughtUp`), so a sender that reads right after a 200 sees its spans.
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { UndecodablePayload } from '../otlp/rejections.js';
import type { OtlpEncoding } from '../otlp/responses.js';
import type { SpanDecodeThreads } from './decode-thread.js';
import { QueueFullError } from './group-commit-queue.js';
import type { IngestService } from './ingest-service.js';
import type { EncodedSpanBatch } from './span-decoding.js';
import type { TraceJournal } from './trace-journal.js';

export interface JournaledIngestOptions {
  /** Spans journaled and not yet stored, at most (beyond it the receiver answers 429). */
  maxUnstoredSpans: number;
  logger: Logger;
  /** Where the journal's gauges and counters go; none when absent (tests). */
  registry?: Registry;
  /** First wait before a failed commit is tried again, ms; it doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * An error the store gives for these rows whatever the moment: a constraint, a type or size it
 * refuses. Anything else (busy, I/O, full disk, a writer thread that died) may pass.
 */
function isRefusedForGood(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

export class JournaledSpanIngest {
  readonly #journal: TraceJournal;
  readonly #ingest: IngestService;
  /** Decodes into rows for the writer: a journaled record is decoded again to be retried or replayed. */
  readonly #decoder: Pick<SpanDecodeThreads, 'decode'>;
  readonly #options: JournaledIngestOptions;
  readonly #retries = new Set<NodeJS.Timeout>();
  readonly #failedCommits: Counter;
  #closed = false;

  constructor(
    journal: TraceJournal,
    ingest: IngestService,
    decoder: Pick<SpanDecodeThreads, 'decode'>,
    options: JournaledIngestOptions,
  ) {
    this.#journal = journal;
    this.#ingest = ingest;
    this.#decoder = decoder;
    this.#options = options;
    const registers = options.registry ? [options.registry] : [];
    // How far storing lags behind answering: what an operator watches when the store is slow.
    new Gauge({
      name: 'signalbox_ingest_journal_unstored_spans',
      help: 'Spans answered 200 and journaled, not yet stored (queries wait for them)',
      registers,
      collect() {
        this.set(journal.unstoredItems);
      },
    });
    this.#failedCommits = new Counter({
      name: 'signalbox_ingest_journal_failed_commits_total',
      help: 'Commits of journaled spans that failed and were tried again from the journal',
      registers,
    });
  }

  /** True when no more spans may be journaled until some are stored. */
  get saturated(): boolean {
    return this.#journal.unstoredItems >= this.#options.maxUnstoredSpans;
  }

  /**
   * Journals a decoded request and queues its spans for storing; once this returns, the request
   * may be answered 200. Throws QueueFullError (answer 429) or JournalError (answer 503).
   */
  accept(batch: EncodedSpanBatch, body: Uint8Array, encoding: OtlpEncoding): void {
    const spans = batch.spans.length;
    if (spans === 0) return;
    const unstored = this.#journal.unstoredItems;
    if (unstored > 0 && unstored + spans > this.#options.maxUnstoredSpans) {
      throw new QueueFullError(
        `${unstored} spans are journaled and not yet stored (limit ${this.#options.maxUnstoredSpans})`,
      );
    }
    // Checked before the append: a request the queue would refuse is not journaled either.
    this.#ingest.checkRoom(spans);
    const seq = this.#journal.append(body, encoding, spans);
    this.#store(seq, batch, encoding, 0);
  }

  #store(seq: number, batch: EncodedSpanBatch, encoding: OtlpEncoding, attempt: number): void {
    this.#ingest.storeSpans(batch).then(
      () => this.#journal.stored(seq),
      (error: unknown) => {
        if (this.#closed) return; // stays in the journal for the next start
        if (isRefusedForGood(error)) {
          // Trying again would fail the same way, at every start: the spans are given up, loudly.
          this.#options.logger.error(
            { err: error, seq, spans: batch.spans.length },
            'the store refuses these journaled spans; they are dropped',
          );
          this.#ingest.countRefused('spans', 'refused', batch.spans.length);
          this.#journal.stored(seq);
          return;
        }
        this.#failedCommits.inc();
        this.#retryLater(seq, encoding, attempt, error, 'journaled spans could not be stored; trying again');
      },
    );
  }

  #retryLater(seq: number, encoding: OtlpEncoding, attempt: number, error: unknown, message: string): void {
    const delay = Math.min((this.#options.retryMs ?? 500) * 2 ** attempt, this.#options.maxRetryMs ?? 30_000);
    this.#options.logger.warn({ err: error, seq, retry_in_ms: delay }, message);
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      void this.#retry(seq, encoding, attempt + 1);
    }, delay);
    this.#retries.add(timer);
  }

  async #retry(seq: number, encoding: OtlpEncoding, attempt: number): Promise<void> {
    if (this.#closed) return;
    try {
      // Decoded again from the journal: the rows that went to a writer thread that died are gone.
      const body = this.#journal.read(seq);
      if (body === null) return; // stored meanwhile
      this.#store(seq, await this.#decoder.decode(body, encoding), encoding, attempt);
    } catch (error) {
      if (this.#closed) return;
      if (error instanceof UndecodablePayload) {
        // Decoded once before it was journaled: the record is damaged, and stays so.
        this.#options.logger.error({ err: error, seq }, 'a journaled request no longer decodes; it is dropped');
        this.#journal.stored(seq);
        return;
      }
      // The decode thread stopped (it starts again on the next request), or the journal could not be read.
      this.#retryLater(seq, encoding, attempt, error, 'a journaled request could not be decoded again; trying again');
    }
  }

  /**
   * Stores the records an earlier run journaled (some may be stored already: storing them again
   * adds nothing), then forgets them; if one could not be stored, they all stay for the next
   * start. Runs as the server starts, before it reports itself started.
   */
  async replay(): Promise<number> {
    let spans = 0;
    let records = 0;
    let failed = 0;
    for (const record of this.#journal.recovered()) {
      let batch: EncodedSpanBatch;
      try {
        batch = await this.#decoder.decode(record.body, record.encoding);
      } catch (error) {
        // Damaged (it decoded once, before it was journaled): nothing to keep it for.
        if (error instanceof UndecodablePayload) {
          this.#options.logger.error({ err: error, seq: record.seq }, 'a journaled request no longer decodes; skipped');
          continue;
        }
        failed++;
        this.#options.logger.error({ err: error, seq: record.seq }, 'a journaled request could not be decoded');
        continue;
      }
      try {
        await this.#ingest.storeSpans(batch, { replayed: true });
        spans += batch.spans.length;
        records++;
      } catch (error) {
        failed++;
        this.#options.logger.error({ err: error, seq: record.seq }, 'a journaled request could not be stored');
      }
    }
    if (failed === 0) this.#journal.dropRecovered();
    else this.#options.logger.warn({ failed }, 'the journal of the last run stays for the next start');
    if (records > 0) this.#options.logger.info({ records, spans }, 'stored the spans journaled before the last stop');
    return spans;
  }

  /** Resolves once what was journaled before the call is stored (or after `timeoutMs`). */
  caughtUp(timeoutMs = 2000): Promise<void> {
    return this.#journal.caughtUp(timeoutMs);
  }

  /** Stops trying failed records again (they stay journaled) and closes the journal; call after the ingest queue drained. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    this.#journal.close();
  }
}
