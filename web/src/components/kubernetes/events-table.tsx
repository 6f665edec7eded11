'use client';
// Events (events.k8s.io/v1), newest first: Warning in amber, the object it is about, the
// reason, the note, how many times and when.
import Link from 'next/link';
import { useMemo } from 'react';
import { formatAgo, formatTime } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { useGlobalHref } from '../frame/url-state';
import { podHref } from './model';
import type { KubeEvent } from './types';

function RegardingLink({ event }: { event: KubeEvent }) {
  const href = useGlobalHref();
  const { kind, namespace, name } = event.regarding;
  const label = (
    <>
      <span className="text-muted">{kind}/</span>
      {name}
    </>
  );
  if (kind === 'Pod') {
    return (
      <Link href={href(podHref({ namespace, name }))} className="font-mono text-xs text-accent hover:underline">
        {label}
      </Link>
    );
  }
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind)) {
    return (
      <Link
        href={href(`/kubernetes/workloads/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}`)}
        className="font-mono text-xs text-accent hover:underline"
      >
        {label}
      </Link>
    );
  }
  return <span className="font-mono text-xs">{label}</span>;
}

export function EventsTable({ events, showObject = true }: { events: readonly KubeEvent[]; showObject?: boolean }) {
  const columns = useMemo<Column<KubeEvent>[]>(() => {
    const now = Date.now();
    const all: (Column<KubeEvent> | false)[] = [
      {
        key: 'last',
        header: 'Last seen',
        className: 'whitespace-nowrap',
        sortValue: (e) => -e.last_at,
        cell: (e) => (
          <span className="whitespace-nowrap text-xs text-muted" title={formatTime(e.last_at)} suppressHydrationWarning>
            {formatAgo(e.last_at, now)}
          </span>
        ),
      },
      {
        key: 'type',
        header: 'Type',
        sortValue: (e) => e.type,
        cell: (e) =>
          e.type === 'Warning' ? (
            <span className="rounded bg-amber-500/15 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:text-amber-300">
              Warning
            </span>
          ) : (
            <span className="text-xs text-muted">{e.type}</span>
          ),
      },
      {
        key: 'reason',
        header: 'Reason',
        sortValue: (e) => e.reason,
        cell: (e) => <span className="font-medium">{e.reason}</span>,
      },
      showObject && {
        key: 'object',
        header: 'Object',
        sortValue: (e) => `${e.regarding.kind}/${e.regarding.name}`,
        cell: (e) => (
          <div className="flex flex-col">
            <RegardingLink event={e} />
            <span className="text-xs text-muted">{e.namespace}</span>
          </div>
        ),
      },
      {
        key: 'note',
        header: 'Message',
        className: 'max-w-0 w-1/2',
        cell: (e) => (
          <p
            className="break-words text-xs"
            title={e.reporting_controller ? `from ${e.reporting_controller}` : undefined}
          >
            {e.note}
          </p>
        ),
      },
      {
        key: 'count',
        header: 'Count',
        align: 'right',
        sortValue: (e) => e.count,
        cell: (e) => <span title={`first ${formatTime(e.first_at)}`}>{e.count}</span>,
      },
    ];
    return all.filter((c): c is Column<KubeEvent> => c !== false);
  }, [showObject]);
  return <DataTable caption="Events" columns={columns} rows={events} rowKey={(e) => e.uid} />;
}
