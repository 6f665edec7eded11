// One transaction's worth of telemetry: the records of every request grouped into one commit,
// and the resource and catalog rows that are new (or due for a refresh) among them.
import type { LogRecord, SpanRecord } from '../model.js';

export type Signal = 'spans' | 'logs';

export interface OperationEntry {
  service: string;
  name: string;
  kind: number;
}

export interface AttributeKeyEntry {
  signal: Signal;
  service: string;
  key: string;
  valueType: string;
}

export interface AttributeValueEntry {
  signal: Signal;
  service: string;
  key: string;
  value: string;
}

/** A resource as stored: its id (a hash of `json`), service and attributes as JSON. */
export interface StoredResource {
  id: string;
  service: string;
  json: string;
}

export interface CatalogEntries {
  resources: StoredResource[];
  operations: OperationEntry[];
  attributeKeys: AttributeKeyEntry[];
  attributeValues: AttributeValueEntry[];
}

export interface WriteGroup extends CatalogEntries {
  spans: SpanRecord[];
  /** Resource id of each span, by index. */
  spanResourceIds: string[];
  /** SQLite only: more spans, as rows serialized by the decode thread (see SqliteWriteRows). */
  spanChunks: Uint8Array[];
  logs: LogRecord[];
  /** Resource id of each log record, by index. */
  logResourceIds: string[];
  nowMs: number;
}

/**
 * Writes one group in one transaction: all of it or nothing. Resolves with how many spans and
 * log records it stored (spans already stored are not stored again), or null where the writer
 * does not count them.
 */
export interface TelemetryWriter {
  write(group: WriteGroup): Promise<number | null>;
}
