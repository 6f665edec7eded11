// Log search filters as they live in the URL (the same filters as the API), and the query.
import type { LogSearchQuery } from '../api/types';

type Params = Pick<URLSearchParams, 'get' | 'getAll'>;

export interface LogFilters {
  service: string;
  minSeverity: string;
  contains: string;
  attributes: string[];
  traceId: string;
}

export function readLogFilters(params: Params): LogFilters {
  return {
    service: params.get('service') ?? '',
    minSeverity: params.get('min_severity') ?? '',
    contains: params.get('contains') ?? '',
    attributes: params.getAll('attribute').filter((a) => a.includes('=')),
    traceId: params.get('trace_id') ?? '',
  };
}

export function logFilterParams(filters: LogFilters): Record<string, string | string[] | null> {
  return {
    service: filters.service || null,
    min_severity: filters.minSeverity || null,
    contains: filters.contains || null,
    attribute: filters.attributes,
    trace_id: filters.traceId || null,
  };
}

/** The filters shared by /logs and /logs/tail (no time window, no paging). */
export function logFilterQuery(filters: LogFilters): Omit<LogSearchQuery, 'from' | 'to' | 'cursor' | 'limit'> {
  const query: Omit<LogSearchQuery, 'from' | 'to' | 'cursor' | 'limit'> = {};
  if (filters.service) query.service = filters.service;
  if (filters.minSeverity) query.min_severity = filters.minSeverity;
  if (filters.contains) query.contains = filters.contains;
  if (filters.attributes.length) query.attribute = filters.attributes;
  if (filters.traceId) query.trace_id = filters.traceId;
  return query;
}

/** The live tail's address on the dashboard (its /api/v1 proxy), with the same filters. */
export function tailUrl(filters: LogFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(logFilterQuery(filters))) {
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1/logs/tail${search ? `?${search}` : ''}`;
}
