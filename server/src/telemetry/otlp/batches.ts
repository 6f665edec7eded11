// What the decoders hand to ingest: the accepted records of one request, the resources they
// point to (stored once each, by a content hash), and why the others were refused.
import { createHash } from 'node:crypto';
import type { Attributes, LogRecord, SpanRecord } from '../model.js';
import type { Rejections } from './rejections.js';

export interface ResourceEntry {
  /** 16 hex characters of the SHA-1 of `json`: the same attributes always get the same id. */
  id: string;
  service: string;
  attributes: Attributes;
  json: string;
}

export interface SpanBatch {
  spans: SpanRecord[];
  /** Resource id of each span, by index. */
  resourceIds: string[];
  resources: ResourceEntry[];
  /** Spans in the request, accepted or not. */
  received: number;
  rejections: Rejections;
}

export interface LogBatch {
  logs: LogRecord[];
  /** Resource id of each log record, by index. */
  resourceIds: string[];
  resources: ResourceEntry[];
  /** Log records in the request, accepted or not. */
  received: number;
  rejections: Rejections;
}

export function resourceEntry(attributes: Attributes, service: string): ResourceEntry {
  const json = JSON.stringify(attributes);
  const id = createHash('sha1').update(json).digest('hex').slice(0, 16);
  return { id, service, attributes, json };
}
