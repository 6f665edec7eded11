'use client';
// The breakers board: every breaker of the fleet, one row per instance, with its state, failure
// and slow-call rates and short-circuited calls; the operator commands in force; and the
// transition history of the breaker selected (or of all of them). Filters and the selection are
// in the URL (`service=`, `state=`, `breaker=service/name`). Operators get the commands.
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { $api } from '../../api/client';
import type { BreakerFleet, BreakerInstance } from '../../api/ops-types';
import { formatAgo, formatCount, formatPercent } from '../../lib/format';
import { BUTTON, INPUT } from '../access/action-dialog';
import { useAccess } from '../access/use-access';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { ActiveCommands } from './active-commands';
import { BreakerHistory } from './breaker-history';
import { BreakerStateBadge } from './breaker-state';
import { CommandDialog, type CommandTarget } from './command-dialog';

export interface BoardRow extends BreakerInstance {
  service: string;
  name: string;
  dependency: string | null;
}

export function flattenFleet(fleet: BreakerFleet): BoardRow[] {
  return fleet.services.flatMap((s) =>
    s.breakers.flatMap((b) =>
      b.instances.map((i) => ({ ...i, service: s.service, name: b.name, dependency: b.dependency })),
    ),
  );
}

const STATE_RANK: Record<string, number> = { open: 0, half_open: 1, closed: 2 };

