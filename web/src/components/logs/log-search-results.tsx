'use client';
// Log search over the time window, newest first, a page at a time ("Load older").
import { useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../api/client';
import type { LogPage } from '../../api/types';
import { type LogFilters, logFilterQuery } from '../../lib/log-search';
import { EmptyState } from '../common/empty-state';
import { ProblemView } from '../common/problem-view';
import { SkeletonRows } from '../common/skeleton';
import { useTimeWindow } from '../frame/time-context';
import { useUrlState } from '../frame/url-state';
import { LogLine } from './log-line';

const PAGE = 200;

export function LogSearchResults({ filters }: { filters: LogFilters }) {
  const { from, to } = useTimeWindow();
  const focus = Number(useUrlState().params.get('focus') ?? Number.NaN);
  const query = { ...logFilterQuery(filters), from, to, limit: PAGE };
  const pages = useInfiniteQuery({
    queryKey: ['get', '/api/v1/logs', { params: { query } }, 'pages'],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }): Promise<LogPage> => {
      const { data, error } = await apiClient.GET('/api/v1/logs', {
        params: { query: pageParam ? { ...query, cursor: pageParam } : query },
        signal,
      });
      if (error) throw error;
      return data;
    },
    getNextPageParam: (last) => last.next_cursor,
  });

  if (pages.error && !pages.data) return <ProblemView error={pages.error} onRetry={() => void pages.refetch()} />;
  if (!pages.data) return <SkeletonRows rows={10} label="Loading logs" />;
  const logs = pages.data.pages.flatMap((page) => page.logs);
  if (logs.length === 0) {
    return (
      <EmptyState title="No log records match">
        Widen the time range or loosen the filters. Logs arrive from services that export OTLP logs to port 4318 (the
        Signalbox agent does, from pino).
      </EmptyState>
    );
  }
  return (
    <>
      <ol className="divide-y divide-line/50" aria-label="Log records, newest first">
        {logs.map((log) => (
          <LogLine key={log.id} log={log} focused={log.id === focus} />
        ))}
      </ol>
      <div className="flex items-center justify-between border-t border-line px-4 py-2 text-sm">
        <span className="text-muted">{logs.length} records</span>
        {pages.hasNextPage ? (
          <button
            type="button"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
            className="rounded-md border border-line px-3 py-1 hover:bg-raised disabled:opacity-60"
          >
            {pages.isFetchingNextPage ? 'Loading…' : 'Load older'}
          </button>
        ) : (
          <span className="text-muted">That is all in this window.</span>
        )}
      </div>
    </>
  );
}
