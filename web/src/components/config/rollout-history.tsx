'use client';
// Every staged rollout of the document, newest first; selecting one (`rollout=` in the URL)
// shows it in the rollout panel.
import { $api } from '../../api/client';
import { formatDuration, formatTime } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useUrlState } from '../frame/url-state';
import type { Rollout } from './rollout-figures';

export function RolloutHistory({ service, environment }: { service: string; environment: string }) {
  const { params, update } = useUrlState();
  const selected = params.get('rollout');
  const rollouts = $api.useQuery('get', '/api/v1/config/{service}/{environment}/rollouts', {
    params: { path: { service, environment } },
  });
  const columns: Column<Rollout>[] = [
    {
      key: 'version',
      header: 'Version',
      cell: (r) => (
        <button
          type="button"
          aria-pressed={r.id === selected}
          onClick={(event) => {
            event.stopPropagation();
            update({ rollout: r.id === selected ? null : r.id });
          }}
          className="font-mono text-xs text-accent hover:underline"
        >
          v{r.version}
        </button>
      ),
    },
    { key: 'status', header: 'State', cell: (r) => r.status.replace('_', ' ') },
    {
      key: 'canary',
      header: 'Canary',
      cell: (r) => (r.canary.percent !== null ? `${r.canary.percent}%` : (r.canary.instances ?? []).join(', ')),
    },
    { key: 'bake', header: 'Bake', cell: (r) => formatDuration(r.bake_ms) },
    {
      key: 'started',
      header: 'Started',
      align: 'right',
      cell: (r) => <span className="text-xs text-muted">{formatTime(r.started_at)}</span>,
    },
  ];
  return (
    <Panel title="Rollouts">
      <QueryState
        query={rollouts}
        isEmpty={(d) => d.rollouts.length === 0}
        empty={<EmptyState title="No staged rollouts">Start one from the editor’s review step.</EmptyState>}
      >
        {(data) => (
          <DataTable
            caption="Rollouts"
            columns={columns}
            rows={data.rollouts}
            rowKey={(r) => r.id}
            onRowClick={(r) => update({ rollout: r.id === selected ? null : r.id })}
            selectedKey={selected}
          />
        )}
      </QueryState>
    </Panel>
  );
}
