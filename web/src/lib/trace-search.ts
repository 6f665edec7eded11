// Trace search filters as they live in the URL, and the API query they become.
import type { TraceSearchQuery, TraceSummary } from '../api/types';

type Params = Pick<URLSearchParams, 'get' | 'getAll'>;

export const TRACE_FILTER_KEYS = [
  'service',
  'operation',
  'attribute',
  'min_duration',
  'max_duration',
  'errors',
  'limit',
] as const;

export interface TraceFilters {
  service: string;
  operation: string;
  attributes: string[];
  minDuration: string;
  maxDuration: string;
  errorsOnly: boolean;
  limit: number;
}

export const LIMITS = [20, 50, 100, 500] as const;

export function readTraceFilters(params: Params): TraceFilters {
  const limit = Number(params.get('limit'));
  return {
    service: params.get('service') ?? '',
    operation: params.get('operation') ?? '',
    attributes: params.getAll('attribute').filter((a) => a.includes('=')),
    minDuration: params.get('min_duration') ?? '',
    maxDuration: params.get('max_duration') ?? '',
    errorsOnly: params.get('errors') === '1',
    limit: (LIMITS as readonly number[]).includes(limit) ? limit : 50,
  };
}

export function traceFilterParams(filters: TraceFilters): Record<string, string | string[] | null> {
  return {
    service: filters.service || null,
    operation: filters.operation || null,
    attribute: filters.attributes,
    min_duration: filters.minDuration || null,
    max_duration: filters.maxDuration || null,
    errors: filters.errorsOnly ? '1' : null,
    limit: filters.limit === 50 ? null : String(filters.limit),
  };
}

export function traceQuery(filters: TraceFilters, from: number, to: number): TraceSearchQuery {
  const query: TraceSearchQuery = { from, to, limit: filters.limit };
  if (filters.service) query.service = filters.service;
  if (filters.operation) query.operation = filters.operation;
  if (filters.attributes.length) query.attribute = filters.attributes;
  if (filters.minDuration) query.min_duration = filters.minDuration;
  if (filters.maxDuration) query.max_duration = filters.maxDuration;
  if (filters.errorsOnly) query.errors_only = true;
  return query;
}

/**
 * How long after its last span a trace may still be getting spans: exporters send in batches
 * (every 5 s by default) and retry, so the caller's root often lands after its callees' spans.
 */
export const STILL_ARRIVING_MS = 30_000;

/**
 * What the list says of a trace without a root span: recent ones are most likely still
 * arriving (as Tempo says, "not yet received"); older ones lost it.
 */
export function missingRootNote(
  trace: Pick<TraceSummary, 'has_root' | 'start_at' | 'duration_ms'>,
  nowMs: number,
): string | null {
  if (trace.has_root) return null;
  return nowMs - (trace.start_at + trace.duration_ms) < STILL_ARRIVING_MS
    ? 'root span not received yet'
    : 'root span missing';
}
