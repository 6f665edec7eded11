'use client';
// Transition history in the time window: of the breaker selected on the board, or of every
// breaker (of the service filtered on) when none is.
import { $api } from '../../api/client';
import type { BreakerTransition } from '../../api/ops-types';
import { formatTime } from '../../lib/format';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useTimeWindow } from '../frame/time-context';
import { BreakerStateBadge } from './breaker-state';

export function BreakerHistory({
  selected,
  service,
  onClear,
}: {
  selected: string | null;
  service: string;
  onClear?: () => void;
}) {
  const { from, to } = useTimeWindow();
  const slash = selected?.indexOf('/') ?? -1;
  const selService = selected && slash > 0 ? selected.slice(0, slash) : undefined;
  const selName = selected && slash > 0 ? selected.slice(slash + 1) : undefined;
  const query = {
    from,
    to,
    limit: 200,
    ...(selService ? { service: selService } : service ? { service } : {}),
    ...(selName ? { name: selName } : {}),
  };
  const transitions = $api.useQuery('get', '/api/v1/breakers/transitions', { params: { query } });
  const columns: Column<BreakerTransition>[] = [
    { key: 'at', header: 'When', cell: (t) => <span className="tabular-nums">{formatTime(t.at)}</span> },
    ...(selName
      ? []
      : [{ key: 'name', header: 'Breaker', cell: (t: BreakerTransition) => `${t.service} / ${t.name}` }]),
    { key: 'instance', header: 'Instance', cell: (t) => <span className="font-mono text-xs">{t.instance_id}</span> },
    {
      key: 'change',
      header: 'Change',
      cell: (t) => (
        <span className="inline-flex items-center gap-1.5">
          <BreakerStateBadge state={t.from} /> <span aria-hidden="true">→</span>
          <span className="sr-only">to</span> <BreakerStateBadge state={t.to} />
        </span>
      ),
    },
    { key: 'reason', header: 'Why', cell: (t) => <span className="text-xs">{t.reason}</span> },
  ];
  return (
    <Panel
      title={selName ? `History of ${selService} / ${selName}` : 'Transition history'}
      actions={
        selName &&
        onClear && (
          <button type="button" onClick={onClear} className="text-sm text-accent hover:underline">
            Show every breaker
          </button>
        )
      }
    >
      <QueryState
        query={transitions}
        isEmpty={(d) => d.transitions.length === 0}
        empty={
          <EmptyState title="No state changes in this window">
            Breakers that stayed closed have no history. Widen the time range to look further back.
          </EmptyState>
        }
      >
        {(data) => (
          <DataTable
            caption="Breaker transitions"
            columns={columns}
            rows={data.transitions}
            rowKey={(t) => `${t.at}/${t.service}/${t.name}/${t.instance_id}/${t.to}`}
          />
        )}
      </QueryState>
    </Panel>
  );
}