export function BreakersView() {
  const { params, update } = useUrlState();
  const service = params.get('service') ?? '';
  const state = params.get('state') ?? '';
  const selected = params.get('breaker');
  const fleet = $api.useQuery('get', '/api/v1/breakers', { params: { query: service ? { service } : {} } });
  const { can } = useAccess();
  const [target, setTarget] = useState<CommandTarget | null>(null);

  const rows = useMemo(() => {
    const all = fleet.data ? flattenFleet(fleet.data) : [];
    return state ? all.filter((r) => r.state === state) : all;
  }, [fleet.data, state]);
  const services = fleet.data?.services.map((s) => s.service) ?? [];

  return (
    <>
      <PageHeader
        title="Circuit breakers"
        description={fleet.data ? summarize(flattenFleet(fleet.data)) : 'Every breaker the agents report'}
        actions={
          can('operator') && (
            <button type="button" className={BUTTON} onClick={() => setTarget({ scope: 'fleet' })}>
              Command the fleet…
            </button>
          )
        }
      />
      <div className="flex flex-col gap-4">
        <ActiveCommands />
        <Panel
          title="Breakers"
          actions={
            <div className="flex items-center gap-2">
              <label className="flex items-center gap-1.5 text-xs text-muted">
                Service
                <select
                  value={service}
                  onChange={(event) => update({ service: event.target.value, breaker: null })}
                  className={INPUT}
                >
                  <option value="">all</option>
                  {[...new Set([...services, ...(service ? [service] : [])])].map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex items-center gap-1.5 text-xs text-muted">
                State
                <select value={state} onChange={(event) => update({ state: event.target.value })} className={INPUT}>
                  <option value="">any</option>
                  <option value="open">open</option>
                  <option value="half_open">half-open</option>
                  <option value="closed">closed</option>
                </select>
              </label>
            </div>
          }
        >
          <QueryState
            query={fleet}
            isEmpty={() => rows.length === 0}
            empty={
              <EmptyState title={state || service ? 'No breaker matches these filters' : 'No breakers reported yet'}>
                {state || service ? (
                  'Clear the filters to see the whole fleet.'
                ) : (
                  <>
                    Breakers appear when a service wraps a call in <code className="font-mono">agent.breaker()</code>{' '}
                    and its agent reports to this control plane.
                  </>
                )}
              </EmptyState>
            }
          >
            {() => (
              <BoardTable
                rows={rows}
                selected={selected}
                onSelect={(key) => update({ breaker: key === selected ? null : key })}
                onCommand={can('operator') ? setTarget : undefined}
              />
            )}
          </QueryState>
        </Panel>
        <BreakerHistory selected={selected} service={service} onClear={() => update({ breaker: null })} />
      </div>
      <CommandDialog target={target} onClose={() => setTarget(null)} />
    </>
  );
}

function summarize(rows: readonly BoardRow[]): string {
  const open = rows.filter((r) => r.state === 'open').length;
  const half = rows.filter((r) => r.state === 'half_open').length;
  const breakers = new Set(rows.map((r) => `${r.service}/${r.name}`)).size;
  return `${breakers} breaker(s) on ${rows.length} instance(s): ${open} open, ${half} half-open`;
}

export function BoardTable({
  rows,
  selected,
  onSelect,
  onCommand,
  compact = false,
}: {
  rows: readonly BoardRow[];
  selected?: string | null;
  onSelect?: (key: string) => void;
  onCommand?: (target: CommandTarget) => void;
  compact?: boolean;
}) {
  const href = useGlobalHref();
  const now = useTimeWindow().to;
  const columns: Column<BoardRow>[] = [
    ...(compact
      ? []
      : [
          {
            key: 'service',
            header: 'Service',
            sortValue: (r: BoardRow) => r.service,
            cell: (r: BoardRow) => (
              <Link href={href(`/services/${encodeURIComponent(r.service)}`)} className="text-accent hover:underline">
                {r.service}
              </Link>
            ),
          },
        ]),
    {
      key: 'name',
      header: 'Breaker',
      sortValue: (r) => r.name,
      cell: (r) =>
        onSelect ? (
          <button
            type="button"
            aria-pressed={selected === `${r.service}/${r.name}`}
            onClick={(event) => {
              event.stopPropagation();
              onSelect(`${r.service}/${r.name}`);
            }}
            className="text-left font-mono text-xs text-accent hover:underline"
          >
            {r.name}
          </button>
        ) : (
          <span className="font-mono text-xs">{r.name}</span>
        ),
    },
    { key: 'dependency', header: 'Dependency', cell: (r) => r.dependency ?? <span className="text-muted">–</span> },
    {
      key: 'instance',
      header: 'Instance',
      sortValue: (r) => r.instance_id,
      cell: (r) => <span className="whitespace-nowrap font-mono text-xs">{r.instance_id}</span>,
    },
    {
      key: 'state',
      header: 'State',
      sortValue: (r) => STATE_RANK[r.state] ?? 3,
      cell: (r) => <BreakerStateBadge state={r.state} forced={r.forced} />,
    },
    {
      key: 'failure',
      header: 'Failure rate',
      align: 'right',
      sortValue: (r) => r.counts.failure_rate,
      cell: (r) => formatPercent(r.counts.failure_rate),
    },
    {
      key: 'slow',
      header: 'Slow calls',
      align: 'right',
      sortValue: (r) => r.counts.slow_call_rate,
      cell: (r) => formatPercent(r.counts.slow_call_rate),
    },
    {
      key: 'calls',
      header: 'Calls',
      align: 'right',
      sortValue: (r) => r.counts.calls,
      cell: (r) => formatCount(r.counts.calls),
    },
    {
      key: 'rejections',
      header: 'Short-circuited',
      align: 'right',
      sortValue: (r) => r.counts.rejections,
      cell: (r) => formatCount(r.counts.rejections),
    },
    {
      key: 'updated',
      header: 'Reported',
      align: 'right',
      sortValue: (r) => r.updated_at,
      cell: (r) => <span className="text-xs text-muted">{formatAgo(r.updated_at, now)}</span>,
    },
    ...(onCommand
      ? [
          {
            key: 'actions',
            header: <span className="sr-only">Actions</span>,
            align: 'right' as const,
            cell: (r: BoardRow) => (
              <button
                type="button"
                className={BUTTON}
                aria-label={`Command breaker ${r.name} of ${r.instance_id}`}
                onClick={(event) => {
                  event.stopPropagation();
                  onCommand({ scope: 'instance', service: r.service, instance_id: r.instance_id, breaker: r.name });
                }}
              >
                Command…
              </button>
            ),
          },
        ]
      : []),
  ];
  return (
    <div className="overflow-x-auto">
      <DataTable
        caption="Breakers"
        columns={columns}
        rows={rows}
        rowKey={(r) => `${r.service}/${r.name}/${r.instance_id}`}
        initialSort={{ key: 'state', direction: 'asc' }}
        onRowClick={onSelect ? (r) => onSelect(`${r.service}/${r.name}`) : undefined}
        selectedKey={null}
      />
    </div>
  );
}
