// The telemetry module's public surface for other modules and tests.
export type {
  Attributes,
  AttributeValue,
  CommittedSpan,
  LogListener,
  LogRecord,
  SpanEvent,
  SpanLink,
  SpanListener,
  SpanRecord,
} from './model.js';
export { SpanKind, StatusCode } from './model.js';
export type { TelemetryModule, TelemetryModuleOptions } from './telemetry-module.js';
export { createTelemetryModule } from './telemetry-module.js';
