'use client';
// Drift: per instance, the version it should run and the one it says it runs, whether it is in
// a baking canary, and its last acknowledgement (a rejection says why).
import { $api } from '../../api/client';
import type { ConfigInstance } from '../../api/ops-types';
import { formatAgo } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { useTimeWindow } from '../frame/time-context';

export function SyncBadge({ inSync }: { inSync: boolean }) {
  return inSync ? (
    <span className="rounded-full bg-emerald-500/12 px-2 py-0.5 text-xs font-medium text-emerald-700 dark:text-emerald-300">
      in sync
    </span>
  ) : (
    <span className="rounded-full bg-amber-500/15 px-2 py-0.5 text-xs font-medium text-amber-800 dark:text-amber-300">
      drift
    </span>
  );
}

export function ConfigDrift({ service, environment }: { service: string; environment: string }) {
  const now = useTimeWindow().to;
  const drift = $api.useQuery('get', '/api/v1/config/{service}/{environment}/instances', {
    params: { path: { service, environment } },
  });
  const columns: Column<ConfigInstance>[] = [
    {
      key: 'instance',
      header: 'Instance',
      sortValue: (i) => i.instance_id,
      cell: (i) => (
        <span className="inline-flex items-center gap-1.5">
          <span className="font-mono text-xs">{i.instance_id}</span>
          {!i.live && <span className="text-xs text-muted">(gone)</span>}
          {i.canary && <Chip title="In the canary of the baking rollout">canary</Chip>}
        </span>
      ),
    },
    {
      key: 'desired',
      header: 'Should run',
      align: 'right',
      cell: (i) => (i.desired_version === null ? '–' : `v${i.desired_version}`),
    },
    {
      key: 'applied',
      header: 'Runs',
      align: 'right',
      cell: (i) => (i.applied_version === null ? 'nothing yet' : `v${i.applied_version}`),
    },
    {
      key: 'sync',
      header: 'Drift',
      sortValue: (i) => (i.in_sync ? 1 : 0),
      cell: (i) => <SyncBadge inSync={i.in_sync} />,
    },
    {
      key: 'ack',
      header: 'Last acknowledgement',
      cell: (i) =>
        i.last_ack ? (
          <span className={i.last_ack.status === 'rejected' ? 'text-red-700 dark:text-red-300' : ''}>
            v{i.last_ack.version} {i.last_ack.status}
            {i.last_ack.reason ? `: ${i.last_ack.reason}` : ''}{' '}
            <span className="text-xs text-muted">{formatAgo(i.last_ack.at, now)}</span>
          </span>
        ) : (
          <span className="text-muted">none</span>
        ),
    },
  ];
  return (
    <Panel title="Instances">
      <QueryState
        query={drift}
        isEmpty={(d) => d.instances.length === 0}
        empty={
          <EmptyState title="No instance has asked for this document">
            Instances of {service} in {environment} connect when their agent starts with live configuration on.
          </EmptyState>
        }
      >
        {(data) => (
          <DataTable
            caption="Configuration per instance"
            columns={columns}
            rows={data.instances}
            rowKey={(i) => i.instance_id}
            initialSort={{ key: 'sync', direction: 'asc' }}
          />
        )}
      </QueryState>
    </Panel>
  );
}
