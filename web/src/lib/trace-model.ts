// The trace pages' model, made once from the API's compact trace (GET /traces/{id}/compact):
// each span holds its resource and scope (objects shared by the spans of one process) and its
// times as numbers, ns after the trace start, so nothing downstream parses a BigInt per span.
import type { CompactTrace } from '../api/types';

type CompactSpan = CompactTrace['spans'][number];

export type TraceSpan = Omit<CompactSpan, 'status_message' | 'events' | 'links' | 'resource' | 'scope'> & {
  status_message: string;
  events: NonNullable<CompactSpan['events']>;
  links: NonNullable<CompactSpan['links']>;
  resource: CompactTrace['resources'][number];
  scope: CompactTrace['scopes'][number];
};

export interface TraceModel {
  traceId: string;
  summary: CompactTrace['summary'];
  /** Epoch ns that the spans' `start_offset_ns` count from. */
  startNs: bigint;
  spans: TraceSpan[];
}

const NO_RESOURCE: CompactTrace['resources'][number] = {};
const NO_SCOPE: CompactTrace['scopes'][number] = { name: '', version: '' };
const NONE: never[] = [];

export function traceModel(trace: CompactTrace): TraceModel {
  const { resources, scopes } = trace;
  return {
    traceId: trace.trace_id,
    summary: trace.summary,
    startNs: BigInt(trace.summary.start_ns),
    spans: trace.spans.map((s) => ({
      span_id: s.span_id,
      parent_span_id: s.parent_span_id,
      service: s.service,
      name: s.name,
      kind: s.kind,
      start_offset_ns: s.start_offset_ns,
      duration_ns: s.duration_ns,
      status: s.status,
      status_message: s.status_message ?? '',
      attributes: s.attributes,
      events: s.events ?? NONE,
      links: s.links ?? NONE,
      resource: resources[s.resource] ?? NO_RESOURCE,
      scope: scopes[s.scope] ?? NO_SCOPE,
      log_count: s.log_count,
    })),
  };
}

/** A span's start as epoch ns. */
export function spanStartNs(trace: Pick<TraceModel, 'startNs'>, span: Pick<TraceSpan, 'start_offset_ns'>): bigint {
  return trace.startNs + BigInt(span.start_offset_ns);
}
