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

// A fleet sends the same few resources in every request: their ids are remembered (per thread)
// rather than hashed again each time (a hash object costs more than the JSON of a resource).
const idsByJson = new Map<string, string>();
const REMEMBERED_IDS = 4096;

export function resourceEntry(attributes: Attributes, service: string): ResourceEntry {
  const json = JSON.stringify(attributes);
  let id = idsByJson.get(json);
  if (id === undefined) {
    id = createHash('sha1').update(json).digest('hex').slice(0, 16);
    if (idsByJson.size >= REMEMBERED_IDS) idsByJson.clear();
    idsByJson.set(json, id);
  }
  return { id, service, attributes, json };
}
