// Log search filters as they live in the URL (the same filters as the API), and the query.
import type { LogSearchQuery } from '../api/types';
import { patchQuery, toHref } from './url';

type Params = Pick<URLSearchParams, 'get' | 'getAll'>;

export interface LogFilters {
  service: string;
  minSeverity: string;
  contains: string;
  /** A template of /logs/patterns: its records. */
  pattern: string;
  attributes: string[];
  traceId: string;
}

/** No filter set: every record of the window. */
export const NO_LOG_FILTERS: Readonly<LogFilters> = {
  service: '',
  minSeverity: '',
  contains: '',
  pattern: '',
  attributes: [],
  traceId: '',
};

export function readLogFilters(params: Params): LogFilters {
  return {
    service: params.get('service') ?? '',
    minSeverity: params.get('min_severity') ?? '',
    contains: params.get('contains') ?? '',
    pattern: params.get('pattern') ?? '',
    attributes: params.getAll('attribute').filter((a) => a.includes('=')),
    traceId: params.get('trace_id') ?? '',
  };
}

export function logFilterParams(filters: LogFilters): Record<string, string | string[] | null> {
  return {
    service: filters.service || null,
    min_severity: filters.minSeverity || null,
    contains: filters.contains || null,
    pattern: filters.pattern || null,
    attribute: filters.attributes,
    trace_id: filters.traceId || null,
  };
}

/** The logs page listing a pattern's records (search mode), with the other filters kept. */
export function patternRecordsHref(filters: LogFilters, pattern: string): string {
  return toHref('/logs', patchQuery('', logFilterParams({ ...filters, pattern })));
}

/** The filters shared by /logs and /logs/tail (no time window, no paging). */
export function logFilterQuery(filters: LogFilters): Omit<LogSearchQuery, 'from' | 'to' | 'cursor' | 'limit'> {
  const query: Omit<LogSearchQuery, 'from' | 'to' | 'cursor' | 'limit'> = {};
  if (filters.service) query.service = filters.service;
  if (filters.minSeverity) query.min_severity = filters.minSeverity;
  if (filters.contains) query.contains = filters.contains;
  if (filters.pattern) query.pattern = filters.pattern;
  if (filters.attributes.length) query.attribute = filters.attributes;
  if (filters.traceId) query.trace_id = filters.traceId;
  return query;
}

/** The live tail's address on the dashboard (its /api/v1 proxy), with the same filters. */
export function tailUrl(filters: LogFilters): string {
  return toHref('/api/v1/logs/tail', patchQuery('', logFilterQuery(filters)));
}

/** How much of what came before a record, and after it, "show in context" opens. */
export const CONTEXT_BEFORE_MS = 60_000;
export const CONTEXT_AFTER_MS = 5_000;

/**
 * The logs page around one record: the same service (and instance, when its resource names
 * one), from a minute before it to a few seconds after, other filters dropped, and the record
 * marked (`focus`). Newest first, so the record sits near the top with what led to it below.
 */
export function logContextHref(log: {
  id?: number;
  service: string;
  time_at: number;
  resource: Record<string, unknown>;
}): string {
  const params = new URLSearchParams({ service: log.service });
  const instance = log.resource['service.instance.id'];
  // Quoted: an instance id of digits alone is still a string to the attribute filter.
  if (typeof instance === 'string' && instance) {
    params.append('attribute', `service.instance.id="${instance}"`);
  }
  params.set('from', new Date(log.time_at - CONTEXT_BEFORE_MS).toISOString());
  params.set('to', new Date(log.time_at + CONTEXT_AFTER_MS).toISOString());
  if (log.id !== undefined) params.set('focus', String(log.id));
  return `/logs?${params}`;
}
