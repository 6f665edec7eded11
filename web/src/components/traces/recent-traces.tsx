'use client';
// A service's most recent traces, or its most recent failed ones, in the time window.
import Link from 'next/link';
import { $api } from '../../api/client';
import { formatDuration, formatTime } from '../../lib/format';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref } from '../frame/url-state';

export function RecentTraces({ service, errorsOnly }: { service: string; errorsOnly: boolean }) {
  const { from, to } = useTimeWindow();
  const href = useGlobalHref();
  const traces = $api.useQuery('get', '/api/v1/traces', {
    params: { query: { service, from, to, limit: 10, ...(errorsOnly ? { errors_only: true } : {}) } },
  });
  const more = `/traces?service=${encodeURIComponent(service)}${errorsOnly ? '&errors=1' : ''}`;
  return (
    <Panel
      title={errorsOnly ? 'Recent errors' : 'Recent traces'}
      actions={
        <Link href={href(more)} className="text-sm text-accent hover:underline">
          Search all
        </Link>
      }
    >
      <QueryState
        query={traces}
        isEmpty={(data) => data.traces.length === 0}
        empty={
          <EmptyState title={errorsOnly ? 'No failed traces in this window' : 'No traces in this window'}>
            {errorsOnly ? 'Nothing involving this service failed.' : 'Widen the time range to look further back.'}
          </EmptyState>
        }
      >
        {(data) => (
          <ul className="divide-y divide-line/70">
            {data.traces.map((t) => (
              <li key={t.trace_id} className="flex items-center justify-between gap-3 px-4 py-1.5 text-sm">
                <Link href={href(`/traces/${t.trace_id}`)} className="min-w-0 truncate text-accent hover:underline">
                  {t.root_service}: {t.root_operation}
                </Link>
                <span className="flex shrink-0 gap-3 text-xs tabular-nums text-muted">
                  {t.error_count > 0 && <span className="text-red-600 dark:text-red-400">{t.error_count} errors</span>}
                  <span>{formatDuration(t.duration_ms)}</span>
                  <span>{formatTime(t.start_at)}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Panel>
  );
}
