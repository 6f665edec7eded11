// The OpenTelemetry SDK's hooks for finished spans and emitted log records, feeding the bounded
// export queues. The queues, not the SDK's batch processors, hold telemetry so that the agent
// can keep a failed batch for retry and count every item it drops (agent.stats()).
import { TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ExportOutcome, ExportQueue } from './export-queue.js';

/** How long the SDK's own forceFlush()/shutdown() may wait on a queue (agent.shutdown() has its own deadline). */
const SDK_FLUSH_TIMEOUT_MS = 5_000;

export class QueueSpanProcessor implements SpanProcessor {
  constructor(private readonly queue: ExportQueue<ReadableSpan>) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.queue.push(span);
  }

  async forceFlush(): Promise<void> {
    await this.queue.flush(SDK_FLUSH_TIMEOUT_MS);
  }

  async shutdown(): Promise<void> {
    await this.queue.shutdown(SDK_FLUSH_TIMEOUT_MS);
  }
}

export class QueueLogRecordProcessor implements LogRecordProcessor {
  constructor(private readonly queue: ExportQueue<ReadableLogRecord>) {}

  onEmit(record: SdkLogRecord): void {
    this.queue.push(record);
  }

  async forceFlush(): Promise<void> {
    await this.queue.flush(SDK_FLUSH_TIMEOUT_MS);
  }

  async shutdown(): Promise<void> {
    await this.queue.shutdown(SDK_FLUSH_TIMEOUT_MS);
  }
}

/** The callback-style OTLP exporters (@opentelemetry/exporter-*-otlp-proto and -otlp-http). */
export interface CallbackExporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
}

/** Adapts an OTLP exporter to the queue: a promise of an outcome that says whether to retry. */
export function exportWith<T>(exporter: CallbackExporter<T>): (batch: T[]) => Promise<ExportOutcome> {
  return (batch) =>
    new Promise((resolve) => {
      try {
        exporter.export(batch, (result) => resolve(classify(result)));
      } catch (error) {
        // Serialization failed: the same batch would fail again.
        resolve({ code: 'rejected', error: String(error) });
      }
    });
}

function classify(result: ExportResult): ExportOutcome {
  if (result.code === ExportResultCode.SUCCESS) return { code: 'success' };
  const error = result.error;
  const status = (error as { code?: unknown } | undefined)?.code;
  const message = describe(error);
  // The exporter has already retried 429/502/503/504 and network errors within its timeout; a
  // remaining 4xx means the receiver will not take this batch, ever.
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { code: 'rejected', error: message };
  }
  return { code: 'retryable', error: message };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return error === undefined ? 'export failed' : String(error);
  const code = (error as { code?: unknown }).code;
  return code === undefined ? error.message : `${String(code)} ${error.message}`.trim();
}
