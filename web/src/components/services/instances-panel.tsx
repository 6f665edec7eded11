'use client';
// A service's instances: status, address, version, last check output. Selecting one (kept in
// the URL as `instance=`) shows its checks, its status sources and its status history.
import { $api } from '../../api/client';
import type { Instance } from '../../api/types';
import { formatAgo, formatDuration, formatTime } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip, STATUS_ORDER, StatusBadge } from '../common/status-badge';
import { useTimeWindow } from '../frame/time-context';
import { useUrlState } from '../frame/url-state';
import { StatusTimeline, TransitionList } from './status-timeline';

function lastOutput(instance: Instance): string {
  const check = [...instance.checks].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])[0];
  return check?.output ?? instance.status_reason ?? '';
}

export function InstancesPanel({ instances }: { instances: readonly Instance[] }) {
  const { params, update } = useUrlState();
  const selectedId = params.get('instance');
  const selected = instances.find((i) => i.id === selectedId);
  const now = useTimeWindow().to;

  const columns: Column<Instance>[] = [
    {
      key: 'id',
      header: 'Instance',
      sortValue: (i) => i.id,
      cell: (i) => (
        <button
          type="button"
          aria-pressed={i.id === selectedId}
          onClick={(event) => {
            event.stopPropagation();
            update({ instance: i.id === selectedId ? null : i.id });
          }}
          className="font-mono text-xs text-accent hover:underline"
        >
          {i.id}
        </button>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      sortValue: (i) => STATUS_ORDER[i.status],
      cell: (i) => (
        <div className="flex items-center gap-2">
          <StatusBadge status={i.status} />
          {i.flapping && <span className="text-xs text-amber-700 dark:text-amber-300">flapping</span>}
          <span className="text-xs text-muted" title={formatTime(i.status_since)}>
            {formatAgo(i.status_since, now)}
          </span>
        </div>
      ),
    },
    { key: 'address', header: 'Address', cell: (i) => <span className="font-mono text-xs">{i.address}</span> },
    { key: 'version', header: 'Version', cell: (i) => (i.version ? <Chip>{i.version}</Chip> : '–') },
    {
      key: 'output',
      header: 'Last check',
      className: 'max-w-md',
      cell: (i) => (
        <span className="block truncate font-mono text-xs text-muted" title={lastOutput(i)}>
          {lastOutput(i) || '–'}
        </span>
      ),
    },
  ];

  return (
    <Panel title={`Instances (${instances.length})`}>
      {instances.length === 0 ? (
        <EmptyState title="No live instances">
          Every instance of this service has left the live view. It comes back when an instance registers again.
        </EmptyState>
      ) : (
        <DataTable
          caption="Instances"
          columns={columns}
          rows={instances}
          rowKey={(i) => i.id}
          initialSort={{ key: 'status', direction: 'asc' }}
          onRowClick={(i) => update({ instance: i.id === selectedId ? null : i.id })}
          selectedKey={selectedId}
        />
      )}
      {selected && <InstanceDetail instance={selected} />}
    </Panel>
  );
}

function InstanceDetail({ instance }: { instance: Instance }) {
  const { from, to } = useTimeWindow();
  const history = $api.useQuery('get', '/api/v1/instances/{id}/history', {
    params: { path: { id: instance.id }, query: { limit: 200 } },
  });
  return (
    <section aria-label={`Instance ${instance.id}`} className="border-t border-line px-4 py-3">
      <h3 className="mb-2 text-sm font-medium">
        {instance.id} <span className="font-normal text-muted">status history</span>
      </h3>
      <QueryState query={history}>
        {(data) => (
          <div className="flex flex-col gap-3">
            <StatusTimeline transitions={data.transitions} from={from} to={to} current={instance.status} />
            <TransitionList transitions={data.transitions.slice(0, 20)} />
          </div>
        )}
      </QueryState>
      <div className="mt-3 grid grid-cols-2 gap-4">
        <div>
          <h4 className="mb-1 text-xs font-medium uppercase tracking-wider text-muted">Checks</h4>
          {instance.checks.length === 0 && <p className="text-sm text-muted">No active checks (heartbeat only).</p>}
          <ul className="flex flex-col gap-2">
            {instance.checks.map((check) => (
              <li key={check.id} className="rounded-md border border-line p-2">
                <div className="flex items-center justify-between gap-2">
                  <span className="text-sm font-medium">
                    {check.name}{' '}
                    <span className="font-mono text-xs text-muted">
                      {check.type.toUpperCase()} {check.path ?? ''}
                    </span>
                  </span>
                  <StatusBadge status={check.status} />
                </div>
                <p className="mt-1 break-all font-mono text-xs text-muted">{check.output ?? 'not probed yet'}</p>
                <p className="mt-0.5 text-xs text-muted">
                  every {check.interval}
                  {check.duration_ms !== null && ` · took ${formatDuration(check.duration_ms)}`}
                  {check.checked_at !== null && ` · ${formatTime(check.checked_at)}`}
                </p>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h4 className="mb-1 text-xs font-medium uppercase tracking-wider text-muted">Status sources</h4>
          <ul className="flex flex-col gap-1 text-sm">
            {instance.sources.map((source) => (
              <li key={source.source} className="flex items-center gap-2">
                <StatusBadge status={source.status} />
                <span className="font-mono text-xs">{source.source}</span>
                <span className="truncate text-xs text-muted" title={source.reason}>
                  {source.reason}
                </span>
                {source.source === instance.status_source && <span className="text-xs text-accent">decides</span>}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
