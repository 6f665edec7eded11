'use client';
// Pods, problems first: status in the severity's colour, the problems spelled out under the
// name (CrashLoopBackOff, OOMKilled, …), readiness, restarts with the last one's age.
import Link from 'next/link';
import { useMemo } from 'react';
import { formatAgo, formatTime } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { useGlobalHref } from '../frame/url-state';
import { CountCell, ProblemList, SeverityBadge } from './badges';
import { podHref, SEVERITY_ORDER } from './model';
import type { KubePod } from './types';

export function PodsTable({
  pods,
  showNamespace = true,
  caption = 'Pods',
}: {
  pods: readonly KubePod[];
  showNamespace?: boolean;
  caption?: string;
}) {
  const href = useGlobalHref();
  const columns = useMemo<Column<KubePod>[]>(() => {
    const now = Date.now();
    const all: (Column<KubePod> | false)[] = [
      {
        key: 'name',
        header: 'Pod',
        sortValue: (p) => p.name,
        className: 'max-w-0 w-[44%]',
        cell: (p) => (
          <div className="min-w-0">
            <Link href={href(podHref(p))} className="font-mono text-xs font-medium text-accent hover:underline">
              {p.name}
            </Link>
            <ProblemList problems={p.problems} limit={2} />
          </div>
        ),
      },
      showNamespace && {
        key: 'namespace',
        header: 'Namespace',
        sortValue: (p) => p.namespace,
        cell: (p) => <span className="text-xs">{p.namespace}</span>,
      },
      {
        key: 'status',
        header: 'Status',
        sortValue: (p) => SEVERITY_ORDER[p.severity],
        cell: (p) => (
          <SeverityBadge severity={p.severity}>
            {p.deleting && p.status !== 'Terminating' ? `${p.status} (terminating)` : p.status}
          </SeverityBadge>
        ),
      },
      {
        key: 'ready',
        header: 'Ready',
        align: 'right',
        sortValue: (p) => p.ready_containers / Math.max(1, p.total_containers),
        cell: (p) => (
          <span className={p.ready_containers < p.total_containers ? 'text-amber-800 dark:text-amber-300' : ''}>
            {p.ready_containers}/{p.total_containers}
          </span>
        ),
      },
      {
        key: 'restarts',
        header: 'Restarts',
        align: 'right',
        sortValue: (p) => p.restarts,
        cell: (p) => (
          <span className="whitespace-nowrap" suppressHydrationWarning>
            <CountCell value={p.restarts} tone={p.restarts >= 5 ? 'critical' : 'warning'} />
            {p.last_restart_at !== null && (
              <span className="ml-1 text-xs text-muted" title={formatTime(p.last_restart_at)}>
                ({formatAgo(p.last_restart_at, now)})
              </span>
            )}
          </span>
        ),
      },
      {
        key: 'workload',
        header: 'Owner',
        sortValue: (p) => p.workload?.name ?? '',
        cell: (p) =>
          p.workload ? (
            <span className="text-xs">
              <span className="text-muted">{p.workload.kind} </span>
              {p.workload.name}
            </span>
          ) : (
            <span className="text-xs text-muted">none</span>
          ),
      },
      {
        key: 'node',
        header: 'Node',
        sortValue: (p) => p.node ?? '',
        cell: (p) => <span className="font-mono text-xs text-muted">{p.node ?? 'unscheduled'}</span>,
      },
      {
        key: 'age',
        header: 'Age',
        align: 'right',
        sortValue: (p) => -p.created_at,
        cell: (p) => (
          <span
            className="whitespace-nowrap text-xs text-muted"
            title={formatTime(p.created_at)}
            suppressHydrationWarning
          >
            {formatAgo(p.created_at, now).replace(' ago', '')}
          </span>
        ),
      },
    ];
    return all.filter((c): c is Column<KubePod> => c !== false);
  }, [href, showNamespace]);
  // No initial sort: the API's order is problems first, then restarts.
  return <DataTable caption={caption} columns={columns} rows={pods} rowKey={(p) => p.uid} />;
}
