// What one span or log record may carry. A record over a limit is refused whole (and counted in
// the response's partial_success), never truncated or half-stored. The defaults are well above
// what the OpenTelemetry SDKs send (128 attributes, unlimited value length by default) and low
// enough that one request cannot make the server build millions of objects per record.

export interface IngestLimits {
  /** Attributes in one set (a span's, an event's, a link's, a resource's, a log record's). */
  maxAttributes: number;
  /** Values in one set counting nested array and kvlist members. */
  maxValues: number;
  /** Nesting of arrays and kvlists inside one value. */
  maxDepth: number;
  /** Length of one string or bytes value (UTF-16 code units or bytes). */
  maxValueLength: number;
  /**
   * Length of an attribute key, a span name, a service name, a scope name. Kept so that service
   * and name together stay under PostgreSQL's b-tree entry limit (~2.7 kB) in UTF-8.
   */
  maxNameLength: number;
  /** Length of a log body: a string body, or any other body rendered as JSON. */
  maxBodyLength: number;
  maxEvents: number;
  maxLinks: number;
  /** Oldest accepted time, relative to now (the retention: older data would be deleted at once). */
  maxAgeNs: bigint;
  /** Newest accepted time, relative to now (clock skew allowance). */
  maxFutureNs: bigint;
}

const HOUR_NS = 3_600_000_000_000n;

export function defaultIngestLimits(retentionHours: number): IngestLimits {
  return {
    maxAttributes: 1024,
    maxValues: 16_384,
    maxDepth: 16,
    maxValueLength: 65_536,
    maxNameLength: 256,
    maxBodyLength: 262_144,
    maxEvents: 1024,
    maxLinks: 1024,
    maxAgeNs: BigInt(retentionHours) * HOUR_NS,
    maxFutureNs: HOUR_NS,
  };
}
