'use client';
// Search results: the scatter, then the list. Tick two traces to compare them.
import Link from 'next/link';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { TraceSummary } from '../../api/types';
import { formatDuration, formatTime } from '../../lib/format';
import { serviceColor } from '../../lib/service-color';
import { missingRootNote, readTraceFilters, traceQuery } from '../../lib/trace-search';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Skeleton } from '../common/skeleton';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { TraceScatter } from './trace-scatter';

export function TraceResults() {
  const { params, update } = useUrlState();
  const href = useGlobalHref();
  const { from, to } = useTimeWindow();
  const filters = readTraceFilters(params);
  const search = $api.useQuery('get', '/api/v1/traces', { params: { query: traceQuery(filters, from, to) } });
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) =>
    setPicked((current) => (current.includes(id) ? current.filter((p) => p !== id) : [...current.slice(-1), id]));

  const columns: Column<TraceSummary>[] = [
    {
      key: 'pick',
      header: <span className="sr-only">Compare</span>,
      cell: (t) => (
        <input
          type="checkbox"
          aria-label={`Pick ${t.trace_id} to compare`}
          checked={picked.includes(t.trace_id)}
          onChange={() => toggle(t.trace_id)}
          onClick={(event) => event.stopPropagation()}
        />
      ),
    },
    {
      key: 'root',
      header: 'Trace',
      sortValue: (t) => `${t.root_service} ${t.root_operation}`,
      cell: (t) => (
        <Link href={href(`/traces/${t.trace_id}`)} className="group flex flex-col">
          <span className="font-medium text-accent group-hover:underline">
            {t.root_service}: {t.root_operation}
          </span>
          <span className="font-mono text-[11px] text-muted">
            {t.trace_id}
            {!t.has_root && ` · ${missingRootNote(t, search.dataUpdatedAt || Date.now())}`}
          </span>
        </Link>
      ),
    },
    {
      key: 'services',
      header: 'Services',
      cell: (t) => (
        <div className="flex flex-wrap gap-1">
          {t.services.slice(0, 6).map((s) => (
            <span
              key={s.name}
              className="rounded px-1.5 py-0.5 text-[11px]"
              style={{ background: `${serviceColor(s.name)}22`, color: serviceColor(s.name) }}
              title={`${s.span_count} spans${s.error_count ? `, ${s.error_count} errors` : ''}`}
            >
              {s.name} {s.span_count}
            </span>
          ))}
          {t.services.length > 6 && <span className="text-[11px] text-muted">+{t.services.length - 6}</span>}
        </div>
      ),
    },
    { key: 'spans', header: 'Spans', align: 'right', sortValue: (t) => t.span_count, cell: (t) => t.span_count },
    {
      key: 'errors',
      header: 'Errors',
      align: 'right',
      sortValue: (t) => t.error_count,
      cell: (t) =>
        t.error_count ? <span className="font-medium text-red-600 dark:text-red-400">{t.error_count}</span> : '0',
    },
    {
      key: 'duration',
      header: 'Duration',
      align: 'right',
      sortValue: (t) => t.duration_ms,
      cell: (t) => formatDuration(t.duration_ms),
    },
    {
      key: 'start',
      header: 'Started',
      align: 'right',
      sortValue: (t) => t.start_at,
      cell: (t) => formatTime(t.start_at),
    },
  ];

  return (
    <QueryState
      query={search}
      skeleton={
        <Panel>
          <div className="flex flex-col gap-3 p-4">
            <Skeleton className="h-40 w-full" />
            <Skeleton className="h-6 w-full" />
            <Skeleton className="h-6 w-full" />
          </div>
        </Panel>
      }
      isEmpty={(data) => data.traces.length === 0}
      empty={
        <Panel>
          <EmptyState
            title="No traces match"
            action={
              <button
                type="button"
                className="text-accent underline"
                onClick={() =>
                  update({
                    service: null,
                    operation: null,
                    attribute: null,
                    min_duration: null,
                    max_duration: null,
                    errors: null,
                  })
                }
              >
                Clear the filters
              </button>
            }
          >
            Widen the time range or loosen the filters. Traces arrive from services that export OTLP to port 4318.
          </EmptyState>
        </Panel>
      }
    >
      {(data) => (
        // While a new search runs, the last results stay (dimmed) instead of a skeleton.
        <div
          className={`flex flex-col gap-4 transition-opacity ${search.isPlaceholderData ? 'opacity-60' : ''}`}
          aria-busy={search.isFetching}
          data-testid="trace-results"
          // The URL query these results answer: tests wait for it, since the previous answer
          // stays on screen, not busy, until the new URL has rendered.
          data-for={params.toString()}
        >
          <Panel
            title={`${data.traces.length} trace${data.traces.length === 1 ? '' : 's'}${data.truncated ? ' (search stopped early: narrow the time range)' : ''}`}
          >
            <div className="px-2 py-2">
              <TraceScatter traces={data.traces} from={from} to={to} />
            </div>
          </Panel>
          <Panel
            actions={
              <div className="flex items-center gap-3 text-sm">
                <span className="text-muted">{picked.length}/2 picked</span>
                {picked.length === 2 ? (
                  <Link
                    href={href(`/traces/compare?a=${picked[0]}&b=${picked[1]}`)}
                    className="rounded-md bg-accent px-3 py-1 font-medium text-accent-fg"
                  >
                    Compare
                  </Link>
                ) : (
                  <span className="text-muted">tick two traces to compare them</span>
                )}
              </div>
            }
            title="Traces"
          >
            <DataTable
              caption="Traces found"
              columns={columns}
              rows={data.traces}
              rowKey={(t) => t.trace_id}
              initialSort={{ key: 'start', direction: 'desc' }}
            />
          </Panel>
        </div>
      )}
    </QueryState>
  );
}
