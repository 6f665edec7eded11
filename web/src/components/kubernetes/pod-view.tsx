'use client';
// One pod: what is wrong with it first (problems in full), its containers with their state and
// last termination (OOMKilled, exit codes), the events about it, and its log.
import Link from 'next/link';
import { $api } from '../../api/client';
import { formatAgo, formatTime } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Skeleton } from '../common/skeleton';
import { Chip } from '../common/status-badge';
import { useGlobalHref } from '../frame/url-state';
import { CountCell, ProblemLine, SeverityBadge } from './badges';
import { EventsTable } from './events-table';
import { KubeFrame } from './kube-frame';
import { LogViewer } from './log-viewer';
import { describeContainerState, workloadHref } from './model';
import type { KubeContainer, KubePod } from './types';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] as const;

function containerColumns(now: number): Column<KubeContainer>[] {
  return [
    {
      key: 'name',
      header: 'Container',
      cell: (c) => (
        <div className="flex flex-col">
          <span className="font-mono text-xs font-medium">
            {c.name}
            {c.init && <span className="ml-1 font-sans text-muted">(init)</span>}
          </span>
          <span className="font-mono text-xs text-muted">{c.image}</span>
        </div>
      ),
    },
    {
      key: 'state',
      header: 'State',
      cell: (c) => {
        const bad = c.state === 'waiting' || (c.state === 'terminated' && c.reason !== 'Completed');
        return (
          <div className="flex flex-col">
            <span className={bad ? 'font-medium text-red-700 dark:text-red-300' : ''}>{describeContainerState(c)}</span>
            {c.message && <span className="max-w-xl break-words text-xs text-muted">{c.message}</span>}
            {c.started_at !== null && (
              <span className="text-xs text-muted" suppressHydrationWarning>
                started {formatAgo(c.started_at, now)}
              </span>
            )}
          </div>
        );
      },
    },
    {
      key: 'ready',
      header: 'Ready',
      cell: (c) => (c.ready ? 'yes' : <span className="font-medium text-amber-800 dark:text-amber-300">no</span>),
    },
    {
      key: 'restarts',
      header: 'Restarts',
      align: 'right',
      cell: (c) => <CountCell value={c.restarts} tone={c.restarts >= 5 ? 'critical' : 'warning'} />,
    },
    {
      key: 'last',
      header: 'Last termination',
      cell: (c) =>
        c.last_termination ? (
          <div className="flex flex-col" data-testid="last-termination">
            <span
              className={
                c.last_termination.reason === 'Completed' ? '' : 'font-semibold text-red-700 dark:text-red-300'
              }
            >
              <span>{c.last_termination.reason}</span>
              <span className="ml-1 font-normal text-muted">exit {c.last_termination.exit_code}</span>
            </span>
            {c.last_termination.finished_at !== null && (
              <span
                className="text-xs text-muted"
                title={formatTime(c.last_termination.finished_at)}
                suppressHydrationWarning
              >
                {formatAgo(c.last_termination.finished_at, now)}
              </span>
            )}
          </div>
        ) : (
          <span className="text-muted">–</span>
        ),
    },
  ];
}

