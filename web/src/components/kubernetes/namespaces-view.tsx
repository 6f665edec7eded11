'use client';
// Namespaces, worst first: how many pods, problem pods, workloads, services and warning events
// each holds, each count a link to the tab that lists them.
import Link from 'next/link';
import { useMemo } from 'react';
import { $api } from '../../api/client';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useGlobalHref } from '../frame/url-state';
import { CountCell, SeverityBadge } from './badges';
import { KubeFrame } from './kube-frame';
import { SEVERITY_ORDER } from './model';
import type { KubeNamespace } from './types';

export function NamespacesView() {
  const href = useGlobalHref();
  const query = $api.useQuery('get', '/api/v1/kubernetes/namespaces');
  const columns = useMemo<Column<KubeNamespace>[]>(() => {
    const scoped = (path: string, ns: string, extra = '') =>
      href(`${path}?namespace=${encodeURIComponent(ns)}${extra}`);
    return [
      {
        key: 'name',
        header: 'Namespace',
        sortValue: (n) => n.name,
        cell: (n) => (
          <Link href={scoped('/kubernetes/pods', n.name)} className="font-medium text-accent hover:underline">
            {n.name}
          </Link>
        ),
      },
      {
        key: 'severity',
        header: 'Health',
        sortValue: (n) => SEVERITY_ORDER[n.severity],
        cell: (n) => (
          <SeverityBadge severity={n.severity}>
            {n.severity === 'ok' ? 'ok' : `${n.problem_pods} problem pod${n.problem_pods === 1 ? '' : 's'}`}
          </SeverityBadge>
        ),
      },
      { key: 'phase', header: 'Phase', cell: (n) => <span className="text-xs text-muted">{n.phase ?? '–'}</span> },
      { key: 'pods', header: 'Pods', align: 'right', sortValue: (n) => n.pods, cell: (n) => n.pods },
      {
        key: 'problems',
        header: 'Problem pods',
        align: 'right',
        sortValue: (n) => n.problem_pods,
        cell: (n) =>
          n.problem_pods > 0 ? (
            <Link href={scoped('/kubernetes/pods', n.name, '&severity=problems')} className="hover:underline">
              <CountCell value={n.problem_pods} tone={n.severity === 'critical' ? 'critical' : 'warning'} />
            </Link>
          ) : (
            <CountCell value={0} />
          ),
      },
      {
        key: 'workloads',
        header: 'Workloads',
        align: 'right',
        sortValue: (n) => n.workloads,
        cell: (n) => (
          <Link href={scoped('/kubernetes/workloads', n.name)} className="hover:underline">
            {n.workloads}
          </Link>
        ),
      },
      { key: 'services', header: 'Services', align: 'right', sortValue: (n) => n.services, cell: (n) => n.services },
      {
        key: 'warnings',
        header: 'Warning events',
        align: 'right',
        sortValue: (n) => n.warning_events,
        cell: (n) =>
          n.warning_events > 0 ? (
            <Link href={scoped('/kubernetes/events', n.name, '&type=Warning')} className="hover:underline">
              <CountCell value={n.warning_events} />
            </Link>
          ) : (
            <CountCell value={0} />
          ),
      },
    ];
  }, [href]);

  return (
    <KubeFrame
      title="Kubernetes"
      description="Namespaces in the cluster, those with problem pods first."
      scoped={false}
    >
      <Panel>
        <QueryState
          query={query}
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState title="No namespaces to show">
              The source sees no namespaces. If the server runs with <code className="font-mono">--namespaces</code>,
              check the names; otherwise check that its service account may list namespaces (see the RBAC in{' '}
              <code className="font-mono">deploy/README.md</code>).
            </EmptyState>
          }
        >
          {(data) => (
            <DataTable
              caption="Namespaces"
              columns={columns}
              rows={data.items}
              rowKey={(n) => n.name}
              initialSort={{ key: 'severity', direction: 'asc' }}
            />
          )}
        </QueryState>
      </Panel>
    </KubeFrame>
  );
}
