'use client';
// The trace's time by service and operation (lib/trace-statistics), sortable, most self time
// first: the operations that did the work, not the ones that waited on it. An operation's name
// finds its spans in the timeline.
import { useMemo } from 'react';
import { formatDuration } from '../../lib/format';
import { serviceColor } from '../../lib/service-color';
import type { SpanTree } from '../../lib/span-tree';
import type { TraceSpan } from '../../lib/trace-model';
import { type OperationStatistics, traceStatistics } from '../../lib/trace-statistics';
import { type Column, DataTable } from '../common/data-table';

/** A right-aligned, sortable duration column. */
function duration(key: string, header: string, ms: (row: OperationStatistics) => number): Column<OperationStatistics> {
  return {
    key,
    header,
    align: 'right',
    className: 'whitespace-nowrap',
    sortValue: ms,
    cell: (row) => formatDuration(ms(row)),
  };
}

export function TraceStatistics({
  tree,
  onFind,
}: {
  tree: SpanTree<TraceSpan>;
  /** Shows the operation's spans in the timeline. */
  onFind(query: string): void;
}) {
  const rows = useMemo(() => traceStatistics(tree), [tree]);
  const columns: Column<OperationStatistics>[] = [
    {
      key: 'service',
      header: 'Service',
      sortValue: (r) => r.service,
      cell: (r) => (
        <span className="border-l-[3px] pl-1.5 font-medium" style={{ borderColor: serviceColor(r.service) }}>
          {r.service}
        </span>
      ),
    },
    {
      key: 'name',
      header: 'Operation',
      sortValue: (r) => r.name,
      cell: (r) => (
        <button
          type="button"
          className="text-left text-accent hover:underline"
          title="Find these spans in the timeline"
          onClick={() => onFind(`"${r.name.replaceAll('"', '')}"`)}
        >
          {r.name}
        </button>
      ),
    },
    { key: 'count', header: 'Spans', align: 'right', sortValue: (r) => r.count, cell: (r) => r.count },
    {
      key: 'errors',
      header: 'Errors',
      align: 'right',
      sortValue: (r) => r.errors,
      cell: (r) => (r.errors ? <span className="text-red-600 dark:text-red-400">{r.errors}</span> : 0),
    },
    duration('total', 'Total', (r) => r.totalMs),
    duration('avg', 'Avg', (r) => r.totalMs / r.count),
    duration('max', 'Max', (r) => r.maxMs),
    {
      key: 'self',
      className: 'whitespace-nowrap',
      header: 'Self time',
      align: 'right',
      sortValue: (r) => r.selfMs,
      cell: (r) => (
        <span className="inline-flex items-center justify-end gap-2">
          <span className="tabular-nums">{formatDuration(r.selfMs)}</span>
          <span className="inline-block h-1.5 w-16 overflow-hidden rounded-full bg-line" aria-hidden="true">
            <span className="block h-full bg-accent" style={{ width: `${Math.round(r.selfShare * 100)}%` }} />
          </span>
          <span className="w-9 text-xs text-muted tabular-nums">{Math.round(r.selfShare * 100)}%</span>
        </span>
      ),
    },
  ];
  return (
    <div className="overflow-auto" data-testid="trace-statistics">
      <p className="border-b border-line px-3 py-2 text-xs text-muted">
        Self time is a span&apos;s duration less the time its children cover: where the work was done rather than waited
        for. Spans running at once each count their own.
      </p>
      <DataTable
        caption="Time by service and operation"
        columns={columns}
        rows={rows}
        rowKey={(r) => `${r.service}\n${r.name}`}
        initialSort={{ key: 'self', direction: 'desc' }}
      />
    </div>
  );
}
