'use client';
// Duration over time: one dot per trace found (red when it has errors), each a link to the
// trace. A log scale when durations spread over more than two orders of magnitude.
import Link from 'next/link';
import type { TraceSummary } from '../../api/types';
import { durationScale } from '../../lib/duration-scale';
import { formatDuration, formatTime } from '../../lib/format';
import { useGlobalHref } from '../frame/url-state';

const WIDTH = 1000;
const HEIGHT = 180;
const PAD = { left: 64, right: 12, top: 10, bottom: 22 };

export function TraceScatter({ traces, from, to }: { traces: readonly TraceSummary[]; from: number; to: number }) {
  const href = useGlobalHref();
  const { log, y, ticks } = durationScale(
    traces.map((t) => t.duration_ms),
    PAD.top,
    HEIGHT - PAD.bottom,
  );
  const x = (at: number) => PAD.left + ((at - from) / Math.max(1, to - from)) * (WIDTH - PAD.left - PAD.right);
  return (
    <figure aria-label={`Duration over time of ${traces.length} traces${log ? ' (log scale)' : ''}`}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full">
        <title>Trace durations over the time window; each dot links to its trace</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="stroke-line" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="fill-muted text-[11px]">
              {formatDuration(tick)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 4} className="fill-muted text-[11px]">
          {formatTime(from)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end" className="fill-muted text-[11px]">
          {formatTime(to)}
        </text>
        {traces.map((trace) => (
          <Link
            key={trace.trace_id}
            href={href(`/traces/${trace.trace_id}`)}
            aria-label={`${trace.root_service} ${trace.root_operation}, ${formatDuration(trace.duration_ms)}${trace.error_count ? ', with errors' : ''}`}
          >
            <circle
              cx={x(trace.start_at)}
              cy={y(trace.duration_ms)}
              r={5}
              className={trace.error_count ? 'fill-red-500/70 stroke-red-600' : 'fill-blue-500/50 stroke-blue-600'}
            >
              <title>
                {trace.root_service}: {trace.root_operation} — {formatDuration(trace.duration_ms)} at{' '}
                {formatTime(trace.start_at)}
              </title>
            </circle>
          </Link>
        ))}
      </svg>
    </figure>
  );
}
