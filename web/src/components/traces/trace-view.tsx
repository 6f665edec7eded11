'use client';
// One trace: summary, the waterfall with the critical path and a find bar, or the time by
// operation; the selected span's details and the trace's logs beside it. The URL holds the
// selection (`span=`), the find (`find=`), the view (`view=statistics`) and whether the critical
// path is highlighted (`cp=0`: not). The trace downloads as OTLP/JSON.
import Link from 'next/link';
import { type FormEvent, useCallback, useDeferredValue, useMemo } from 'react';
import { $api } from '../../api/client';
import { toProblem } from '../../api/problem';
import { formatDuration, formatTime } from '../../lib/format';
import { serviceColor } from '../../lib/service-color';
import { buildSpanTree, criticalPath } from '../../lib/span-tree';
import { spanFinder } from '../../lib/trace-find';
import { spanStartNs, type TraceModel, traceModel } from '../../lib/trace-model';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Skeleton } from '../common/skeleton';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { SpanDetails } from './span-details';
import { TraceFind } from './trace-find';
import { TraceLogs } from './trace-logs';
import { TraceStatistics } from './trace-statistics';
import { Waterfall } from './waterfall';

export function TraceView({ traceId }: { traceId: string }) {
  const href = useGlobalHref();
  // A trace does not change once complete; no auto-refresh here. The compact form is about half
  // the JSON of the full one for a big trace, and is turned into the page's model once (select).
  const trace = $api.useQuery(
    'get',
    '/api/v1/traces/{traceId}/compact',
    { params: { path: { traceId } } },
    { refetchInterval: false, staleTime: 60_000, select: traceModel },
  );
  // The API's error type is not declared (only 2xx responses are), so it is unknown here.
  const error: unknown = trace.error;
  const notFound = error !== null && toProblem(error).status === 404;
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href={href('/traces')} className="hover:underline">
            Traces
          </Link>
        }
        title={trace.data ? `${trace.data.summary.root_service}: ${trace.data.summary.root_operation}` : 'Trace'}
        description={<span className="font-mono">{traceId}</span>}
      />
      {notFound ? (
        <Panel>
          <EmptyState
            title="Trace not found"
            action={
              <div className="flex items-center gap-4 text-sm">
                <button type="button" className="text-accent underline" onClick={() => void trace.refetch()}>
                  Try again
                </button>
                <Link href={href('/traces')} className="text-accent underline">
                  Search traces
                </Link>
              </div>
            }
          >
            No span of this trace is stored. It may be older than the retention period, still on its way (exporters send
            in batches every few seconds), or never exported (sampled out, or sent elsewhere).
          </EmptyState>
        </Panel>
      ) : (
        <QueryState
          query={trace}
          skeleton={
            <Panel>
              <div className="flex flex-col gap-2 p-4">
                {Array.from({ length: 10 }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholders
                  <Skeleton key={i} className="h-5" />
                ))}
              </div>
            </Panel>
          }
        >
          {(data) => <Trace data={data} />}
        </QueryState>
      )}
    </>
  );
}

