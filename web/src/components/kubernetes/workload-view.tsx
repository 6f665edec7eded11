'use client';
// One workload: its rollout in full, its pods (problems first) and the events about it, its
// ReplicaSets and its pods.
import Link from 'next/link';
import { $api } from '../../api/client';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { useGlobalHref } from '../frame/url-state';
import { SeverityBadge } from './badges';
import { EventsTable } from './events-table';
import { KubeFrame } from './kube-frame';
import { PodsTable } from './pods-table';
import { RolloutBar } from './rollout-bar';
import type { WorkloadKind } from './types';

export function WorkloadView({ namespace, kind, name }: { namespace: string; kind: WorkloadKind; name: string }) {
  const href = useGlobalHref();
  const query = $api.useQuery('get', '/api/v1/kubernetes/namespaces/{namespace}/workloads/{kind}/{name}', {
    params: { path: { namespace, kind, name } },
  });
  return (
    <KubeFrame
      scoped={false}
      title={name}
      breadcrumb={
        <>
          <Link
            href={href(`/kubernetes/workloads?namespace=${encodeURIComponent(namespace)}`)}
            className="hover:underline"
          >
            Workloads in {namespace}
          </Link>{' '}
          / {kind}
        </>
      }
      actions={query.data && <SeverityBadge severity={query.data.workload.severity} />}
    >
      <QueryState query={query}>
        {(data) => (
          <div className="flex flex-col gap-4">
            <Panel title="Rollout">
              <div className="flex items-start gap-8 p-4">
                <div className="w-1/2">
                  <RolloutBar rollout={data.workload.rollout} />
                </div>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                  <dt className="text-muted">Revision</dt>
                  <dd>{data.workload.rollout.revision ?? '–'}</dd>
                  <dt className="text-muted">Images</dt>
                  <dd className="flex flex-wrap gap-1">
                    {data.workload.images.map((image) => (
                      <Chip key={image}>{image}</Chip>
                    ))}
                  </dd>
                  <dt className="text-muted">Selector</dt>
                  <dd className="font-mono">
                    {Object.entries(data.workload.selector)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(', ')}
                  </dd>
                </dl>
              </div>
            </Panel>
            <Panel title={`Pods (${data.pods.length})`}>
              {data.pods.length === 0 ? (
                <EmptyState title="No pods">
                  The workload has no pods now (scaled to zero, or not scheduled yet).
                </EmptyState>
              ) : (
                <PodsTable pods={data.pods} showNamespace={false} />
              )}
            </Panel>
            <Panel title={`Events (${data.events.length})`}>
              {data.events.length === 0 ? (
                <EmptyState title="No events">
                  Nothing was reported about this workload or its pods recently.
                </EmptyState>
              ) : (
                <EventsTable events={data.events} />
              )}
            </Panel>
          </div>
        )}
      </QueryState>
    </KubeFrame>
  );
}
