'use client';
// The matching records grouped by pattern (GET /logs/patterns): a body's first line with its ids,
// numbers and durations as <*>, most frequent first, as the pattern views of Loki, Datadog and
// SigNoz show them. A screen of one repeated error becomes one row with its count and its trend
// over the window; each row links to its records (the `pattern` filter) and to the trace of its
// newest record.
import Link from 'next/link';
import { $api } from '../../api/client';
import type { LogPatterns as Patterns } from '../../api/types';
import { formatAgo, formatCount, formatDuration } from '../../lib/format';
import { type LogFilters, logFilterQuery, patternRecordsHref } from '../../lib/log-search';
import { serviceColor } from '../../lib/service-color';
import { EmptyState } from '../common/empty-state';
import { ProblemView } from '../common/problem-view';
import { Severity } from '../common/severity';
import { SkeletonRows } from '../common/skeleton';
import { Sparkline } from '../common/sparkline';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref } from '../frame/url-state';
import { PatternText } from './pattern-text';

type Pattern = Patterns['patterns'][number];

/** `limit`: patterns shown; `compact`: without the example lines (for a panel of a few). */
export function LogPatterns({
  filters,
  limit = 50,
  compact = false,
  emptyTitle = 'No log records match',
}: {
  filters: LogFilters;
  limit?: number;
  compact?: boolean;
  emptyTitle?: string;
}) {
  const { from, to } = useTimeWindow();
  const query = $api.useQuery('get', '/api/v1/logs/patterns', {
    params: { query: { ...logFilterQuery(filters), from, to, limit, compare: true } },
  });
  // The API's error type is not declared (only 2xx responses are), so it is unknown here.
  const error: unknown = query.error;
  if (error && !query.data) return <ProblemView error={error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <SkeletonRows rows={compact ? 4 : 8} label="Loading log patterns" />;
  const { patterns, scanned, complete, total_patterns, previous } = query.data;
  if (patterns.length === 0) {
    return (
      <EmptyState title={emptyTitle}>
        Widen the time range or loosen the filters to see the patterns of what was logged.
      </EmptyState>
    );
  }
  return (
    <>
      <ol aria-label="Log patterns, most frequent first" className="divide-y divide-line/50">
        {patterns.map((p) => (
          <PatternRow
            key={p.pattern}
            pattern={p}
            scanned={scanned}
            filters={filters}
            compact={compact}
            now={to}
            // Absent from the window before means new only when that window was read whole.
            isNew={previous?.complete === true && p.previous_count === 0}
            stepMs={query.data.series_step_ms}
          />
        ))}
      </ol>
      <p className="border-t border-line px-4 py-2 text-xs text-muted">
        {formatCount(total_patterns)} patterns in {complete ? 'all ' : 'the newest '}
        {formatCount(scanned)} matching records{complete ? ' of the window' : ''}
        {total_patterns > patterns.length && ` (the ${patterns.length} most frequent shown)`}. Words with digits (ids,
        numbers, durations) read as <span className="font-mono">&lt;*&gt;</span>.
        {previous && ' "New": none in the window before, as long as this one.'}
      </p>
    </>
  );
}

function PatternRow({
  pattern: p,
  scanned,
  filters,
  compact,
  now,
  isNew,
  stepMs,
}: {
  pattern: Pattern;
  scanned: number;
  filters: LogFilters;
  compact: boolean;
  now: number;
  isNew: boolean;
  stepMs: number;
}) {
  const href = useGlobalHref();
  const share = scanned > 0 ? p.count / scanned : 0;
  const others = p.services.length - 3;
  // Shown when it says more than the pattern: values in place of <*>, or a line it was cut from.
  const example = p.example.body.split('\n')[0];
  return (
    <li className="flex items-start gap-3 px-3 py-2 text-xs hover:bg-raised/50" data-testid="log-pattern">
      <div className="w-20 shrink-0 text-right">
        <span className="font-semibold tabular-nums">{formatCount(p.count)}</span>
        <div className="mt-1 h-1 rounded bg-raised" aria-hidden="true">
          <div className="h-1 rounded bg-accent" style={{ width: `${Math.max(2, share * 100)}%` }} />
        </div>
        {!isNew && p.previous_count !== null && p.previous_count > 0 && (
          <span className="mt-0.5 block text-[11px] text-muted" title="Records of this pattern in the window before">
            was {formatCount(p.previous_count)}
          </span>
        )}
      </div>
      <Severity number={p.max_severity_number} text={p.severity === 'unspecified' ? '' : p.severity} />
      <div className="min-w-0 flex-1">
        {isNew && (
          <span
            className="mr-2 rounded bg-amber-100 px-1 py-px text-[10px] font-semibold uppercase text-amber-800 dark:bg-amber-400/20 dark:text-amber-300"
            title="None of these in the window before"
          >
            new
          </span>
        )}
        {isNew && ' '}
        {/* An empty body's pattern would filter nothing out: no link for it. */}
        {p.pattern ? (
          <Link
            href={href(patternRecordsHref(filters, p.pattern))}
            className="break-words hover:underline"
            aria-label={`Show the ${p.count} records of the pattern ${p.pattern}`}
          >
            <PatternText pattern={p.pattern} />
          </Link>
        ) : (
          <span className="font-mono text-muted">(empty body)</span>
        )}
        {!compact && example !== p.pattern && (
          <p className="mt-0.5 truncate font-mono text-[11px] text-muted" title={p.example.body}>
            e.g. {example}
          </p>
        )}
      </div>
      <Sparkline
        values={p.series}
        label={`${p.pattern || 'empty body'}: records per ${formatDuration(stepMs)} over the window`}
        width={compact ? 64 : 96}
        className="shrink-0 text-accent"
      />
      {/* Named only when the records may come from several. */}
      {!filters.service && (
        <div className="flex w-40 shrink-0 flex-wrap justify-end gap-x-2">
          {p.services.slice(0, 3).map((s) => (
            <span
              key={s.service}
              className="font-medium"
              style={{ color: serviceColor(s.service) }}
              title={`${s.count} records`}
            >
              {s.service}
            </span>
          ))}
          {others > 0 && <span className="text-muted">+{others}</span>}
        </div>
      )}
      <span
        className="w-20 shrink-0 text-right text-muted"
        title={new Date(p.last_at).toISOString()}
        suppressHydrationWarning
      >
        {formatAgo(p.last_at, now)}
      </span>
      {!compact &&
        (p.example.trace_id ? (
          <Link
            href={href(`/traces/${p.example.trace_id}${p.example.span_id ? `?span=${p.example.span_id}` : ''}`)}
            className="w-10 shrink-0 text-right text-accent hover:underline"
            aria-label={`Open the trace of the newest record of ${p.pattern}`}
          >
            trace
          </Link>
        ) : (
          <span className="w-10 shrink-0" />
        ))}
    </li>
  );
}
