// A bounded queue in front of an exporter. Items wait here while the control plane is slow or
// down; when the queue is full, new items are dropped and counted (the host never pays with
// memory). One export runs at a time; a batch that fails for a reason worth retrying stays at
// the head of the queue and is tried again after a capped backoff, so a short outage loses
// nothing. A batch the receiver refuses outright (4xx) is dropped and counted as rejected.
import { Backoff } from '../backoff.js';
import { settleWithin } from '../deadline.js';
import type { AgentLogger } from '../logger.js';
import type { QueueSettings } from '../settings.js';

export type ExportOutcome = { code: 'success' } | { code: 'retryable' | 'rejected'; error: string };

/** Sends one batch; resolves with an outcome, never rejects. */
export type BatchExport<T> = (batch: T[]) => Promise<ExportOutcome>;

export interface ExportQueueStats {
  /** Waiting to be sent now. */
  queued: number;
  /** Accepted by the receiver. */
  exported: number;
  /** Dropped because the queue was full, or still queued when shutdown's deadline passed. */
  dropped: number;
  /** Refused by the receiver (4xx other than 408/429): never retried. */
  rejected: number;
  /** Export attempts that failed (each retry counts). */
  failedExports: number;
  lastError: string | undefined;
}

export class ExportQueue<T> {
  private items: T[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private stopped = false;
  private failingSince: number | undefined;
  private readonly backoff: Backoff;
  private readonly counters = { exported: 0, dropped: 0, rejected: 0, failedExports: 0 };
  private lastError: string | undefined;

  constructor(
    private readonly signal: string,
    private readonly send: BatchExport<T>,
    private readonly settings: QueueSettings,
    private readonly logger: AgentLogger,
  ) {
    this.backoff = new Backoff({ initialMs: settings.retryInitialMs, maxMs: settings.retryMaxMs });
  }

  /** Adds an item; false (and counted) when the queue is full or shut down. */
  push(item: T): boolean {
    if (this.stopped || this.items.length >= this.settings.maxQueueSize) {
      this.counters.dropped += 1;
      return false;
    }
    this.items.push(item);
    if (this.items.length >= this.settings.maxBatchSize && this.inFlight === undefined && Date.now() >= this.retryAt) {
      this.exportNow();
    } else {
      this.arm(this.settings.exportIntervalMs);
    }
    return true;
  }

  stats(): ExportQueueStats {
    return { queued: this.items.length, ...this.counters, lastError: this.lastError };
  }

  /**
   * Sends everything queued, ignoring the retry backoff, until the queue is empty, an export
   * fails, or the deadline passes. Resolves true when everything queued was sent.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const failuresBefore = this.counters.failedExports;
    while (Date.now() < deadline) {
      // Best effort: one failed export ends the flush (the receiver is down; do not spin).
      if (this.counters.failedExports > failuresBefore) return false;
      if (this.inFlight) {
        await settleWithin(this.inFlight, deadline - Date.now());
        continue;
      }
      if (this.items.length === 0) return true;
      this.retryAt = 0;
      this.exportNow();
    }
    return this.items.length === 0 && this.inFlight === undefined;
  }

  /** Flushes within the deadline, then drops (and counts) whatever is left. Idempotent. */
  async shutdown(timeoutMs: number): Promise<boolean> {
    if (this.stopped) return this.items.length === 0;
    const flushed = await this.flush(timeoutMs);
    this.stopped = true;
    clearTimeout(this.timer);
    this.counters.dropped += this.items.length;
    this.items = [];
    return flushed;
  }

  private arm(delayMs: number): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.exportNow();
    }, delayMs);
    this.timer.unref();
  }

  private exportNow(): void {
    if (this.inFlight !== undefined || this.items.length === 0) return;
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      this.arm(wait);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.items.slice(0, this.settings.maxBatchSize);
    this.inFlight = this.send(batch)
      .catch((error: unknown): ExportOutcome => ({ code: 'retryable', error: String(error) }))
      .then((outcome) => this.settle(batch.length, outcome))
      .finally(() => {
        this.inFlight = undefined;
        if (this.items.length >= this.settings.maxBatchSize) this.exportNow();
        else if (this.items.length > 0) this.arm(Math.max(this.retryAt - Date.now(), this.settings.exportIntervalMs));
      });
  }

  private settle(size: number, outcome: ExportOutcome): void {
    if (outcome.code === 'success') {
      this.items.splice(0, size);
      this.counters.exported += size;
      this.retryAt = 0;
      this.backoff.reset();
      if (this.failingSince !== undefined) {
        this.logger.info(
          { signal: this.signal, down_for_ms: Date.now() - this.failingSince, queued: this.items.length },
          'telemetry export resumed',
        );
        this.failingSince = undefined;
      }
      return;
    }
    this.counters.failedExports += 1;
    this.lastError = outcome.error;
    if (outcome.code === 'rejected') {
      this.items.splice(0, size);
      this.counters.rejected += size;
      this.logger.warn(
        { signal: this.signal, error: outcome.error, items: size },
        'receiver refused a telemetry batch',
      );
      return;
    }
    // Keep the batch at the head and try again later; new items wait behind it up to the bound.
    const delay = this.backoff.next();
    this.retryAt = Date.now() + delay;
    if (this.failingSince === undefined) {
      this.failingSince = Date.now();
      this.logger.warn(
        { signal: this.signal, error: outcome.error, retry_in_ms: delay, max_queue_size: this.settings.maxQueueSize },
        'telemetry export failed; buffering (bounded) and retrying with backoff',
      );
    }
  }
}
