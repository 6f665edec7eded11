'use client';
// Two traces side by side, span by span: operations matched by their path from the root, with
// counts and total durations in each, what only one of them has, and what got slower.
import Link from 'next/link';
import { useMemo } from 'react';
import { $api } from '../../api/client';
import { formatDuration } from '../../lib/format';
import { serviceColor } from '../../lib/service-color';
import { buildSpanTree, type ComparedOperation, compareTraces } from '../../lib/span-tree';
import { type TraceModel, traceModel } from '../../lib/trace-model';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { ProblemView } from '../common/problem-view';
import { SkeletonRows } from '../common/skeleton';
import { useGlobalHref } from '../frame/url-state';

function useTrace(id: string) {
  return $api.useQuery(
    'get',
    '/api/v1/traces/{traceId}/compact',
    { params: { path: { traceId: id } } },
    { enabled: /^[0-9a-f]{32}$/.test(id), refetchInterval: false, staleTime: 60_000, select: traceModel },
  );
}

export function TraceCompare({ a, b }: { a: string; b: string }) {
  const href = useGlobalHref();
  const left = useTrace(a);
  const right = useTrace(b);
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href={href('/traces')} className="hover:underline">
            Traces
          </Link>
        }
        title="Compare traces"
        description="Spans matched by their path from the root (service:operation at each level)."
      />
      {!/^[0-9a-f]{32}$/.test(a) || !/^[0-9a-f]{32}$/.test(b) ? (
        <Panel>
          <EmptyState title="Pick two traces">
            Open{' '}
            <Link href={href('/traces')} className="text-accent underline">
              Traces
            </Link>
            , tick two results and press Compare, or add <code className="font-mono">?a=…&b=…</code> (32-hex trace ids)
            to this address.
          </EmptyState>
        </Panel>
      ) : left.error || right.error ? (
        <ProblemView error={left.error ?? right.error} />
      ) : !left.data || !right.data ? (
        <Panel>
          <SkeletonRows rows={8} />
        </Panel>
      ) : (
        <Comparison a={left.data} b={right.data} />
      )}
    </>
  );
}

function Comparison({ a, b }: { a: TraceModel; b: TraceModel }) {
  const href = useGlobalHref();
  const rows = useMemo(() => compareTraces(buildSpanTree(a.spans), buildSpanTree(b.spans)), [a, b]);
  const changed = rows.filter(
    (r) => r.countA !== r.countB || Math.abs(r.durationB - r.durationA) > 0.2 * Math.max(r.durationA, 1),
  );
  return (
    <Panel
      title={
        <span className="flex gap-6">
          <Link href={href(`/traces/${a.traceId}`)} className="text-accent hover:underline">
            A: {formatDuration(a.summary.duration_ms)}, {a.summary.span_count} spans
          </Link>
          <Link href={href(`/traces/${b.traceId}`)} className="text-accent hover:underline">
            B: {formatDuration(b.summary.duration_ms)}, {b.summary.span_count} spans
          </Link>
          <span className="font-normal text-muted">
            {changed.length} of {rows.length} operations differ
          </span>
        </span>
      }
    >
      <table className="w-full text-xs">
        <thead>
          <tr className="border-b border-line text-left uppercase tracking-wider text-muted">
            <th scope="col" className="px-3 py-2 font-medium">
              Operation
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Spans A
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Spans B
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Time A
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Time B
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <CompareRow key={row.path} row={row} />
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function CompareRow({ row }: { row: ComparedOperation }) {
  const onlyA = row.countB === 0;
  const onlyB = row.countA === 0;
  const delta = row.durationB - row.durationA;
  const ratio = row.durationA > 0 ? delta / row.durationA : 0;
  const tone = onlyA
    ? 'bg-red-500/8 line-through decoration-red-500/60'
    : onlyB
      ? 'bg-emerald-500/10'
      : ratio > 0.2 && delta > 1
        ? 'bg-amber-500/10'
        : '';
  return (
    <tr className={`border-b border-line/60 ${tone}`}>
      <td className="py-1 pr-3" style={{ paddingLeft: 12 + Math.min(row.depth, 30) * 14 }}>
        <span style={{ color: serviceColor(row.service) }}>{row.service}</span> {row.name}
        {onlyA && <span className="ml-2 text-red-600 no-underline dark:text-red-400">only in A</span>}
        {onlyB && <span className="ml-2 text-emerald-700 dark:text-emerald-300">only in B</span>}
      </td>
      <td className="px-3 py-1 text-right tabular-nums">{row.countA}</td>
      <td className="px-3 py-1 text-right tabular-nums">{row.countB}</td>
      <td className="px-3 py-1 text-right tabular-nums">{row.countA ? formatDuration(row.durationA) : '–'}</td>
      <td className="px-3 py-1 text-right tabular-nums">{row.countB ? formatDuration(row.durationB) : '–'}</td>
      <td
        className={`px-3 py-1 text-right tabular-nums ${delta > 0 ? 'text-red-600 dark:text-red-400' : delta < 0 ? 'text-emerald-700 dark:text-emerald-300' : ''}`}
      >
        {onlyA || onlyB
          ? ''
          : `${delta >= 0 ? '+' : '−'}${formatDuration(Math.abs(delta))}${row.durationA > 0 ? ` (${Math.round(ratio * 100)}%)` : ''}`}
      </td>
    </tr>
  );
}
