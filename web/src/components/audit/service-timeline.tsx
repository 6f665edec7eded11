'use client';
// A service's timeline in the time window: configuration changes, breaker commands and
// transitions, health transitions (and Kubernetes events when that source is on), newest
// first, from one API that merges them. A source that failed says so instead of looking quiet.
import { $api } from '../../api/client';
import type { TimelineEvent } from '../../api/ops-types';
import { formatTime } from '../../lib/format';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useTimeWindow } from '../frame/time-context';

const SOURCE_STYLE: Record<string, string> = {
  audit: 'bg-violet-500/15 text-violet-700 dark:text-violet-300',
  health: 'bg-emerald-500/12 text-emerald-700 dark:text-emerald-300',
  breakers: 'bg-amber-500/15 text-amber-800 dark:text-amber-300',
  kubernetes: 'bg-sky-500/12 text-sky-700 dark:text-sky-300',
};

export function ServiceTimeline({ name }: { name: string }) {
  const { from, to } = useTimeWindow();
  const timeline = $api.useQuery('get', '/api/v1/services/{name}/timeline', {
    params: { path: { name }, query: { from, to, limit: 200 } },
  });
  return (
    <Panel
      title="Timeline"
      actions={
        timeline.data?.truncated && <span className="text-xs text-muted">the newest 200; narrow the time range</span>
      }
    >
      <QueryState
        query={timeline}
        isEmpty={(d) => d.events.length === 0 && d.sources.every((s) => s.ok)}
        empty={
          <EmptyState title="Nothing happened in this window">
            Configuration changes, breaker commands and transitions, and health changes of {name} appear here.
          </EmptyState>
        }
      >
        {(data) => (
          <>
            {data.sources
              .filter((s) => !s.ok)
              .map((s) => (
                <p key={s.name} role="alert" className="mx-4 mt-2 text-sm text-red-700 dark:text-red-300">
                  The {s.name} source did not answer: {s.error}
                </p>
              ))}
            <ol aria-label={`Timeline of ${name}`} className="max-h-96 divide-y divide-line/70 overflow-auto">
              {data.events.map((event: TimelineEvent, i) => (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; time+kind can repeat
                  key={`${event.at}:${event.kind}:${i}`}
                  className="flex items-baseline gap-3 px-4 py-1.5 text-sm"
                >
                  <span className="w-36 shrink-0 text-xs tabular-nums text-muted">{formatTime(event.at)}</span>
                  <span
                    className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-medium ${SOURCE_STYLE[event.source] ?? 'bg-raised'}`}
                  >
                    {event.source}
                  </span>
                  <span className="min-w-0 flex-1">{event.summary}</span>
                  {event.instance_id && <span className="font-mono text-xs text-muted">{event.instance_id}</span>}
                </li>
              ))}
            </ol>
          </>
        )}
      </QueryState>
    </Panel>
  );
}
