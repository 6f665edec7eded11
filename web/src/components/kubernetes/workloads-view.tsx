'use client';
// Deployments, StatefulSets and DaemonSets with their rollout (desired / updated / available /
// unavailable), problem pods and warning events; namespace and kind in the URL.
import Link from 'next/link';
import { useMemo } from 'react';
import { $api } from '../../api/client';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { UrlSelect, withAny } from '../common/url-select';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { CountCell } from './badges';
import { KubeFrame } from './kube-frame';
import { SEVERITY_ORDER, workloadHref } from './model';
import { RolloutBar } from './rollout-bar';
import type { KubeWorkload, WorkloadKind } from './types';

const KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

function imageTag(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1);
}

export function workloadColumns(href: (path: string) => string, showNamespace: boolean): Column<KubeWorkload>[] {
  const all: (Column<KubeWorkload> | false)[] = [
    {
      key: 'name',
      header: 'Workload',
      sortValue: (w) => w.name,
      cell: (w) => (
        <div className="flex flex-col">
          <Link href={href(workloadHref(w))} className="font-medium text-accent hover:underline">
            {w.name}
          </Link>
          <span className="text-xs text-muted">{w.kind}</span>
        </div>
      ),
    },
    showNamespace && {
      key: 'namespace',
      header: 'Namespace',
      sortValue: (w) => w.namespace,
      cell: (w) => <span className="text-xs">{w.namespace}</span>,
    },
    {
      key: 'rollout',
      header: 'Rollout',
      sortValue: (w) => SEVERITY_ORDER[w.severity] * 10 + (w.rollout.state === 'complete' ? 1 : 0),
      className: 'w-[34%]',
      cell: (w) => <RolloutBar rollout={w.rollout} />,
    },
    {
      key: 'problems',
      header: 'Problem pods',
      align: 'right',
      sortValue: (w) => w.problem_pods,
      cell: (w) => (
        <span>
          <CountCell value={w.problem_pods} tone={w.severity === 'critical' ? 'critical' : 'warning'} />
          <span className="text-muted"> / {w.pods}</span>
        </span>
      ),
    },
    {
      key: 'warnings',
      header: 'Warnings',
      align: 'right',
      sortValue: (w) => w.warning_events,
      cell: (w) => <CountCell value={w.warning_events} />,
    },
    {
      key: 'images',
      header: 'Images',
      cell: (w) => (
        <div className="flex flex-wrap gap-1">
          {w.images.map((image) => (
            <Chip key={image} title={image}>
              {imageTag(image)}
            </Chip>
          ))}
        </div>
      ),
    },
  ];
  return all.filter((c): c is Column<KubeWorkload> => c !== false);
}

export function WorkloadsView() {
  const href = useGlobalHref();
  const { params } = useUrlState();
  const namespace = params.get('namespace') || undefined;
  const kindParam = params.get('kind');
  const kind = KINDS.find((k) => k === kindParam);
  const query = $api.useQuery('get', '/api/v1/kubernetes/workloads', {
    params: { query: { namespace, kind } },
  });
  const columns = useMemo(() => workloadColumns(href, !namespace), [href, namespace]);

  return (
    <KubeFrame
      title="Workloads"
      description="Deployments, StatefulSets and DaemonSets with their rollout, problems first."
      actions={
        <UrlSelect id="kube-kind" label="Kind" param="kind" value={kind ?? ''} options={withAny('Every kind', KINDS)} />
      }
    >
      <Panel>
        <QueryState
          query={query}
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState title="No workloads here">
              {namespace
                ? `Namespace ${namespace} has no ${kind ?? 'workload'}s.`
                : 'The cluster has no workloads the source can see.'}{' '}
              Choose another namespace or kind.
            </EmptyState>
          }
        >
          {(data) => <DataTable caption="Workloads" columns={columns} rows={data.items} rowKey={(w) => w.uid} />}
        </QueryState>
      </Panel>
    </KubeFrame>
  );
}
