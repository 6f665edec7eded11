'use client';
// An instance's status over the time window as one coloured bar, with its transitions listed
// underneath (newest first) so the exact times and reasons are readable.
import type { Transition } from '../../api/types';
import { formatDuration, formatTime } from '../../lib/format';
import { timelineSegments } from '../../lib/timeline';
import { STATUS_DOT } from '../common/status-badge';

export function StatusTimeline({
  transitions,
  from,
  to,
  current,
}: {
  transitions: readonly Transition[];
  from: number;
  to: number;
  current: string;
}) {
  const segments = timelineSegments(transitions, from, to, current);
  const span = to - from;
  return (
    <div>
      <div
        className="flex h-4 w-full overflow-hidden rounded bg-raised"
        role="img"
        aria-label="Status over the time window"
      >
        {segments.map((segment) => (
          <div
            key={segment.start}
            title={`${segment.status} from ${formatTime(segment.start)} for ${formatDuration(segment.end - segment.start)}`}
            className={`${STATUS_DOT[segment.status as keyof typeof STATUS_DOT] ?? 'bg-slate-400'} h-full`}
            style={{ width: `${((segment.end - segment.start) / span) * 100}%` }}
          />
        ))}
      </div>
      <div className="mt-1 flex justify-between text-xs text-muted">
        <span>{formatTime(from)}</span>
        <span>{formatTime(to)}</span>
      </div>
    </div>
  );
}

export function TransitionList({ transitions }: { transitions: readonly Transition[] }) {
  if (transitions.length === 0) return <p className="text-sm text-muted">No status changes recorded.</p>;
  return (
    <ol className="flex flex-col gap-1 text-sm">
      {transitions.map((t) => (
        <li key={`${t.at}-${t.to}`} className="flex items-baseline gap-2">
          <time className="w-36 shrink-0 font-mono text-xs text-muted">{formatTime(t.at)}</time>
          <span className="shrink-0">
            {t.from} → <strong>{t.to}</strong>
          </span>
          <span className="min-w-0 truncate text-muted" title={`${t.source}: ${t.reason}`}>
            {t.source}: {t.reason}
          </span>
        </li>
      ))}
    </ol>
  );
}