function Facts({ pod }: { pod: KubePod }) {
  const href = useGlobalHref();
  const workload = pod.workload;
  const owner =
    workload && (WORKLOAD_KINDS as readonly string[]).includes(workload.kind) ? (
      <Link
        href={href(
          workloadHref({
            namespace: pod.namespace,
            kind: workload.kind as (typeof WORKLOAD_KINDS)[number],
            name: workload.name,
          }),
        )}
        className="text-accent hover:underline"
      >
        {workload.kind}/{workload.name}
      </Link>
    ) : workload ? (
      `${workload.kind}/${workload.name}`
    ) : (
      'none'
    );
  const rows: [string, React.ReactNode][] = [
    ['Namespace', pod.namespace],
    ['Phase', pod.phase],
    ['Owner', owner],
    ['Node', pod.node ?? 'not scheduled'],
    ['Pod IP', pod.pod_ip ?? '–'],
    ['Created', formatTime(pod.created_at)],
    [
      'Services',
      pod.services.length > 0 ? (
        pod.services.map((s) => <Chip key={s}>{s}</Chip>)
      ) : (
        <span key="none" className="text-muted">
          none selects it
        </span>
      ),
    ],
    [
      'Instances',
      pod.instance_ids.length > 0 ? (
        pod.instance_ids.map((id) => <Chip key={id}>{id}</Chip>)
      ) : (
        <span key="none" className="text-muted">
          no registered instance
        </span>
      ),
    ],
  ];
  return (
    <dl className="grid grid-cols-4 gap-x-6 gap-y-3 p-4 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs text-muted">{label}</dt>
          <dd className="flex min-w-0 flex-wrap gap-1" suppressHydrationWarning>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function PodView({ namespace, name }: { namespace: string; name: string }) {
  const href = useGlobalHref();
  const query = $api.useQuery('get', '/api/v1/kubernetes/namespaces/{namespace}/pods/{name}', {
    params: { path: { namespace, name } },
  });
  const pod = query.data?.pod;
  return (
    <KubeFrame
      scoped={false}
      title={<span className="font-mono">{name}</span>}
      breadcrumb={
        <Link href={href(`/kubernetes/pods?namespace=${encodeURIComponent(namespace)}`)} className="hover:underline">
          Pods in {namespace}
        </Link>
      }
      actions={
        pod && (
          <>
            <span className="text-sm text-muted">
              {pod.ready_containers}/{pod.total_containers} ready · {pod.restarts} restart
              {pod.restarts === 1 ? '' : 's'}
            </span>
            <SeverityBadge severity={pod.severity}>{pod.status}</SeverityBadge>
          </>
        )
      }
    >
      <QueryState
        query={query}
        skeleton={
          <div className="flex flex-col gap-4">
            <Skeleton className="h-32 w-full" />
            <Skeleton className="h-64 w-full" />
          </div>
        }
      >
        {(data) => (
          <div className="flex flex-col gap-4">
            {data.pod.problems.length > 0 && (
              <section
                aria-label="Problems"
                className={`rounded-lg border px-4 py-3 ${
                  data.pod.severity === 'critical'
                    ? 'border-red-500/40 bg-red-500/5'
                    : 'border-amber-500/40 bg-amber-500/5'
                }`}
              >
                <ul className="flex flex-col gap-1">
                  {data.pod.problems.map((p) => (
                    <ProblemLine key={`${p.code}:${p.container ?? ''}`} problem={p} wrap />
                  ))}
                </ul>
              </section>
            )}
            <Panel title="Pod">
              <Facts pod={data.pod} />
            </Panel>
            <Panel title="Containers">
              <DataTable
                caption="Containers"
                columns={containerColumns(Date.now())}
                rows={data.pod.containers}
                rowKey={(c) => `${c.init ? 'init:' : ''}${c.name}`}
              />
            </Panel>
            <LogViewer
              namespace={namespace}
              pod={name}
              containers={data.pod.containers}
              onLifecycle={() => void query.refetch()}
            />
            <Panel
              title={`Events (${data.events.length})`}
              actions={
                <Link
                  href={href(
                    `/kubernetes/events?namespace=${encodeURIComponent(namespace)}&kind=Pod&name=${encodeURIComponent(name)}`,
                  )}
                  className="text-sm text-accent hover:underline"
                >
                  All events about this pod
                </Link>
              }
            >
              {data.events.length === 0 ? (
                <EmptyState title="No events">Nothing was reported about this pod recently.</EmptyState>
              ) : (
                <EventsTable events={data.events} showObject={false} />
              )}
            </Panel>
          </div>
        )}
      </QueryState>
    </KubeFrame>
  );
}