function Trace({ data }: { data: TraceModel }) {
  const { params, update } = useUrlState();
  const href = useGlobalHref();
  const tree = useMemo(() => buildSpanTree(data.spans), [data.spans]);
  const critical = useMemo(() => criticalPath(tree), [tree]);
  const selected = params.get('span');
  const showCritical = params.get('cp') !== '0';
  const select = useCallback((spanId: string | null) => update({ span: spanId }, { history: 'replace' }), [update]);
  const node = selected ? tree.byId.get(selected) : undefined;
  const { summary } = data;
  const statistics = params.get('view') === 'statistics';
  const finder = useMemo(() => spanFinder(tree), [tree]);
  // Typing stays responsive on a 10,000-span trace: matching runs after the keystroke renders.
  const query = useDeferredValue(params.get('find') ?? '');
  const found = useMemo(() => finder.find(query), [finder, query]);
  const matches = useMemo(() => (query.trim() ? new Set(found) : null), [found, query]);
  const showFound = useCallback((find: string) => update({ find, view: null }, { history: 'push' }), [update]);
  const tab = (on: boolean) =>
    `border-b-2 px-3 py-1.5 text-sm ${on ? 'border-accent font-medium text-fg' : 'border-transparent text-muted hover:text-fg'}`;

  const compare = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const other = String(new FormData(event.currentTarget).get('other') ?? '')
      .trim()
      .toLowerCase();
    if (/^[0-9a-f]{32}$/.test(other)) window.location.assign(href(`/traces/compare?a=${data.traceId}&b=${other}`));
  };

  return (
    <div className="flex flex-col gap-4">
      <Panel>
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 text-sm">
          <span>
            <span className="text-muted">Duration </span>
            <strong>{formatDuration(summary.duration_ms)}</strong>
          </span>
          <span>
            <span className="text-muted">Spans </span>
            <strong>{summary.span_count}</strong>
          </span>
          <span>
            <span className="text-muted">Errors </span>
            <strong className={summary.error_count ? 'text-red-600 dark:text-red-400' : ''}>
              {summary.error_count}
            </strong>
          </span>
          <span>
            <span className="text-muted">Started </span>
            {formatTime(summary.start_at)}
          </span>
          <span className="flex flex-wrap gap-1">
            {summary.services.map((s) => (
              <Link
                key={s.name}
                href={href(`/services/${encodeURIComponent(s.name)}`)}
                className="rounded px-1.5 py-0.5 text-xs hover:underline"
                style={{ background: `${serviceColor(s.name)}22`, color: serviceColor(s.name) }}
              >
                {s.name} · {s.span_count}
              </Link>
            ))}
          </span>
          <label className="ml-auto flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={showCritical}
              onChange={(event) => update({ cp: event.target.checked ? null : '0' }, { history: 'replace' })}
            />
            <span className="inline-block h-2.5 w-4 rounded-sm bg-slate-400 ring-2 ring-amber-400" aria-hidden="true" />
            Critical path ({critical.size} spans)
          </label>
          <a
            href={`/api/v1/traces/${data.traceId}/otlp?download=true`}
            download={`trace-${data.traceId}.json`}
            className="text-xs text-accent hover:underline"
            title="The trace as OTLP/JSON: keep it, or send it to any OTLP/HTTP receiver"
          >
            Download OTLP/JSON
          </a>
          <form onSubmit={compare} className="flex items-center gap-1">
            <label htmlFor="compare-with" className="sr-only">
              Compare with trace id
            </label>
            <input
              id="compare-with"
              name="other"
              placeholder="compare with trace id"
              className="w-56 rounded-md border border-line bg-canvas px-2 py-1 font-mono text-xs"
            />
            <button type="submit" className="rounded-md border border-line px-2 py-1 text-xs hover:bg-raised">
              Compare
            </button>
          </form>
        </div>
      </Panel>
      <div className="grid grid-cols-[minmax(0,1fr)_360px] gap-4">
        <Panel className={statistics ? 'col-span-2 min-w-0' : 'min-w-0'}>
          <div role="tablist" aria-label="Trace views" className="flex border-b border-line px-2">
            <button
              type="button"
              role="tab"
              aria-selected={!statistics}
              onClick={() => update({ view: null })}
              className={tab(!statistics)}
            >
              Timeline
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={statistics}
              onClick={() => update({ view: 'statistics' })}
              className={tab(statistics)}
            >
              Time by operation
            </button>
          </div>
          {statistics ? (
            <TraceStatistics tree={tree} onFind={showFound} />
          ) : (
            <Waterfall
              tree={tree}
              critical={critical}
              showCritical={showCritical}
              selected={selected}
              onSelect={select}
              matches={matches}
              find={<TraceFind matches={found} active={matches !== null} selected={selected} onSelect={select} />}
            />
          )}
        </Panel>
        {!statistics && (
          <div className="flex min-w-0 flex-col gap-4">
            {node && (
              <SpanDetails
                node={node}
                startNs={spanStartNs(data, node.span)}
                critical={critical.has(node.span.span_id)}
                onClose={() => select(null)}
              />
            )}
            <TraceLogs
              traceId={data.traceId}
              traceStartNs={data.startNs + BigInt(tree.startOffsetNs)}
              selected={selected}
              onSelectSpan={select}
            />
          </div>
        )}
      </div>
    </div>
  );
}
