'use client';
// The trace's log records beside the waterfall, oldest first; with a span selected, only that
// span's (a toggle shows them all). Clicking a record selects its span.
import { useState } from 'react';
import { $api } from '../../api/client';
import { formatDuration, nanosToMs } from '../../lib/format';
import { AttributeTable } from '../common/attribute-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Severity } from '../common/severity';

export function TraceLogs({
  traceId,
  traceStartNs,
  selected,
  onSelectSpan,
}: {
  traceId: string;
  traceStartNs: bigint;
  selected: string | null;
  onSelectSpan(spanId: string): void;
}) {
  const logs = $api.useQuery('get', '/api/v1/traces/{traceId}/logs', {
    params: { path: { traceId }, query: { limit: 1000 } },
  });
  const [allSpans, setAllSpans] = useState(false);
  const [expanded, setExpanded] = useState<number | null>(null);
  return (
    <Panel
      title="Logs"
      actions={
        selected && (
          <label className="flex items-center gap-1 text-xs">
            <input type="checkbox" checked={!allSpans} onChange={(event) => setAllSpans(!event.target.checked)} />
            only the selected span
          </label>
        )
      }
    >
      <QueryState
        query={logs}
        isEmpty={(data) => data.logs.length === 0}
        empty={
          <EmptyState title="No logs in this trace">
            Log records join a trace when the service logs inside a span with an OpenTelemetry log bridge (the Signalbox
            agent's pino integration does).
          </EmptyState>
        }
      >
        {(data) => {
          const shown = selected && !allSpans ? data.logs.filter((l) => l.span_id === selected) : data.logs;
          if (shown.length === 0) return <p className="px-4 py-3 text-sm text-muted">No logs for the selected span.</p>;
          return (
            <ol
              className="relative max-h-[480px] divide-y divide-line/60 overflow-y-auto"
              aria-label="Log records of the trace"
            >
              {shown.map((log) => (
                <li key={log.id} className="px-3 py-1.5 text-xs">
                  <div className="flex items-baseline gap-2">
                    <span className="w-16 shrink-0 font-mono text-muted">
                      +{formatDuration(nanosToMs((BigInt(log.time_ns) - traceStartNs).toString()))}
                    </span>
                    <Severity number={log.severity_number} text={log.severity_text} />
                    <button
                      type="button"
                      aria-expanded={expanded === log.id}
                      onClick={() => setExpanded(expanded === log.id ? null : log.id)}
                      className="min-w-0 flex-1 break-words text-left font-mono"
                    >
                      {log.body}
                    </button>
                    {log.span_id && log.span_id !== selected && (
                      <button
                        type="button"
                        onClick={() => onSelectSpan(log.span_id!)}
                        className="shrink-0 text-accent hover:underline"
                      >
                        span
                      </button>
                    )}
                  </div>
                  {expanded === log.id && (
                    <div className="mt-1 pl-[4.5rem]">
                      <p className="mb-1 text-muted">{log.service}</p>
                      <AttributeTable attributes={log.attributes} label="Log attributes" />
                    </div>
                  )}
                </li>
              ))}
            </ol>
          );
        }}
      </QueryState>
    </Panel>
  );
}
