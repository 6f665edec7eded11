// How the demo's own spans (SQLite statements, published events) record a failure: the exception
// as a span event and an ERROR status with its message, as the OpenTelemetry instrumentations do.
import { type Span, SpanStatusCode } from '@opentelemetry/api';

export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
}
