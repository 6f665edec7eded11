// The decoded, normalized telemetry records shared by the receiver (telemetry/), the stores
// and the consumers of ingested spans (topology/). Produced once at the edge from OTLP
// protobuf or JSON; nothing downstream sees OTLP's wire shapes.

/** OTLP AnyValue, normalized: arrays and key/value lists become JSON arrays and objects. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

/** OTLP Span.SpanKind numbers (the protocol's, kept as is). */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKindNumber = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP Status.StatusCode numbers. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCodeNumber = (typeof StatusCode)[keyof typeof StatusCode];

export interface SpanEvent {
  timeNs: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface SpanRecord {
  /** 32 lower-case hex characters. */
  traceId: string;
  /** 16 lower-case hex characters. */
  spanId: string;
  /** 16 hex characters, or null for a root span. */
  parentSpanId: string | null;
  /** `service.name` of the span's resource ('unknown_service' when absent, as the SDKs do). */
  service: string;
  name: string;
  kind: SpanKindNumber;
  /** Start, UTC nanoseconds since the epoch. */
  startNs: bigint;
  /** Duration in nanoseconds (end - start, never negative). */
  durationNs: bigint;
  statusCode: StatusCodeNumber;
  statusMessage: string;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  resource: Attributes;
  scopeName: string;
  scopeVersion: string;
}

export interface LogRecord {
  timeNs: bigint;
  observedTimeNs: bigint;
  /** OTLP SeverityNumber 0..24. */
  severityNumber: number;
  severityText: string;
  /** The body: a string as is, anything else as JSON text. */
  body: string;
  attributes: Attributes;
  resource: Attributes;
  service: string;
  traceId: string | null;
  spanId: string | null;
  scopeName: string;
}

/**
 * What span listeners get of a stored span: who, what, when, how it ended, and those of its
 * attributes that the listeners named (SpanListener.attributeKeys) — not the stored-only parts
 * (events, links, resource, scope). A SpanRecord is one.
 */
export interface CommittedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: SpanKindNumber;
  startNs: bigint;
  durationNs: bigint;
  statusCode: StatusCodeNumber;
  /**
   * At least the keys the listeners named, where the span has them (for spans of the kinds
   * they named); possibly more.
   */
  attributes: Attributes;
}

/** Receives spans after they are durably stored (topology roll-ups, live views). */
export interface SpanListener {
  /**
   * The attribute keys onSpans reads. The receiver may leave every other attribute out of what
   * it hands over (decoding runs on another thread, and attributes cost to move between them);
   * a listener that names none gets them all.
   */
  readonly attributeKeys?: readonly string[];
  /** The kinds of spans whose attributes onSpans reads; the others' may be left out too. */
  readonly attributeSpanKinds?: readonly SpanKindNumber[];
  onSpans(spans: readonly CommittedSpan[]): void;
}

/** Receives log records after they are durably stored (live tail). */
export interface LogListener {
  onLogs(logs: readonly LogRecord[]): void;
}
